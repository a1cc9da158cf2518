#!/usr/bin/env bash
# Load test of one media worker (Release build) against the Nova Sonic emulator in loopback mode, 8 kHz both
# ways, driven by the call simulator's load command. Everything listens on 127.0.0.1 only.
#
#   scripts/load-test.sh [CALLS] [DURATION] [RAMP] [JSON] [-- more bridge-call load options]
#   scripts/load-test.sh 500 60s 20s artifacts/load-500.json
#   API_PORT=6380 EMULATOR_PORT=6381 EMULATOR_HEALTH_PORT=6382 WORKER_PORT=6390 scripts/load-test.sh 20 60s 10s
#
# Ports (environment): API_PORT (5380), EMULATOR_PORT (5381), EMULATOR_HEALTH_PORT (5382), WORKER_PORT (5390),
# TWILIO_API_PORT (5391, the simulator's Twilio REST API), so that a second run does not collide with one already
# going; LOG_PREFIX (artifacts/load) names the services' logs.
#
# The services run as in production: a public https URL (which the simulator's --route maps to the local ports, as
# the load balancer would), a 32-hex auth token, an account SID, and every call confirmed with the simulator's REST API.
#
# Prints the load generator's report (round-trip latency p50/p95/p99, late and lost frames, worker CPU and
# memory). The worker's own bridge-added latency histograms are in its metrics (bridge.latency.inbound/outbound).
set -euo pipefail
cd "$(dirname "$0")/.."

calls=${1:-100}
duration=${2:-60s}
ramp=${3:-20s}
json=${4:-artifacts/load-${calls}.json}
shift $(( $# < 4 ? $# : 4 ))
[[ "${1:-}" == "--" ]] && shift
api_port=${API_PORT:-5380}
emulator_port=${EMULATOR_PORT:-5381}
emulator_health_port=${EMULATOR_HEALTH_PORT:-5382}
worker_port=${WORKER_PORT:-5390}
twilio_api_port=${TWILIO_API_PORT:-5391}
logs=${LOG_PREFIX:-artifacts/load}
mkdir -p "$(dirname "$json")" artifacts

dotnet build -c Release Bridge.sln -v quiet -nologo > /dev/null
dotnet tool restore > /dev/null
bin() { echo "$1/bin/Release/net10.0/$(basename "$1").dll"; }
# CPU seconds (user + system) a live process has used so far.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null; }

token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
account=AC$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
public=https://voice.load-test.invalid
key=AKIALOADTESTLOCAL001
secret=load-test-local-secret-not-an-aws-key
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

dotnet "$(bin tools/Bridge.Emulator)" --mode loopback --port "$emulator_port" --health-port "$emulator_health_port" \
  --access-key-id "$key" --secret-access-key "$secret" > "$logs-emulator.log" 2>&1 &
pids+=($!)

# Every simulated call comes from 127.0.0.1: the per-client rate limits and the pre-start pool's share per address are
# raised far above the load, so that the test measures the worker, not the limiter.
export RateLimits__Webhooks__PermitsPerSecond=10000 RateLimits__Webhooks__Burst=100000
export RateLimits__MediaStreams__PermitsPerSecond=10000 RateLimits__MediaStreams__Burst=100000
export Calls__PendingStreams__MaxTotal=1000 Calls__PendingStreams__MaxPerAddress=1000
export Bridge__PublicBaseUrl=$public Twilio__AccountSid=$account

ASPNETCORE_URLS=http://127.0.0.1:$worker_port ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
Twilio__AuthToken=$token Bedrock__Region=us-east-1 AWS_ENDPOINT_URL_BEDROCK_RUNTIME=http://127.0.0.1:$emulator_port \
AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret Calls__MaxConcurrent=1000 Twilio__Rest__BaseAddress=http://127.0.0.1:$twilio_api_port \
  dotnet "$(bin Bridge.MediaWorker)" > "$logs-worker.log" 2>&1 &
worker=$!
pids+=($worker)

env ASPNETCORE_URLS=http://127.0.0.1:$api_port ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
  Twilio__AuthToken="$token" services__media-worker__http__0=http://127.0.0.1:$worker_port \
  dotnet "$(bin Bridge.Api)" > "$logs-api.log" 2>&1 &
pids+=($!)

for url in http://127.0.0.1:$emulator_health_port/health/readiness http://127.0.0.1:$worker_port/health/readiness http://127.0.0.1:$api_port/health/readiness; do
  for _ in $(seq 1 60); do curl -fs "$url" > /dev/null && break; sleep 0.5; done
  curl -fs "$url" > /dev/null || { echo "not ready: $url" >&2; exit 1; }
done

# The worker's own histograms (bridge-added latency per direction, queue depth), every 5 s, while the load runs.
counters=${json%.json}-worker-metrics.csv
rm -f "$counters"
dotnet tool run dotnet-counters collect --process-id "$worker" --counters Bridge.MediaWorker,System.Runtime \
  --refresh-interval 5 --format csv --output "$counters" > /dev/null 2>&1 &
pids+=($!)
sleep 7 # one idle sample first: the baseline the per-call memory figures are measured from

dotnet tools/Bridge.CallSimulator/bin/Release/net10.0/bridge-call.dll load --url "$public/webhook" --auth-token "$token" --account-sid "$account" \
  --route "$public/webhook=http://127.0.0.1:$api_port/webhook" --route "${public/https/wss}/media=ws://127.0.0.1:$worker_port/media" \
  --rest-api "http://127.0.0.1:$twilio_api_port" \
  --calls "$calls" --ramp "$ramp" --duration "$duration" --worker-pid "$worker" --json "$json" "$@" &
simulator=$!
simulator_cpu=""
while kill -0 "$simulator" 2>/dev/null; do
  simulator_cpu=$(cpu_seconds "$simulator" || echo "$simulator_cpu")
  sleep 1
done
wait "$simulator"

sleep 6
echo "CPU seconds used (the processes share this machine's $(nproc) cores):"
for pid in "${pids[@]}"; do
  [ -r "/proc/$pid/cmdline" ] || continue
  printf '  %-10s %6s s  %s\n' "$pid" "$(cpu_seconds "$pid")" "$(tr '\0' ' ' < "/proc/$pid/cmdline" | awk '{ print $2 }' | xargs basename)"
done
printf '  %-10s %6s s  %s\n' "$simulator" "${simulator_cpu:-?}" "bridge-call.dll (last reading before it exited)"
echo "Worker metrics (last sample of each bridge histogram, ms): $counters"
grep -E 'bridge\.latency|bridge\.audio\.queue' "$counters" | tail -n 12 || true
scripts/worker-memory-per-call.sh "$counters" "$calls"
