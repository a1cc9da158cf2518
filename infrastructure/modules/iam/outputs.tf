output "execution_role_arn" {
  value = aws_iam_role.execution.arn
}

output "task_role_arns" {
  description = "Service name => task role ARN."
  value = {
    "api"          = aws_iam_role.api_task.arn
    "media-worker" = aws_iam_role.worker_task.arn
  }
}
