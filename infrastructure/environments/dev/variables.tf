variable "region" {
  description = "AWS region of the environment (Bedrock must offer Nova Sonic there, or set bedrock-region in deployment.json)."
  type        = string
}

variable "hosted_zone_id" {
  description = "Route53 hosted zone of the host in deployment.json's publicBaseUrl."
  type        = string
}

variable "image_tag" {
  description = "The tag scripts/build-and-push.sh printed."
  type        = string
}

variable "az_count" {
  type = number
}

variable "nat_gateway_per_az" {
  type = bool
}

variable "log_retention_days" {
  type = number
}

variable "alarm_emails" {
  type    = list(string)
  default = []
}

variable "alb_deletion_protection" {
  type = bool
}

variable "waf_rate_limit" {
  description = "Requests per client address per five minutes before the WAF answers 429; null: no WAF."
  type        = number
  default     = null
}

variable "alb_access_logs_enabled" {
  type    = bool
  default = false
}

variable "worker_deregistration_delay_seconds" {
  type = number
}

variable "scaling" {
  type = map(object({
    min_tasks                    = number
    max_tasks                    = number
    cpu_target_percent           = number
    active_calls_per_task_target = optional(number)
  }))
}
