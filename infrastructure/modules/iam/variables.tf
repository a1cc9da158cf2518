variable "name_prefix" {
  type = string
}

variable "region" {
  type = string
}

variable "account_id" {
  type = string
}

variable "cluster_name" {
  description = "The ECS cluster (task protection is allowed on its tasks only)."
  type        = string
}

variable "repository_arns" {
  description = "ECR repositories the tasks pull from."
  type        = list(string)
}

variable "log_group_names" {
  description = "Log groups the containers write to."
  type        = list(string)
}

variable "metrics_log_group_name" {
  description = "Log group the collector writes EMF metrics to."
  type        = string
}

variable "secret_arns" {
  description = "The secrets the execution role (of every service) may read and no others: the Twilio auth token, the outbound API's key, the callback secret (the api's outcome and the worker's conversation callbacks), and the HTTP tools' secrets."
  type        = list(string)
}

variable "agents_parameter_arns" {
  description = "The agent profiles' SSM parameter (empty: none): both task roles may read it."
  type        = list(string)
  default     = []
}

variable "agents_object_arns" {
  description = "The agent profiles' S3 object (empty: none): both task roles may read it."
  type        = list(string)
  default     = []
}

variable "bedrock_model_arns" {
  description = "Foundation model (or inference profile) ARNs the media worker may stream to."
  type        = list(string)

  validation {
    condition     = length(var.bedrock_model_arns) > 0 && alltrue([for arn in var.bedrock_model_arns : !strcontains(arn, "*")])
    error_message = "bedrock_model_arns must list the models explicitly (no wildcards)."
  }
}
