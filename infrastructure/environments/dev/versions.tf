terraform {
  required_version = ">= 1.10.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }

  # bucket and region come from backend.hcl (see backend.hcl.example): tofu init -backend-config=backend.hcl
  backend "s3" {
    key          = "bridge/dev/terraform.tfstate"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = {
      Project     = "twilio-nova-sonic-bridge"
      Environment = "dev"
      ManagedBy   = "opentofu"
    }
  }
}
