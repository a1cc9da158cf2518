variable "name_prefix" {
  description = "Repository name prefix, e.g. bridge-dev (repositories are <prefix>/<service>)."
  type        = string
}

variable "services" {
  description = "Service names (the manifest's projects)."
  type        = list(string)
}

variable "keep_images" {
  description = "How many images to keep per repository."
  type        = number
  default     = 30
}
