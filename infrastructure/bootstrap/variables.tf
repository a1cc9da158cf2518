variable "region" {
  description = "Region of the state bucket."
  type        = string
}

variable "state_bucket_name" {
  description = "Globally unique name of the state bucket, e.g. <company>-bridge-tofu-state."
  type        = string
}
