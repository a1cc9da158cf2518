variable "service_name" {
  description = "The manifest's project name (api, media-worker): OTEL service.name and metric dimension."
  type        = string
}

variable "ecs_service_name" {
  description = "Name of the ECS service, e.g. bridge-dev-api."
  type        = string
}

variable "task_definition_file" {
  description = "The translator's JSON for this service and environment."
  type        = string
}

variable "image" {
  description = "Full image reference (repository URL and tag)."
  type        = string
}

variable "task_role_arn" {
  type = string
}

variable "execution_role_arn" {
  type = string
}

variable "region" {
  type = string
}

variable "secret_arns" {
  description = "Placeholder name => ARN for the secrets the task definition files reference, e.g. twilio_auth_token_secret_arn."
  type        = map(string)
}

variable "template_values" {
  description = "More placeholder name => value: http_tool_<tool>_secret_arn for each HTTP tool, agents_bucket for profiles in S3."
  type        = map(string)
  default     = {}
}

variable "cluster_arn" {
  type = string
}

variable "cluster_name" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "private_subnet_ids" {
  type = list(string)
}

variable "load_balancer_security_group_id" {
  type = string
}

variable "target_group_arn" {
  type = string
}

variable "log_retention_days" {
  type = number
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the bridge.* metrics (metricsNamespace in deployment.json)."
  type        = string
}

variable "min_tasks" {
  type = number
}

variable "max_tasks" {
  type = number
}

variable "cpu_target_percent" {
  description = "Average CPU the service is scaled to."
  type        = number
  default     = 60
}

variable "active_calls_per_task_target" {
  description = "Live calls per task the service is scaled to (null: CPU only). Keep it below Calls:MaxConcurrent."
  type        = number
  default     = null
}

variable "max_calls_per_task" {
  description = "The most calls one task takes (Calls:MaxConcurrent); the calls target must stay 25 % below it. Null: not a call-taking service."
  type        = number
  default     = null
}

variable "health_check_grace_period_seconds" {
  type    = number
  default = 60
}

variable "service_registry_arn" {
  description = "A Cloud Map service to register each task's address in (A records); null for none."
  type        = string
  default     = null
}
