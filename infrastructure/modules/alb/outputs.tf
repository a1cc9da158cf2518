output "security_group_id" {
  value = aws_security_group.alb.id
}

output "target_group_arns" {
  description = "Service name => target group ARN."
  value       = { for service, group in aws_lb_target_group.service : service => group.arn }
}

output "target_group_arn_suffixes" {
  description = "Service name => target group ARN suffix (CloudWatch dimension)."
  value       = { for service, group in aws_lb_target_group.service : service => group.arn_suffix }
}

output "arn_suffix" {
  description = "Load balancer ARN suffix (CloudWatch dimension)."
  value       = aws_lb.this.arn_suffix
}

output "dns_name" {
  value = aws_lb.this.dns_name
}

output "https_listener_arn" {
  value = aws_lb_listener.https.arn
}
