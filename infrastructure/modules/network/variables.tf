variable "name" {
  description = "Name prefix of the network's resources."
  type        = string
}

variable "region" {
  description = "AWS region (for the S3 gateway endpoint)."
  type        = string
}

variable "cidr" {
  description = "VPC CIDR; a /16 gives sixteen /20 subnets (public: first eight, private: last eight)."
  type        = string
}

variable "az_count" {
  description = "Availability zones to spread subnets and tasks over (2 or 3)."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 3
    error_message = "az_count must be 2 or 3: an Application Load Balancer needs at least two zones."
  }
}

variable "nat_gateway_per_az" {
  description = "One NAT gateway per zone (survives a zone outage) instead of a single one (cheaper)."
  type        = bool
  default     = false
}
