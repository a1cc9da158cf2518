# One service from one task definition file written by the translator (Bridge.Deploy.TaskDefinitions):
# the file is rendered with templatefile() and passed through, never retyped here.

locals {
  # Every ${placeholder} the translator leaves in its files; secret ARNs arrive in var.secret_arns, the agents' own
  # (HTTP tools' secrets, the agents bucket) in var.template_values.
  template_variables = merge(var.secret_arns, var.template_values, {
    image              = var.image
    task_role_arn      = var.task_role_arn
    execution_role_arn = var.execution_role_arn
    region             = var.region
  })

  task_definition = jsondecode(templatefile(var.task_definition_file, local.template_variables))
  app_container   = local.task_definition.containerDefinitions[0]
  container_port  = local.app_container.portMappings[0].containerPort
  log_group_name  = local.app_container.logConfiguration.options["awslogs-group"]
}

resource "aws_cloudwatch_log_group" "service" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
}

resource "aws_ecs_task_definition" "this" {
  family                   = local.task_definition.family
  network_mode             = local.task_definition.networkMode
  requires_compatibilities = local.task_definition.requiresCompatibilities
  cpu                      = local.task_definition.cpu
  memory                   = local.task_definition.memory
  execution_role_arn       = local.task_definition.executionRoleArn
  task_role_arn            = local.task_definition.taskRoleArn
  container_definitions    = jsonencode(local.task_definition.containerDefinitions)

  runtime_platform {
    cpu_architecture        = local.task_definition.runtimePlatform.cpuArchitecture
    operating_system_family = local.task_definition.runtimePlatform.operatingSystemFamily
  }

  dynamic "volume" {
    for_each = local.task_definition.volumes
    content {
      name = volume.value.name
    }
  }
}

resource "aws_security_group" "task" {
  name        = "${var.ecs_service_name}-task"
  description = "${var.service_name} tasks: the load balancer in, anything out (Bedrock, Twilio, ECR)"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "from_load_balancer" {
  security_group_id            = aws_security_group.task.id
  referenced_security_group_id = var.load_balancer_security_group_id
  from_port                    = local.container_port
  to_port                      = local.container_port
  ip_protocol                  = "tcp"
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.task.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_ecs_service" "this" {
  name            = var.ecs_service_name
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.min_tasks

  # On-demand Fargate only: a Spot interruption would cut live calls.
  launch_type      = "FARGATE"
  platform_version = "LATEST"

  health_check_grace_period_seconds  = var.health_check_grace_period_seconds
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  enable_ecs_managed_tags            = true
  propagate_tags                     = "SERVICE"

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.task.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = local.app_container.name
    container_port   = local.container_port
  }

  # Each task's address under a private DNS name (the media worker's, which the api asks for free call slots).
  dynamic "service_registries" {
    for_each = var.service_registry_arn == null ? [] : [var.service_registry_arn]
    content {
      registry_arn = service_registries.value
    }
  }

  lifecycle {
    # Autoscaling owns the task count after creation.
    ignore_changes = [desired_count]
  }
}

# ---- Autoscaling ----

resource "aws_appautoscaling_target" "this" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${var.cluster_name}/${aws_ecs_service.this.name}"
  min_capacity       = var.min_tasks
  max_capacity       = var.max_tasks
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${var.ecs_service_name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension
  resource_id        = aws_appautoscaling_target.this.resource_id

  target_tracking_scaling_policy_configuration {
    target_value       = var.cpu_target_percent
    scale_out_cooldown = 60
    scale_in_cooldown  = 300
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

# Average admitted calls per task, from the bridge.calls.active gauge each task's collector publishes (EMF). Only calls
# whose stream token verified count: sockets waiting for their start (bridge.media_streams.pending) do not scale out.
resource "aws_appautoscaling_policy" "active_calls" {
  count = var.active_calls_per_task_target == null ? 0 : 1

  name               = "${var.ecs_service_name}-active-calls"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension
  resource_id        = aws_appautoscaling_target.this.resource_id

  lifecycle {
    precondition {
      # try(): without max_calls_per_task (null) there is nothing to compare with.
      condition     = try(var.active_calls_per_task_target <= 0.75 * var.max_calls_per_task, true)
      error_message = "active_calls_per_task_target must leave a quarter of a task's calls (Calls:MaxConcurrent) as headroom for the calls that arrive while new tasks start."
    }
  }

  target_tracking_scaling_policy_configuration {
    target_value       = var.active_calls_per_task_target
    scale_out_cooldown = 60
    # Scaling in ends calls only after the deregistration delay, but there is no hurry.
    scale_in_cooldown = 600
    customized_metric_specification {
      metric_name = "bridge.calls.active"
      namespace   = var.metrics_namespace
      statistic   = "Average"
      dimensions {
        name  = "service.name"
        value = var.service_name
      }
    }
  }
}
