output "security_group_id" {
  value = aws_security_group.alb.id
}

output "target_group_arns" {
  description = "Service name => target group ARN."
  value       = { for service, group in aws_lb_target_group.service : service => group.arn }
}

output "target_group_arn_suffixes" {
  description = "Service name => target group ARN suffix (CloudWatch dimension)."
  value       = { for service, group in aws_lb_target_group.service : service => group.arn_suffix }
}

output "arn_suffix" {
  description = "Load balancer ARN suffix (CloudWatch dimension)."
  value       = aws_lb.this.arn_suffix
}

output "dns_name" {
  value = aws_lb.this.dns_name
}

output "https_listener_arn" {
  value = aws_lb_listener.https.arn
}

output "access_logs_bucket" {
  description = "The bucket of the access logs (null when they are off)."
  value       = var.access_logs_enabled ? aws_s3_bucket.access_logs[0].id : null
}

output "web_acl_arn" {
  description = "The WAF web ACL in front of the load balancer (null without one)."
  value       = var.waf_rate_limit == null ? null : aws_wafv2_web_acl.this[0].arn
}
