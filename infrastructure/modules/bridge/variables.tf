variable "region" {
  type = string
}

variable "deployment_file" {
  description = "The environment's deployment.json (the translator's input)."
  type        = string
}

variable "task_definitions_dir" {
  description = "Directory of the translator's task definitions for this environment."
  type        = string
}

variable "hosted_zone_id" {
  description = "Route53 hosted zone holding the host of publicBaseUrl."
  type        = string
}

variable "image_tag" {
  description = "Tag pushed by scripts/build-and-push.sh (the same for both services)."
  type        = string
}

variable "az_count" {
  type    = number
  default = 2
}

variable "nat_gateway_per_az" {
  type    = bool
  default = false
}

variable "log_retention_days" {
  type    = number
  default = 30
}

variable "alarm_emails" {
  type    = list(string)
  default = []
}

variable "alb_idle_timeout_seconds" {
  type    = number
  default = 300
}

variable "alb_deletion_protection" {
  type    = bool
  default = true
}

variable "waf_rate_limit" {
  description = "Requests per client address per five minutes before the WAF answers 429; null: no WAF."
  type        = number
  default     = null
}

variable "alb_access_logs_enabled" {
  description = "Write the load balancer's access logs to S3."
  type        = bool
  default     = false
}

variable "worker_deregistration_delay_seconds" {
  description = "How long a media worker leaving the load balancer keeps its calls (max 3600)."
  type        = number
  default     = 900
}

variable "additional_bedrock_model_arns" {
  description = "Models (or inference profiles) beyond bedrock-model-id in deployment.json the worker may use."
  type        = list(string)
  default     = []
}

variable "scaling" {
  description = "Per service: task count bounds and scaling targets (active_calls_per_task_target null = CPU only)."
  type = map(object({
    min_tasks                    = number
    max_tasks                    = number
    cpu_target_percent           = number
    active_calls_per_task_target = optional(number)
  }))

  validation {
    condition     = alltrue([for service in ["api", "media-worker"] : contains(keys(var.scaling), service)])
    error_message = "scaling needs entries for api and media-worker."
  }
}
