#!/usr/bin/env bash
# The attacks of issue 12 against the Release build run as plain processes, as in production: api + media worker +
# Nova Sonic emulator (loopback), ASPNETCORE_ENVIRONMENT=Production, a public https URL (reached through the
# attack program's routes, as through the load balancer), a 32-hex auth token and an account SID; Twilio's REST API
# is the call simulator's (served by the attack program). Prints each attack and the answer it got, then what the
# logs show of the refusals, and the configurations a service refuses to start with.
#
#   scripts/public-edge/check.sh
#   API_PORT=6480 EMULATOR_PORT=6481 EMULATOR_HEALTH_PORT=6482 WORKER_PORT=6490 TWILIO_API_PORT=6491 scripts/public-edge/check.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

api_port=${API_PORT:-5480}
emulator_port=${EMULATOR_PORT:-5481}
emulator_health_port=${EMULATOR_HEALTH_PORT:-5482}
worker_port=${WORKER_PORT:-5490}
twilio_api_port=${TWILIO_API_PORT:-5491}
logs=artifacts/public-edge
mkdir -p artifacts

dotnet build -c Release Bridge.sln -v quiet -nologo > /dev/null
bin() { echo "$1/bin/Release/net10.0/$(basename "$1").dll"; }

token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
account=AC$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
public=https://voice.edge-check.invalid
key=AKIAEDGECHECKLOCAL01
secret=edge-check-local-secret-not-an-aws-key
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

dotnet "$(bin tools/Bridge.Emulator)" --mode loopback --port "$emulator_port" --health-port "$emulator_health_port" \
  --access-key-id "$key" --secret-access-key "$secret" > "$logs-emulator.log" 2>&1 &
pids+=($!)

# Default limits throughout, but for a small worker (20 calls) and a short Calls:MaxDuration (20 s) so that a call
# reaches it within the run.
env ASPNETCORE_URLS=http://127.0.0.1:$worker_port ASPNETCORE_ENVIRONMENT=Production \
  Twilio__AuthToken="$token" Twilio__AccountSid="$account" Bridge__PublicBaseUrl=$public \
  Twilio__Rest__BaseAddress=http://127.0.0.1:$twilio_api_port \
  Bedrock__Region=us-east-1 AWS_ENDPOINT_URL_BEDROCK_RUNTIME=http://127.0.0.1:$emulator_port AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret \
  Calls__MaxConcurrent=20 Calls__MaxDuration=00:00:20 \
  dotnet "$(bin Bridge.MediaWorker)" > "$logs-worker.log" 2>&1 &
worker=$!
pids+=($worker)

# Stream tokens live 5 s (60 s by default), so that a captured webhook can be replayed after the first expired.
env ASPNETCORE_URLS=http://127.0.0.1:$api_port ASPNETCORE_ENVIRONMENT=Production \
  Twilio__AuthToken="$token" Bridge__PublicBaseUrl=$public Bridge__StreamTokenLifetime=00:00:05 \
  dotnet "$(bin Bridge.Api)" > "$logs-api.log" 2>&1 &
pids+=($!)

for url in http://127.0.0.1:$emulator_health_port/health/readiness http://127.0.0.1:$worker_port/health/readiness http://127.0.0.1:$api_port/health/readiness; do
  for _ in $(seq 1 60); do curl -fs "$url" > /dev/null && break; sleep 0.5; done
  curl -fs "$url" > /dev/null || { echo "not ready: $url" >&2; exit 1; }
done

status=0
dotnet run -c Release scripts/public-edge/attacks.cs -- "$api_port" "$worker_port" "$twilio_api_port" "$worker" "$public" "$token" "$account" "$logs-emulator.log" || status=$?

echo
echo "What the logs show (every refusal is logged at Debug; a warning at most every 10 s per reason):"
first() { grep -m1 "$1" "$2" | sed 's/^ *//'; }
printf '  worker: %s warnings about refused media streams, %s about refused WebSockets, %s about rate limits, e.g.\n' \
  "$(grep -c 'Refusing a media stream' "$logs-worker.log" || true)" "$(grep -c 'Refusing a WebSocket' "$logs-worker.log" || true)" \
  "$(grep -c 'Refusing media-streams requests' "$logs-worker.log" || true)"
printf '    %s\n' "$(first 'Refusing a media stream (start-timeout)' "$logs-worker.log")" "$(first 'Refusing a WebSocket (control-frames)' "$logs-worker.log")" \
  "$(first 'Refusing media-streams requests' "$logs-worker.log")"
printf '  api: %s warnings about refused Twilio requests, e.g.\n    %s\n' "$(grep -c 'Refusing a Twilio request' "$logs-api.log" || true)" \
  "$(first 'Refusing a Twilio request (signature)' "$logs-api.log")"

echo
echo "Configurations refused at start (ASPNETCORE_ENVIRONMENT=Production):"
refused() { # service, then NAME=VALUE settings; prints the exit code and the one line
  local service=$1; shift
  local output code=0
  output=$(env ASPNETCORE_URLS=http://127.0.0.1:0 ASPNETCORE_ENVIRONMENT=Production Bedrock__Region=us-east-1 "$@" timeout 60 dotnet "$(bin "$service")" 2>&1 >/dev/null) || code=$?
  printf '  %-18s %-60s exit %s: %s\n' "$service" "$*" "$code" "$output"
}
refused Bridge.Api Twilio__AuthToken="$token"
refused Bridge.Api Twilio__AuthToken=x Bridge__PublicBaseUrl=$public
refused Bridge.MediaWorker Twilio__AuthToken="$token" Bridge__PublicBaseUrl=http://voice.edge-check.invalid Twilio__AccountSid="$account"
refused Bridge.MediaWorker Twilio__AuthToken="$token" Bridge__PublicBaseUrl=$public
exit $status
