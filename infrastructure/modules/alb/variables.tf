variable "name" {
  description = "Load balancer name (at most 32 characters)."
  type        = string
}

variable "vpc_id" {
  type = string
}

variable "vpc_cidr" {
  type = string
}

variable "public_subnet_ids" {
  type = list(string)
}

variable "domain_name" {
  description = "The public host name (from publicBaseUrl in deployment.json)."
  type        = string
}

variable "hosted_zone_id" {
  description = "Route53 hosted zone that holds domain_name."
  type        = string
}

variable "idle_timeout_seconds" {
  description = "Idle time before the load balancer closes a connection. Twilio sends media every 20 ms, so only a stalled stream gets near it."
  type        = number
  default     = 300
}

variable "deletion_protection" {
  type    = bool
  default = true
}

variable "services" {
  description = "Per service: container port, the paths routed to it, rule priority, how long a deregistering target keeps its connections, the path the health check asks, and the routing algorithm."
  type = map(object({
    container_port               = number
    paths                        = list(string)
    priority                     = number
    deregistration_delay_seconds = number
    health_check_path            = string
    load_balancing_algorithm     = string
  }))

  validation {
    condition     = alltrue([for service in values(var.services) : service.deregistration_delay_seconds >= 0 && service.deregistration_delay_seconds <= 3600])
    error_message = "deregistration_delay_seconds must be 0 to 3600."
  }

  validation {
    condition     = alltrue([for service in values(var.services) : contains(["round_robin", "least_outstanding_requests"], service.load_balancing_algorithm)])
    error_message = "load_balancing_algorithm must be round_robin or least_outstanding_requests."
  }
}

variable "waf_rate_limit" {
  description = "Requests one client address may make in five minutes before the WAF answers 429 (null: no WAF). Twilio sends about five requests per call from a few addresses: leave room for the busiest hour."
  type        = number
  default     = null

  validation {
    condition     = var.waf_rate_limit == null || (var.waf_rate_limit >= 100 && var.waf_rate_limit <= 2000000000)
    error_message = "waf_rate_limit must be null (no WAF) or 100 to 2,000,000,000."
  }
}

variable "access_logs_enabled" {
  description = "Write the load balancer's access logs to an S3 bucket of their own."
  type        = bool
  default     = false
}

variable "access_logs_retention_days" {
  description = "Days the access logs are kept."
  type        = number
  default     = 90
}
