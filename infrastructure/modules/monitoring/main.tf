# Alarms a person should hear about, sent to one SNS topic.

resource "aws_sns_topic" "alarms" {
  name = "${var.name}-alarms"
}

resource "aws_sns_topic_subscription" "email" {
  for_each  = toset(var.alarm_emails)
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.key
}

locals {
  actions = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "load_balancer_5xx" {
  alarm_name          = "${var.name}-alb-5xx"
  alarm_description   = "The load balancer answered with 5xx (no healthy target, timeouts)."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_ELB_5XX_Count"
  dimensions          = { LoadBalancer = var.load_balancer_arn_suffix }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 2
  threshold           = var.five_xx_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

resource "aws_cloudwatch_metric_alarm" "target_5xx" {
  for_each = var.target_group_arn_suffixes

  alarm_name          = "${var.name}-${each.key}-5xx"
  alarm_description   = "${each.key} answered with 5xx."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_Target_5XX_Count"
  dimensions          = { LoadBalancer = var.load_balancer_arn_suffix, TargetGroup = each.value }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 2
  threshold           = var.five_xx_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_targets" {
  for_each = var.target_group_arn_suffixes

  alarm_name          = "${var.name}-${each.key}-unhealthy-targets"
  alarm_description   = "${each.key} has tasks failing their health check (the worker: liveness; the api: readiness)."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  dimensions          = { LoadBalancer = var.load_balancer_arn_suffix, TargetGroup = each.value }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

# Calls the media worker turned away because it was full (Calls:MaxConcurrent): capacity is short. Refusals of other
# reasons (bad signatures, start timeouts, reused tokens: the public edge at work) are not counted here.
resource "aws_cloudwatch_metric_alarm" "rejected_calls" {
  alarm_name          = "${var.name}-rejected-calls"
  alarm_description   = "The media worker rejected calls for want of capacity (bridge.calls.rejected, reason capacity)."
  namespace           = var.metrics_namespace
  metric_name         = "bridge.calls.rejected"
  dimensions          = { "service.name" = "media-worker", "reason" = "capacity" }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

# Calls the media worker turned away because its memory was Unhealthy (Health:Memory:UnhealthyWorkingSetPercent):
# the worker is short of memory, the callers heard the apology. The container memory alarm below may not fire first.
resource "aws_cloudwatch_metric_alarm" "rejected_calls_memory" {
  alarm_name          = "${var.name}-rejected-calls-memory"
  alarm_description   = "The media worker rejected calls because it was short of memory (bridge.calls.rejected, reason memory)."
  namespace           = var.metrics_namespace
  metric_name         = "bridge.calls.rejected"
  dimensions          = { "service.name" = "media-worker", "reason" = "memory" }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}

resource "aws_cloudwatch_metric_alarm" "worker_utilization" {
  for_each = {
    cpu    = "CPUUtilization"
    memory = "MemoryUtilization"
  }

  alarm_name          = "${var.name}-media-worker-${each.key}"
  alarm_description   = "Media worker ${each.key} above ${var.worker_utilization_threshold}%: audio may stutter."
  namespace           = "AWS/ECS"
  metric_name         = each.value
  dimensions          = { ClusterName = var.cluster_name, ServiceName = var.worker_service_name }
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = var.worker_utilization_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.actions
  ok_actions          = local.actions
}
