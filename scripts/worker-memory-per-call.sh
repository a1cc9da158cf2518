#!/usr/bin/env bash
# Per-call memory of the media worker from a dotnet-counters CSV (as scripts/load-test.sh records it): the idle
# sample before the load (no call yet: the call metrics appear with the first call) is the baseline; the plateau is every sample taken while all CALLS calls were active.
#
#   scripts/worker-memory-per-call.sh artifacts/load-200-worker-metrics.csv 200
set -euo pipefail
csv=$1
calls=$2

awk -F, -v calls="$calls" '
  function flush() {
    if (t == "") return
    if (active[t] <= 0 && !baselineTaken && ws[t] > 0) { bws = ws[t]; bcommit = commit[t]; bheap = heap[t]; baselineTaken = 1 }
    if (active[t] >= calls) { n++; sws += ws[t]; scommit += commit[t]; sheap += heap[t]; salloc += alloc[t] }
  }
  NR == 1 { next }
  $1 != t { flush(); t = $1; active[t] = -1 }
  $3 == "bridge.calls.active" { active[t] = $5 }
  $3 == "dotnet.process.memory.working_set (By)" { ws[t] = $5 }
  $3 == "dotnet.gc.last_collection.memory.committed_size (By)" { commit[t] = $5 }
  $3 ~ /^dotnet.gc.last_collection.heap.size/ { heap[t] += $5 }
  $3 == "dotnet.gc.heap.total_allocated (By / 5 sec)" { alloc[t] = $5 }
  END {
    flush()
    if (!baselineTaken || n == 0) { print "worker memory per call: no idle baseline or no sample with all " calls " calls active"; exit }
    printf "Worker memory with %d calls (mean of %d samples) over the idle baseline, per call:\n", calls, n
    printf "  working set   %7.1f MB -> %7.1f MB : %6.0f KB per call\n", bws / 1048576, sws / n / 1048576, (sws / n - bws) / calls / 1024
    printf "  GC committed  %7.1f MB -> %7.1f MB : %6.0f KB per call\n", bcommit / 1048576, scommit / n / 1048576, (scommit / n - bcommit) / calls / 1024
    printf "  GC heap       %7.1f MB -> %7.1f MB : %6.0f KB per call (after the last collection)\n", bheap / 1048576, sheap / n / 1048576, (sheap / n - bheap) / calls / 1024
    printf "  allocated     %6.0f KB per call per second\n", salloc / n / 5 / calls / 1024
  }' "$csv"
