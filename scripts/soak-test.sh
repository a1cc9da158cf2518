#!/usr/bin/env bash
# Soak test (not for CI): many calls held for a long time against one media worker (Release build, the emulator in
# loopback, as scripts/load-test.sh runs them), to see that the worker's memory stays flat.
#
#   scripts/soak-test.sh [CALLS] [DURATION] [RAMP] [WARM_UP]
#   scripts/soak-test.sh 200 10m 30s 2m            # the benchmark: 200 calls for 10 minutes
#   API_PORT=6380 EMULATOR_PORT=6381 EMULATOR_HEALTH_PORT=6382 WORKER_PORT=6390 scripts/soak-test.sh 20 60s 10s 20s
#
# Prints the load report, whose "Memory slope" row is the least-squares slope of the worker's resident memory
# (KB/min, sampled every second, after RAMP + WARM_UP), then the same slope of its GC heap (the sum of the
# generations' sizes after the last collection, from the dotnet-counters samples taken every 5 s).
# Result: artifacts/soak-CALLS.json (WorkerUsage.RssSlopeKbPerMinute); samples: artifacts/soak-CALLS-worker-metrics.csv.
set -euo pipefail
cd "$(dirname "$0")/.."

calls=${1:-200}
duration=${2:-10m}
ramp=${3:-30s}
warm_up=${4:-2m}
json=artifacts/soak-${calls}.json

seconds() {
  case "$1" in
    *ms) echo $(( ${1%ms} / 1000 )) ;;
    *s) echo "${1%s}" ;;
    *m) echo $(( ${1%m} * 60 )) ;;
    *h) echo $(( ${1%h} * 3600 )) ;;
    *) echo "$1" ;;
  esac
}

status=0
LOG_PREFIX=artifacts/soak-${calls} scripts/load-test.sh "$calls" "$duration" "$ramp" "$json" -- --warm-up "$warm_up" || status=$?

csv=${json%.json}-worker-metrics.csv
skip=$(( $(seconds "$ramp") + $(seconds "$warm_up") ))
awk -F, -v skip="$skip" '
  $3 ~ /^dotnet\.gc\.last_collection\.heap\.size/ {
    split($1, dt, " "); split(dt[2], hms, ":");
    t = hms[1] * 3600 + hms[2] * 60 + hms[3];
    if (t < last) { day += 86400 } last = t; t += day;
    heap[t] += $5; seen[t] = 1
  }
  END {
    for (t in seen) { if (first == "" || t + 0 < first) first = t + 0 }
    for (t in seen) {
      if (t - first < skip) continue
      x = (t - first) / 60; y = heap[t] / 1024; n++; sx += x; sy += y; sxx += x * x; sxy += x * y
    }
    if (n < 5 || n * sxx - sx * sx == 0) { print "GC heap slope: too few samples after the warm-up"; exit }
    printf "GC heap slope: %+.1f KB/min over %d samples after %d s (mean %.1f MB)\n", (n * sxy - sx * sy) / (n * sxx - sx * sx), n, skip, sy / n / 1024
  }' "$csv" || true
exit "$status"
