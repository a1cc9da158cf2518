module "bridge" {
  source = "../../modules/bridge"

  region               = var.region
  deployment_file      = "${path.module}/deployment.json"
  task_definitions_dir = "${path.module}/../../task-definitions/dev"
  hosted_zone_id       = var.hosted_zone_id
  image_tag            = var.image_tag

  az_count                            = var.az_count
  nat_gateway_per_az                  = var.nat_gateway_per_az
  log_retention_days                  = var.log_retention_days
  alarm_emails                        = var.alarm_emails
  alb_deletion_protection             = var.alb_deletion_protection
  worker_deregistration_delay_seconds = var.worker_deregistration_delay_seconds
  waf_rate_limit                      = var.waf_rate_limit
  alb_access_logs_enabled             = var.alb_access_logs_enabled
  scaling                             = var.scaling
}
