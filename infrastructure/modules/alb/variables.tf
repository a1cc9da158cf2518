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

variable "health_check_path" {
  type    = string
  default = "/health/readiness"
}

variable "deletion_protection" {
  type    = bool
  default = true
}

variable "services" {
  description = "Per service: container port, path patterns routed to it, rule priority, and how long a deregistering target keeps its connections."
  type = map(object({
    container_port               = number
    paths                        = list(string)
    priority                     = number
    deregistration_delay_seconds = number
  }))

  validation {
    condition     = alltrue([for service in values(var.services) : service.deregistration_delay_seconds >= 0 && service.deregistration_delay_seconds <= 3600])
    error_message = "deregistration_delay_seconds must be 0 to 3600."
  }
}
