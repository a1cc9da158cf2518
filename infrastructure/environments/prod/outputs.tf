output "public_base_url" {
  value = module.bridge.public_base_url
}

output "load_balancer_dns_name" {
  value = module.bridge.load_balancer_dns_name
}

output "repository_urls" {
  value = module.bridge.repository_urls
}

output "twilio_auth_token_secret_arn" {
  value = module.bridge.twilio_auth_token_secret_arn
}

output "cluster_name" {
  value = module.bridge.cluster_name
}

output "service_names" {
  value = module.bridge.service_names
}

output "alarm_topic_arn" {
  value = module.bridge.alarm_topic_arn
}

output "access_logs_bucket" {
  value = module.bridge.access_logs_bucket
}

output "region" {
  value = var.region
}

output "agents_source" {
  value = module.bridge.agents_source
}

output "http_tool_secret_names" {
  value = module.bridge.http_tool_secret_names
}
