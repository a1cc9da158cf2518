# Least privilege: the execution role lets ECS start the tasks (pull, logs, the services' secrets); the task roles are
# what the code (and its collector sidecar) may do at run time.

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:aws:ecs:${var.region}:${var.account_id}:*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

locals {
  log_group_arns = [for group in var.log_group_names : "arn:aws:logs:${var.region}:${var.account_id}:log-group:${group}:*"]
}

# ---- Execution role (used by ECS itself) ----

resource "aws_iam_role" "execution" {
  name               = "${var.name_prefix}-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    sid = "PullServiceImages"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = var.repository_arns
  }
  statement {
    sid       = "WriteContainerLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = local.log_group_arns
  }
  statement {
    sid       = "ReadTheServicesSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = var.secret_arns
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "start-tasks"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# ---- Task roles (used by the code) ----

# What the ADOT collector sidecar in every task needs: traces to X-Ray, EMF metrics and OTLP logs to CloudWatch Logs.
data "aws_iam_policy_document" "telemetry" {
  statement {
    sid = "Traces"
    actions = [
      "xray:PutTraceSegments",
      "xray:PutTelemetryRecords",
      "xray:GetSamplingRules",
      "xray:GetSamplingTargets",
      "xray:GetSamplingStatisticSummaries",
    ]
    resources = ["*"]
  }
  statement {
    sid       = "MetricsAndLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = concat(local.log_group_arns, ["arn:aws:logs:${var.region}:${var.account_id}:log-group:${var.metrics_log_group_name}:*"])
  }
}

resource "aws_iam_role" "api_task" {
  name               = "${var.name_prefix}-api-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy" "api_telemetry" {
  name   = "telemetry"
  role   = aws_iam_role.api_task.id
  policy = data.aws_iam_policy_document.telemetry.json
}

resource "aws_iam_role" "worker_task" {
  name               = "${var.name_prefix}-media-worker-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "worker" {
  statement {
    sid       = "NovaSonic"
    actions   = ["bedrock:InvokeModelWithBidirectionalStream"]
    resources = var.bedrock_model_arns
  }
  # A task with live calls protects itself from scale-in through the ECS agent endpoint.
  statement {
    sid       = "ScaleInProtectionWhileOnACall"
    actions   = ["ecs:GetTaskProtection", "ecs:UpdateTaskProtection"]
    resources = ["arn:aws:ecs:${var.region}:${var.account_id}:task/${var.cluster_name}/*"]
  }
}

resource "aws_iam_role_policy" "worker" {
  name   = "nova-sonic"
  role   = aws_iam_role.worker_task.id
  policy = data.aws_iam_policy_document.worker.json
}

resource "aws_iam_role_policy" "worker_telemetry" {
  name   = "telemetry"
  role   = aws_iam_role.worker_task.id
  policy = data.aws_iam_policy_document.telemetry.json
}

# ---- Agent profiles: both services read the same document at start (docs/agents.md) ----

data "aws_iam_policy_document" "agents" {
  dynamic "statement" {
    for_each = length(var.agents_parameter_arns) > 0 ? [1] : []
    content {
      sid       = "ReadTheAgentProfilesParameter"
      actions   = ["ssm:GetParameter"]
      resources = var.agents_parameter_arns
    }
  }
  dynamic "statement" {
    for_each = length(var.agents_object_arns) > 0 ? [1] : []
    content {
      sid       = "ReadTheAgentProfilesObject"
      actions   = ["s3:GetObject"]
      resources = var.agents_object_arns
    }
  }
}

resource "aws_iam_role_policy" "api_agents" {
  count  = length(var.agents_parameter_arns) + length(var.agents_object_arns) > 0 ? 1 : 0
  name   = "agent-profiles"
  role   = aws_iam_role.api_task.id
  policy = data.aws_iam_policy_document.agents.json
}

resource "aws_iam_role_policy" "worker_agents" {
  count  = length(var.agents_parameter_arns) + length(var.agents_object_arns) > 0 ? 1 : 0
  name   = "agent-profiles"
  role   = aws_iam_role.worker_task.id
  policy = data.aws_iam_policy_document.agents.json
}
