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
    printf "Worker memory with %d calls (mean of %d samples) over the idle baseline:\n", calls, n
    row("working set", bws, sws / n, "")
    # Before any collection the GC reports 0: then there is no idle figure to subtract.
    row("GC committed", bcommit, scommit / n, "")
    row("GC heap", bheap, sheap / n, " (after the last GC)")
    printf "  allocated     %6.0f KB per call per second\n", salloc / n / 5 / calls / 1024
    if (calls < 100) {
      print "Note: at " calls " calls these are mostly not per call. Any load at all grows the"
      print "worker by a step that does not depend on the number of calls (code compiled for"
      print "the call path, thread-pool threads, the allocation budget of the GC, connection"
      print "pools), divided here by few calls. Measure memory per call from about 100 calls"
      print "up (docs/benchmarks.md: about 420 KB of working set per call at 200 calls)."
    }
  }
  function row(name, idle, loaded, suffix) {
    if (idle > 0) {
      printf "  %-13s %6.1f -> %6.1f MB: %6.0f KB per call%s\n", name, idle / 1048576, loaded / 1048576, (loaded - idle) / calls / 1024, suffix
    } else {
      printf "  %-13s      - -> %6.1f MB: no figure at idle (no GC had run yet)\n", name, loaded / 1048576
    }
  }' "$csv"
