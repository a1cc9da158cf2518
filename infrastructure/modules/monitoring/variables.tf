variable "name" {
  type = string
}

variable "alarm_emails" {
  description = "Addresses subscribed to the alarm topic (each must confirm the subscription)."
  type        = list(string)
  default     = []
}

variable "load_balancer_arn_suffix" {
  type = string
}

variable "target_group_arn_suffixes" {
  description = "Service name => target group ARN suffix."
  type        = map(string)
}

variable "cluster_name" {
  type = string
}

variable "worker_service_name" {
  description = "ECS service name of the media worker."
  type        = string
}

variable "metrics_namespace" {
  type = string
}

variable "five_xx_threshold" {
  description = "5xx responses per minute that count as a bad minute."
  type        = number
  default     = 5
}

variable "worker_utilization_threshold" {
  description = "Percent of CPU or memory above which the media worker alarms."
  type        = number
  default     = 80
}
