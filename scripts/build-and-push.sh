#!/usr/bin/env bash
# Builds the api and media-worker images with the .NET SDK's container publishing (no Dockerfile, no Docker
# engine) and pushes them to the environment's ECR repositories under one tag.
#
#   scripts/build-and-push.sh --env dev [--tag TAG] [--archive-only]
#
# The repositories and region come from `tofu output` of infrastructure/environments/<env> (create them first
# with `tofu apply -target=module.bridge.module.ecr`), the CPU architecture from its deployment.json.
# Needs the .NET SDK; pushing also needs OpenTofu, the AWS CLI and jq.
# --archive-only writes artifacts/images/<service>.tar.gz instead of pushing (no AWS needed).
# Prints the tag; pass it to tofu as image_tag.
set -euo pipefail
cd "$(dirname "$0")/.."

environment=""
tag=""
archive_only=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --env) environment="$2"; shift 2 ;;
    --tag) tag="$2"; shift 2 ;;
    --archive-only) archive_only=true; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

environment_dir="infrastructure/environments/${environment}"
if [[ -z "$environment" || ! -f "${environment_dir}/deployment.json" ]]; then
  echo "--env must name a directory under infrastructure/environments with a deployment.json" >&2
  exit 2
fi

if [[ -z "$tag" ]]; then
  if [[ -n "$(git status --porcelain)" ]]; then
    echo "The working tree has uncommitted changes: commit them or pass --tag explicitly." >&2
    exit 2
  fi
  tag="$(date -u +%Y%m%d%H%M%S)-$(git rev-parse --short HEAD)"
fi

# The images must match the task definitions' runtimePlatform.
architecture="$(grep -o '"cpuArchitecture": *"[A-Z0-9_]*"' "${environment_dir}/deployment.json" | grep -o '[A-Z0-9_]*"$' | tr -d '"')"
case "${architecture:-X86_64}" in
  X86_64) runtime=linux-x64 ;;
  ARM64) runtime=linux-arm64 ;;
  *) echo "cpuArchitecture '${architecture}' in deployment.json is neither X86_64 nor ARM64" >&2; exit 2 ;;
esac

services=(api media-worker)
project_of() {
  case "$1" in
    api) echo Bridge.Api/Bridge.Api.csproj ;;
    media-worker) echo Bridge.MediaWorker/Bridge.MediaWorker.csproj ;;
  esac
}

if [[ "$archive_only" == true ]]; then
  mkdir -p artifacts/images
  for service in "${services[@]}"; do
    dotnet publish "$(project_of "$service")" -c Release -r "$runtime" -t:PublishContainer \
      -p:ContainerImageTags="$tag" \
      -p:ContainerArchiveOutputPath="$PWD/artifacts/images/${service}.tar.gz"
  done
  echo "$tag"
  exit 0
fi

tofu=$(command -v tofu || command -v terraform || true)
if [[ -z "$tofu" ]]; then
  echo "OpenTofu (tofu) is needed to read the repository URLs" >&2
  exit 2
fi
for tool in aws jq; do
  command -v "$tool" >/dev/null || { echo "$tool is needed to push" >&2; exit 2; }
done
repositories="$("$tofu" -chdir="$environment_dir" output -json repository_urls)"
region="$("$tofu" -chdir="$environment_dir" output -raw region)"
# One login serves every repository: they are in the same account and region (one registry).
password="$(aws ecr get-login-password --region "$region")"

for service in "${services[@]}"; do
  url="$(jq -er --arg service "$service" '.[$service]' <<<"$repositories")"
  registry="${url%%/*}"
  repository="${url#*/}"
  # The SDK pushes straight to the registry; these two variables are its credentials.
  DOTNET_CONTAINER_REGISTRY_UNAME=AWS \
  DOTNET_CONTAINER_REGISTRY_PWORD="$password" \
    dotnet publish "$(project_of "$service")" -c Release -r "$runtime" -t:PublishContainer \
      -p:ContainerRegistry="$registry" \
      -p:ContainerRepository="$repository" \
      -p:ContainerImageTags="$tag"
done

echo "$tag"
