#!/usr/bin/env bash
# Load test of one media worker (Release build) against the Nova Sonic emulator in loopback mode, 8 kHz both
# ways, driven by the call simulator's load command. Everything listens on 127.0.0.1 only.
#
# The worker is measured alone: on a machine with 2 or more cores it runs pinned to one core (taskset), and
# everything that drives it (the emulator, the call simulator, the api, dotnet-counters) to the others, so that
# its CPU is not shared with the load it serves. Its cost is taken over the steady window only (from the end of
# the ramp + STEADY_SETTLE to 2 s before the calls hang up), never over the ramp.
#
#   scripts/load-test.sh [CALLS] [DURATION] [RAMP] [JSON] [-- more bridge-call load options]
#   scripts/load-test.sh 500 60s 20s artifacts/load-500.json
#   API_PORT=6380 EMULATOR_PORT=6381 EMULATOR_HEALTH_PORT=6382 WORKER_PORT=6390 scripts/load-test.sh 20 60s 10s
#
# Ports (environment): API_PORT (5380), EMULATOR_PORT (5381), EMULATOR_HEALTH_PORT (5382), WORKER_PORT (5390),
# TWILIO_API_PORT (5391, the simulator's Twilio REST API), so that a second run does not collide with one already
# going; LOG_PREFIX (artifacts/load) names the services' logs.
# Cores (environment): WORKER_CPUS (0) and DRIVER_CPUS (1 to the last core), as taskset -c lists; PIN=0 pins nothing.
# STEADY_SETTLE (5): seconds after the ramp before the steady window starts.
# WORKER_ENV: more environment for the worker only, space-separated NAME=value pairs (runtime settings under test:
#   WORKER_ENV="DOTNET_TieredPGO=0 DOTNET_GCgen0size=0x4000000"); the driver's processes do not see it.
# Profiles of the worker over the steady window, for the optimisation work (docs/benchmarks.md):
#   WORKER_PERF=artifacts/worker.perf.data  perf record -g at 999 Hz, with the runtime's perf map (DOTNET_PerfMapEnabled=1)
#   WORKER_TRACE=artifacts/worker.nettrace   dotnet-trace of the GC and its allocation ticks (scripts/profile/allocations.cs reads it)
#   WORKER_MEMORY=1  the worker's resident memory by kind (GC heap, JIT code, native, stacks, ...) idle and in the middle
#                    of the window, and its growth per call (scripts/profile/memory-by-kind.cs)
#
# The services run as in production: a public https URL (which the simulator's --route maps to the local ports, as
# the load balancer would), a 32-hex auth token, an account SID, and every call confirmed with the simulator's REST API.
#
# Prints the load generator's report (round-trip latency p50/p95/p99, late and lost frames, worker CPU and
# memory), the worker's steady-window figures (CPU seconds per call-minute, CPU per call-second, calls one core
# carries, RSS growth per call; also written to <JSON without .json>-steady.json), the driver's CPU over the same
# window, the worker's own bridge-added latency histograms (bridge.latency.inbound/outbound) and its memory and
# allocation per call (scripts/worker-memory-per-call.sh).
#
# Exit code: that of the load command — 0 when the run passed, 1 when it failed (a call failed or ended early, no
# frame came back, or more than --max-lost of the frames were lost: 0.1 % unless given after --), 2 for bad options.
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
settle=${STEADY_SETTLE:-5}
mkdir -p "$(dirname "$json")" artifacts

# A duration as bridge-call reads it (250ms, 1.5s, 2m, 1h, or plain seconds), in seconds.
seconds() {
  awk -v d="$1" 'BEGIN {
    scale = 1
    if (d ~ /ms$/) { scale = 0.001; sub(/ms$/, "", d) } else if (d ~ /s$/) { sub(/s$/, "", d) }
    else if (d ~ /m$/) { scale = 60; sub(/m$/, "", d) } else if (d ~ /h$/) { scale = 3600; sub(/h$/, "", d) }
    if (d !~ /^[0-9]+(\.[0-9]+)?$/) { exit 1 }
    printf "%.3f", d * scale }' || { echo "not a duration: $1 (e.g. 60s, 2m)" >&2; exit 2; }
}
ramp_s=$(seconds "$ramp")
duration_s=$(seconds "$duration")
steady_from=$(awk -v r="$ramp_s" -v s="$settle" 'BEGIN { printf "%.3f", r + s }')
steady_to=$(awk -v d="$duration_s" 'BEGIN { printf "%.3f", d - 2 }')
if awk -v a="$steady_from" -v b="$steady_to" 'BEGIN { exit !(b - a < 10) }'; then
  echo "The steady window (from ${steady_from} s to ${steady_to} s) is shorter than 10 s: give DURATION at least RAMP + $((settle + 12))s." >&2
  exit 2
fi

# Which cores: the worker alone on WORKER_CPUS, whatever drives it on DRIVER_CPUS.
cores=$(nproc)
pin=${PIN:-$([ "$cores" -ge 2 ] && echo 1 || echo 0)}
worker_cpus=${WORKER_CPUS:-0}
driver_cpus=${DRIVER_CPUS:-1-$((cores - 1))}
# taskset execs the command, so $! is the process itself. Unpinned, every process may use every core.
all_cpus=0-$((cores - 1))
worker_set=$([ "$pin" = 1 ] && echo "$worker_cpus" || echo "$all_cpus")
driver_set=$([ "$pin" = 1 ] && echo "$driver_cpus" || echo "$all_cpus")

step() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }
for port in "$api_port" "$emulator_port" "$emulator_health_port" "$worker_port" "$twilio_api_port"; do
  if ss -ltn "sport = :$port" | grep -q LISTEN; then
    echo "Port $port is in use (another load test?): choose other ports (API_PORT, EMULATOR_PORT, ... above)." >&2
    exit 2
  fi
done
step "Building Release (a minute or two the first time, then seconds)..."
dotnet build -c Release Bridge.sln -v quiet -nologo > /dev/null
dotnet tool restore > /dev/null
memory_by_kind() { taskset -c "$driver_set" dotnet run scripts/profile/memory-by-kind.cs -- "$1" --kb 2>/dev/null || true; }
# Compiled once here, so that the readings below take half a second.
[ -n "${WORKER_MEMORY:-}" ] && memory_by_kind $$ > /dev/null
bin() { echo "$1/bin/Release/net10.0/$(basename "$1").dll"; }
hz=$(getconf CLK_TCK)
# CPU seconds (user + system) a live process has used so far.
cpu_seconds() { awk -v hz="$hz" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
now() { date +%s.%N; }
load_average() { cut -d' ' -f1-3 /proc/loadavg; }

token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
account=AC$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
public=https://voice.load-test.invalid
key=AKIALOADTESTLOCAL001
secret=load-test-local-secret-not-an-aws-key
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

if [ "$pin" = 1 ]; then
  step "The worker runs on core(s) $worker_cpus, the emulator, the simulator and the api on $driver_cpus."
else
  step "Nothing pinned (PIN=0 or a single core): the worker shares the cores with what drives it."
fi
step "Starting the emulator (loopback), the worker and the api (logs: $logs-*.log)..."
taskset -c "$driver_set" dotnet "$(bin tools/Bridge.Emulator)" --mode loopback --port "$emulator_port" --health-port "$emulator_health_port" \
  --access-key-id "$key" --secret-access-key "$secret" > "$logs-emulator.log" 2>&1 &
emulator=$!
pids+=($emulator)

# Every simulated call comes from 127.0.0.1: the per-client rate limits and the pre-start pool's share per address are
# raised far above the load, so that the test measures the worker, not the limiter.
export RateLimits__Webhooks__PermitsPerSecond=10000 RateLimits__Webhooks__Burst=100000
export RateLimits__MediaStreams__PermitsPerSecond=10000 RateLimits__MediaStreams__Burst=100000
export Calls__PendingStreams__MaxTotal=1000 Calls__PendingStreams__MaxPerAddress=1000
export Bridge__PublicBaseUrl=$public Twilio__AccountSid=$account

# perf resolves JIT-compiled frames through the runtime's perf map (/tmp/perf-<pid>.map), which only matches the
# code's addresses without the W^X double mapping; and without ReadyToRun code every method is in the map.
perf_env=()
[ -n "${WORKER_PERF:-}" ] && perf_env=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 DOTNET_ReadyToRun=0)
read -r -a worker_env <<< "${WORKER_ENV:-}"
[ ${#worker_env[@]} -gt 0 ] && step "The worker's own environment: ${worker_env[*]}"
ASPNETCORE_URLS=http://127.0.0.1:$worker_port ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
Twilio__AuthToken=$token Bedrock__Region=us-east-1 AWS_ENDPOINT_URL_BEDROCK_RUNTIME=http://127.0.0.1:$emulator_port \
AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret Calls__MaxConcurrent=1000 Twilio__Rest__BaseAddress=http://127.0.0.1:$twilio_api_port \
  taskset -c "$worker_set" env "${perf_env[@]}" "${worker_env[@]}" dotnet "$(bin Bridge.MediaWorker)" > "$logs-worker.log" 2>&1 &
worker=$!
pids+=($worker)

taskset -c "$driver_set" env ASPNETCORE_URLS=http://127.0.0.1:$api_port ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
  Twilio__AuthToken="$token" services__media-worker__http__0=http://127.0.0.1:$worker_port \
  dotnet "$(bin Bridge.Api)" > "$logs-api.log" 2>&1 &
api=$!
pids+=($api)

step "Waiting for the three to be ready..."
for url in http://127.0.0.1:$emulator_health_port/health/readiness http://127.0.0.1:$worker_port/health/readiness http://127.0.0.1:$api_port/health/readiness; do
  for _ in $(seq 1 60); do curl -fs "$url" > /dev/null && break; sleep 0.5; done
  curl -fs "$url" > /dev/null || { echo "not ready: $url" >&2; exit 1; }
done

# The worker's own histograms (bridge-added latency per direction, queue depth), every 5 s, while the load runs.
counters=${json%.json}-worker-metrics.csv
rm -f "$counters"
taskset -c "$driver_set" dotnet tool run dotnet-counters collect --process-id "$worker" --counters Bridge.MediaWorker,System.Runtime \
  --refresh-interval 5 --format csv --output "$counters" > /dev/null 2>&1 &
pids+=($!)
step "Sampling the idle worker for 7 s (the baseline of the memory per call)..."
sleep 7
idle_rss=$(rss_kb "$worker")
memory_idle="" memory_steady=""
[ -n "${WORKER_MEMORY:-}" ] && memory_idle=$(memory_by_kind "$worker")
steady_middle=$(awk -v a="$steady_from" -v b="$steady_to" 'BEGIN { printf "%.3f", (a + b) / 2 }')

launched=$(now)
taskset -c "$driver_set" dotnet tools/Bridge.CallSimulator/bin/Release/net10.0/bridge-call.dll load --url "$public/webhook" --auth-token "$token" --account-sid "$account" \
  --route "$public/webhook=http://127.0.0.1:$api_port/webhook" --route "${public/https/wss}/media=ws://127.0.0.1:$worker_port/media" \
  --rest-api "http://127.0.0.1:$twilio_api_port" \
  --calls "$calls" --ramp "$ramp" --duration "$duration" --worker-pid "$worker" --json "$json" "$@" &
simulator=$!
pids+=($simulator)
simulator_cpu=""

# The steady window: every process's CPU time read at its start and its end, the worker's RSS every second in it.
declare -A cpu_from cpu_to names
names=([$worker]=worker [$emulator]=emulator [$simulator]=simulator [$api]=api)
window=waiting
rss_sum=0 rss_samples=0
start_profilers() {
  local seconds_left
  seconds_left=$(awk -v a="$steady_from" -v b="$steady_to" 'BEGIN { printf "%d", b - a }')
  if [ -n "${WORKER_PERF:-}" ]; then
    taskset -c "$driver_set" perf record -F 999 -g -p "$worker" -o "$WORKER_PERF" -- sleep "$seconds_left" > "$logs-perf.log" 2>&1 &
    pids+=($!)
  fi
  if [ -n "${WORKER_TRACE:-}" ]; then
    taskset -c "$driver_set" dotnet tool run dotnet-trace collect --process-id "$worker" --profile gc-verbose \
      --duration "$(printf '00:00:%02d:%02d' $((seconds_left / 60)) $((seconds_left % 60)))" --output "$WORKER_TRACE" > "$logs-trace.log" 2>&1 &
    pids+=($!)
  fi
}
while kill -0 "$simulator" 2>/dev/null; do
  simulator_cpu=$(cpu_seconds "$simulator" || echo "$simulator_cpu")
  elapsed=$(awk -v a="$launched" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
  if [ "$window" = waiting ] && awk -v e="$elapsed" -v f="$steady_from" 'BEGIN { exit !(e >= f) }'; then
    window=open; window_from=$(now); load_from=$(load_average)
    for pid in "${!names[@]}"; do cpu_from[$pid]=$(cpu_seconds "$pid"); done
    start_profilers
  elif [ "$window" = open ] && awk -v e="$elapsed" -v t="$steady_to" 'BEGIN { exit !(e >= t) }'; then
    window=closed; window_to=$(now); load_to=$(load_average)
    for pid in "${!names[@]}"; do cpu_to[$pid]=$(cpu_seconds "$pid"); done
  fi
  if [ -n "${WORKER_MEMORY:-}" ] && [ "$window" = open ] && [ -z "$memory_steady" ] && awk -v e="$elapsed" -v m="$steady_middle" 'BEGIN { exit !(e >= m) }'; then
    memory_steady=$(memory_by_kind "$worker")
  fi
  if [ "$window" = open ] && rss=$(rss_kb "$worker") && [ -n "$rss" ]; then
    rss_sum=$(( rss_sum + rss )); rss_samples=$(( rss_samples + 1 ))
  fi
  sleep 1
done
status=0
wait "$simulator" || status=$?
if [ "$status" = 2 ]; then
  echo "bridge-call load refused its options (exit 2, the error above): nothing was measured." >&2
  exit 2
fi

step "Waiting 6 s for the worker's last metrics sample..."
sleep 6
echo "CPU seconds used over the whole run (the worker on core(s) $([ "$pin" = 1 ] && echo "$worker_cpus, the rest on $driver_cpus" || echo "shared: nothing pinned")):"
for pid in "${pids[@]}"; do
  [ -r "/proc/$pid/cmdline" ] || continue
  [ -n "${names[$pid]:-}" ] || continue
  printf '  %-10s %7s s  %s\n' "$pid" "$(cpu_seconds "$pid")" "$(tr '\0' ' ' < "/proc/$pid/cmdline" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /\.dll$/) { print $i; exit } }' | xargs basename)"
done
printf '  %-10s %7s s  %s\n' "$simulator" "${simulator_cpu:-?}" "bridge-call.dll (last reading before it exited)"

steady=${json%.json}-steady.json
if [ "$window" != closed ]; then
  echo "No steady window: the load ended before ${steady_to} s (see the report above)."
else
  awk -v calls="$calls" -v from="$window_from" -v to="$window_to" -v load_from="$load_from" -v load_to="$load_to" \
      -v w0="${cpu_from[$worker]}" -v w1="${cpu_to[$worker]}" -v e0="${cpu_from[$emulator]}" -v e1="${cpu_to[$emulator]}" \
      -v s0="${cpu_from[$simulator]}" -v s1="${cpu_to[$simulator]}" -v a0="${cpu_from[$api]}" -v a1="${cpu_to[$api]}" \
      -v idle_rss="$idle_rss" -v rss_mean="$(( rss_samples > 0 ? rss_sum / rss_samples : 0 ))" \
      -v pinned="$pin" -v driver_cores="$(taskset -c "$driver_set" nproc)" -v worker_cpus="$worker_cpus" -v driver_cpus="$driver_cpus" -v steady="$steady" '
    BEGIN {
      t = to - from; w = w1 - w0; driver = (e1 - e0) + (s1 - s0) + (a1 - a0)
      per_call_minute = w / (calls * t / 60)
      printf "Steady window: %.1f s with all %d calls up (load average %s at its start, %s at its end)\n", t, calls, load_from, load_to
      printf "  worker     %7.2f CPU s = %5.1f %% of one core%s\n", w, 100 * w / t, pinned ? " (its own core)" : " (cores shared with the driver)"
      printf "             %7.4f CPU s per call-minute, %.3f ms of CPU per call-second\n", per_call_minute, 1000 * w / (calls * t)
      printf "             one core carries %d calls at 100 %%, %d at 70 %% (at this cost per call)\n", 60 / per_call_minute, 0.7 * 60 / per_call_minute
      printf "             RSS %.1f MB idle -> %.1f MB (mean over the window): %.0f KB per call\n", idle_rss / 1024, rss_mean / 1024, (rss_mean - idle_rss) / calls
      printf "  driver     %7.2f CPU s = %5.1f %% of one core: emulator %.2f, simulator %.2f, api %.2f (%.4f CPU s per call-minute)\n",
        driver, 100 * driver / t, e1 - e0, s1 - s0, a1 - a0, driver / (calls * t / 60)
      if (driver / t > 0.9 * driver_cores) {
        printf "  The driver used over 90 %% of its %d core(s): it may be what limits the round trip, not the worker.\n", driver_cores
      }
      printf "{\n  \"calls\": %d,\n  \"steadySeconds\": %.1f,\n  \"loadAverage\": [\"%s\", \"%s\"],\n  \"pinned\": %s,\n  \"workerCpus\": \"%s\",\n  \"driverCpus\": \"%s\",\n", calls, t, load_from, load_to, pinned ? "true" : "false", worker_cpus, driver_cpus > steady
      printf "  \"worker\": { \"cpuSeconds\": %.2f, \"coreShare\": %.3f, \"cpuSecondsPerCallMinute\": %.4f, \"cpuMsPerCallSecond\": %.4f, \"callsPerCoreAt100\": %d, \"callsPerCoreAt70\": %d, \"rssIdleKb\": %d, \"rssSteadyKb\": %d, \"rssGrowthKbPerCall\": %.1f },\n", w, w / t, per_call_minute, 1000 * w / (calls * t), 60 / per_call_minute, 0.7 * 60 / per_call_minute, idle_rss, rss_mean, (rss_mean - idle_rss) / calls > steady
      printf "  \"driver\": { \"cpuSeconds\": %.2f, \"emulator\": %.2f, \"simulator\": %.2f, \"api\": %.2f, \"cpuSecondsPerCallMinute\": %.4f }\n}\n", driver, e1 - e0, s1 - s0, a1 - a0, driver / (calls * t / 60) > steady
    }'
  echo "  (also in $steady)"
fi

echo "The worker's own histograms, last 5 s sample in ms (all samples: $counters):"
awk -F, '$3 ~ /^bridge\.(latency|audio\.queue)/ {
    split($3, parts, /[ [=\]]/); name = parts[1]; percentile = parts[4]
    if (!(name in seen)) { seen[name] = 1; names[++count] = name }
    value[name, percentile] = $5
  }
  END {
    for (i = 1; i <= count; i++) {
      name = names[i]
      printf "  %-24s p50 %8.3f  p95 %8.3f  p99 %8.3f\n", name, value[name, 50], value[name, 95], value[name, 99]
    }
  }' "$counters"
echo "  (latency: what the worker adds per direction; audio.queue: model audio waiting to play,"
echo "  which in loopback never empties: the \"model\" speaks as long as the caller does)"
scripts/worker-memory-per-call.sh "$counters" "$calls"
if [ -n "$memory_idle" ] && [ -n "$memory_steady" ]; then
  echo "The worker's resident memory by kind, idle and in the middle of the window (scripts/profile/memory-by-kind.cs):"
  printf '%s\n' "$memory_idle" | awk -F'\t' -v calls="$calls" -v steady="$memory_steady" '
    BEGIN { n = split(steady, lines, "\n"); for (i = 1; i <= n; i++) { split(lines[i], f, "\t"); loaded[f[1]] = f[2]; order[i] = f[1] } }
    { idle[$1] = $2 }
    END {
      for (i = 1; i <= n; i++) {
        kind = order[i]; if (kind == "") continue
        printf "  %-48s %7.1f -> %7.1f MB: %6.1f KB per call\n", kind, idle[kind] / 1024, loaded[kind] / 1024, (loaded[kind] - idle[kind]) / calls
      }
    }'
fi
[ -n "${WORKER_PERF:-}" ] && echo "perf profile of the steady window: $WORKER_PERF (perf report -i $WORKER_PERF --no-children)"
[ -n "${WORKER_TRACE:-}" ] && echo "dotnet-trace of the steady window: $WORKER_TRACE"
exit "$status"
