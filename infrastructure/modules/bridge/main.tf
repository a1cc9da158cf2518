# The whole bridge for one environment. The environment's deployment.json (also the translator's input) is
# the one place for its URL, VPC range, log and metric names, so OpenTofu and the task definitions agree.

data "aws_caller_identity" "current" {}

locals {
  deployment  = jsondecode(file(var.deployment_file))
  name        = "bridge-${local.deployment.name}"
  domain_name = trimsuffix(trimprefix(local.deployment.publicBaseUrl, "https://"), "/")
  account_id  = data.aws_caller_identity.current.account_id

  # The translator's files as written (placeholders unrendered): only read here for ports and names.
  task_definition_files = { for service in local.services : service => "${var.task_definitions_dir}/${service}.json" }
  raw_task_definitions  = { for service, path in local.task_definition_files : service => jsondecode(file(path)) }
  container_ports       = { for service, definition in local.raw_task_definitions : service => definition.containerDefinitions[0].portMappings[0].containerPort }

  services        = ["api", "media-worker"]
  log_group_names = [for service in local.services : "${local.deployment.logGroupPrefix}/${service}"]

  bedrock_model_arns = concat(
    ["arn:aws:bedrock:${local.deployment.parameters["bedrock-region"]}::foundation-model/${local.deployment.parameters["bedrock-model-id"]}"],
    var.additional_bedrock_model_arns,
  )

  # Exact paths: the webhooks (an outbound call's three too), the outbound call API and the media stream, nothing below
  # them (the health endpoints stay inside the VPC).
  # Health: the api's readiness (a stateless api that cannot serve is best replaced); the worker's liveness (a full or
  # draining worker answers readiness 503, and must never be replaced for it: docs/deploy.md, "The load balancer").
  routes = {
    "api" = {
      paths = [
        "/webhook", "/webhook/stream-status", "/webhook/connect-ended",
        "/webhook/outbound/answer", "/webhook/outbound/amd", "/webhook/outbound/status",
        "/calls",
      ]
      priority                     = 10
      deregistration_delay_seconds = 30
      health_check_path            = "/health/readiness"
      load_balancing_algorithm     = "round_robin"
    }
    "media-worker" = {
      paths    = ["/media"]
      priority = 20
      # A deregistering worker keeps its WebSockets this long before ECS stops it (then stopTimeout, 120 s).
      deregistration_delay_seconds = var.worker_deregistration_delay_seconds
      health_check_path            = "/health/liveness"
      # Each new stream goes to the worker with the fewest requests in progress (no slow start with it).
      load_balancing_algorithm = "least_outstanding_requests"
    }
  }

  # Agent profiles (deployment.json's "agents", docs/agents.md): the document next to deployment.json, stored as an SSM
  # parameter or an S3 object both services read at start; each HTTP tool's signing secret in Secrets Manager.
  agents          = try(local.deployment.agents, null)
  agents_store    = try(local.deployment.agents.store, "ssm")
  agents_document = local.agents == null ? null : file("${dirname(var.deployment_file)}/${local.agents.document}")
  http_tools      = toset(try(local.deployment.agents.httpTools, []))

  # Placeholders of the task definitions beyond the fixed secrets: each HTTP tool's secret, and the agents bucket.
  agents_template_values = merge(
    { for tool, secret in aws_secretsmanager_secret.http_tool : "http_tool_${tool}_secret_arn" => secret.arn },
    { for bucket in aws_s3_bucket.agents : "agents_bucket" => bucket.bucket },
  )

  # Calls:MaxConcurrent of the media worker (its default; the task definitions do not change it): the autoscaling
  # target must leave headroom below it for the calls that arrive while new tasks start.
  worker_max_concurrent_calls = 200
}

module "network" {
  source             = "../network"
  name               = local.name
  region             = var.region
  cidr               = local.deployment.vpcCidr
  az_count           = var.az_count
  nat_gateway_per_az = var.nat_gateway_per_az
}

module "ecr" {
  source      = "../ecr"
  name_prefix = local.name
  services    = local.services
}

# The values are set out of band (see docs/deploy.md): they never pass through OpenTofu or its state.
resource "aws_secretsmanager_secret" "twilio_auth_token" {
  name                    = "${local.name}/twilio-auth-token"
  description             = "Twilio auth token: checks X-Twilio-Signature on webhooks and media streams."
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret" "outbound_api_key" {
  name                    = "${local.name}/outbound-api-key"
  description             = "The key operators send as Authorization: Bearer to POST /calls (docs/outbound.md)."
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret" "outbound_callback_secret" {
  name                    = "${local.name}/outbound-callback-secret"
  description             = "Signs the outcome callbacks operators receive for outbound calls (docs/outbound.md)."
  recovery_window_in_days = 7
}

# ---- Agent profiles (docs/agents.md, "Where the document comes from") ----

# The translator's Agents__Source for store "ssm": ssm:/bridge-<env>/agents. Intelligent-Tiering makes it an advanced
# parameter only when the document is over 4 KB (8 KB at most; larger documents go to S3). SecureString with the AWS
# managed key: prompts stay encrypted at rest, and reading needs no key grant of its own.
resource "aws_ssm_parameter" "agents" {
  count       = local.agents != null && local.agents_store == "ssm" ? 1 : 0
  name        = "/${local.name}/agents"
  description = "The bridge's agent profiles (docs/agents.md), read by the api and the media worker at start."
  type        = "SecureString"
  tier        = "Intelligent-Tiering"
  value       = local.agents_document
}

# For store "s3": a private, encrypted, versioned bucket holding agents.json (up to 1 MB).
resource "aws_s3_bucket" "agents" {
  count         = local.agents != null && local.agents_store == "s3" ? 1 : 0
  bucket_prefix = "${local.name}-agents-"
}

resource "aws_s3_bucket_public_access_block" "agents" {
  count                   = length(aws_s3_bucket.agents)
  bucket                  = aws_s3_bucket.agents[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "agents" {
  count  = length(aws_s3_bucket.agents)
  bucket = aws_s3_bucket.agents[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "agents" {
  count  = length(aws_s3_bucket.agents)
  bucket = aws_s3_bucket.agents[0].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_object" "agents" {
  count        = length(aws_s3_bucket.agents)
  bucket       = aws_s3_bucket.agents[0].id
  key          = "agents.json"
  content      = local.agents_document
  content_type = "application/json"
}

# One secret per HTTP tool: the key that signs its requests (HttpTools__<tool>__Secret in the worker). Like the others,
# its value is set out of band (docs/deploy.md) and never passes through OpenTofu.
resource "aws_secretsmanager_secret" "http_tool" {
  for_each                = local.http_tools
  name                    = "${local.name}/http-tools/${each.key}"
  description             = "Signs the requests of the agents' HTTP tool ${each.key}; its backend checks them (docs/agents.md)."
  recovery_window_in_days = 7
}

# Each media worker task in a private DNS name, so the api can ask every worker whether it can take an outbound call
# (its /health/readiness, on the task's own address inside the VPC) before dialling anyone.
resource "aws_service_discovery_private_dns_namespace" "internal" {
  name        = "${local.name}.internal"
  description = "Names of the bridge's tasks inside its VPC"
  vpc         = module.network.vpc_id
}

resource "aws_service_discovery_service" "media_worker" {
  name = "media-worker"

  dns_config {
    namespace_id   = aws_service_discovery_private_dns_namespace.internal.id
    routing_policy = "MULTIVALUE"
    dns_records {
      type = "A"
      ttl  = 10
    }
  }

  # ECS reports each task's health; a stopped task leaves the name at once.
  health_check_custom_config {
    failure_threshold = 1
  }
}

resource "aws_ecs_cluster" "this" {
  name = local.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_cloudwatch_log_group" "metrics" {
  name              = "${local.deployment.logGroupPrefix}/metrics"
  retention_in_days = var.log_retention_days
}

module "iam" {
  source                 = "../iam"
  name_prefix            = local.name
  region                 = var.region
  account_id             = local.account_id
  cluster_name           = aws_ecs_cluster.this.name
  repository_arns        = values(module.ecr.repository_arns)
  log_group_names        = local.log_group_names
  metrics_log_group_name = aws_cloudwatch_log_group.metrics.name
  secret_arns = concat([
    aws_secretsmanager_secret.twilio_auth_token.arn,
    aws_secretsmanager_secret.outbound_api_key.arn,
    aws_secretsmanager_secret.outbound_callback_secret.arn,
  ], [for secret in aws_secretsmanager_secret.http_tool : secret.arn])
  agents_parameter_arns  = aws_ssm_parameter.agents[*].arn
  agents_object_arns     = [for object in aws_s3_object.agents : "${aws_s3_bucket.agents[0].arn}/${object.key}"]
  bedrock_model_arns     = local.bedrock_model_arns
}

module "alb" {
  source               = "../alb"
  name                 = local.name
  vpc_id               = module.network.vpc_id
  vpc_cidr             = module.network.vpc_cidr
  public_subnet_ids    = module.network.public_subnet_ids
  domain_name          = local.domain_name
  hosted_zone_id       = var.hosted_zone_id
  idle_timeout_seconds = var.alb_idle_timeout_seconds
  deletion_protection  = var.alb_deletion_protection
  waf_rate_limit       = var.waf_rate_limit
  access_logs_enabled  = var.alb_access_logs_enabled
  services = {
    for service, route in local.routes : service => merge(route, { container_port = local.container_ports[service] })
  }
}

module "service" {
  source   = "../ecs-service"
  for_each = toset(local.services)

  service_name         = each.key
  ecs_service_name     = "${local.name}-${each.key}"
  task_definition_file = local.task_definition_files[each.key]
  image                = "${module.ecr.repository_urls[each.key]}:${var.image_tag}"
  task_role_arn        = module.iam.task_role_arns[each.key]
  execution_role_arn   = module.iam.execution_role_arn
  region               = var.region
  secret_arns = {
    twilio_auth_token_secret_arn = aws_secretsmanager_secret.twilio_auth_token.arn
    outbound_api_key_secret_arn  = aws_secretsmanager_secret.outbound_api_key.arn
    outbound_callback_secret_arn = aws_secretsmanager_secret.outbound_callback_secret.arn
  }
  template_values      = local.agents_template_values
  service_registry_arn = each.key == "media-worker" ? aws_service_discovery_service.media_worker.arn : null

  cluster_arn                     = aws_ecs_cluster.this.arn
  cluster_name                    = aws_ecs_cluster.this.name
  vpc_id                          = module.network.vpc_id
  private_subnet_ids              = module.network.private_subnet_ids
  load_balancer_security_group_id = module.alb.security_group_id
  target_group_arn                = module.alb.target_group_arns[each.key]
  log_retention_days              = var.log_retention_days
  metrics_namespace               = local.deployment.metricsNamespace

  min_tasks                    = var.scaling[each.key].min_tasks
  max_tasks                    = var.scaling[each.key].max_tasks
  cpu_target_percent           = var.scaling[each.key].cpu_target_percent
  active_calls_per_task_target = var.scaling[each.key].active_calls_per_task_target
  max_calls_per_task           = each.key == "media-worker" ? local.worker_max_concurrent_calls : null

  # The target groups must be attached to the listener before a service can register with them.
  depends_on = [module.alb]
}

# The api asks each worker task for a free call slot on the worker's own port, inside the VPC.
resource "aws_vpc_security_group_ingress_rule" "worker_from_api" {
  security_group_id            = module.service["media-worker"].security_group_id
  referenced_security_group_id = module.service["api"].security_group_id
  from_port                    = local.container_ports["media-worker"]
  to_port                      = local.container_ports["media-worker"]
  ip_protocol                  = "tcp"
}

module "monitoring" {
  source                    = "../monitoring"
  name                      = local.name
  alarm_emails              = var.alarm_emails
  load_balancer_arn_suffix  = module.alb.arn_suffix
  target_group_arn_suffixes = module.alb.target_group_arn_suffixes
  cluster_name              = aws_ecs_cluster.this.name
  worker_service_name       = module.service["media-worker"].service_name
  metrics_namespace         = local.deployment.metricsNamespace
}
