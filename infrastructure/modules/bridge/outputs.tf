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
