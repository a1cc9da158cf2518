output "public_base_url" {
  description = "What Twilio calls: set the number's voice webhook to <this>/webhook."
  value       = "https://${local.domain_name}"
}

output "load_balancer_dns_name" {
  value = module.alb.dns_name
}

output "repository_urls" {
  value = module.ecr.repository_urls
}

output "twilio_auth_token_secret_arn" {
  value = aws_secretsmanager_secret.twilio_auth_token.arn
}

output "cluster_name" {
  value = aws_ecs_cluster.this.name
}

output "service_names" {
  value = { for service, module_output in module.service : service => module_output.service_name }
}

output "alarm_topic_arn" {
  value = module.monitoring.alarm_topic_arn
}

output "access_logs_bucket" {
  value = module.alb.access_logs_bucket
}

output "agents_source" {
  description = "Where both services read the agent profiles (Agents__Source), or null without profiles."
  value = (local.agents == null ? null
    : local.agents_store == "s3" ? "s3://${aws_s3_bucket.agents[0].bucket}/agents.json"
  : "ssm:${aws_ssm_parameter.agents[0].name}")
}

output "http_tool_secret_names" {
  description = "HTTP tool => the Secrets Manager secret whose value signs its requests (set it with put-secret-value)."
  value       = { for tool, secret in aws_secretsmanager_secret.http_tool : tool => secret.name }
}
