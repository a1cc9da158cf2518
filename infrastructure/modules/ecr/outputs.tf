output "repository_urls" {
  description = "Service name => repository URL."
  value       = { for service, repository in aws_ecr_repository.this : service => repository.repository_url }
}

output "repository_arns" {
  description = "Service name => repository ARN."
  value       = { for service, repository in aws_ecr_repository.this : service => repository.arn }
}
