output "state_bucket" {
  description = "Put this in the environments' backend configuration (backend.hcl: bucket)."
  value       = aws_s3_bucket.state.id
}
