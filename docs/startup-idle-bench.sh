#!/usr/bin/env bash
# Start-up time, idle CPU and start-up log lines of `streamrag run` (embedded broker, registry, both roles, defaults).
# Each run: a fresh data directory, free ports; "ready" = GET /health/ready answers 200; idle CPU = the process's
# user+system CPU time over IDLE_S seconds, after SETTLE_S seconds of rest (JIT compilation settles), as % of a core;
# CPU to ready = the process's user+system CPU seconds when ready (far steadier than wall time on a loaded machine).
#
#   docs/startup-idle-bench.sh topology/target/streamrag.jar after 2          # 2 runs, prints one table row each
#   IDLE_S=0 docs/startup-idle-bench.sh /tmp/old/streamrag.jar before 2       # start-up only
set -u
JAR=$(realpath "$1"); LABEL=${2:-run}; RUNS=${3:-1}
IDLE_S=${IDLE_S:-60}; SETTLE_S=${SETTLE_S:-60}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
  || echo $((20000 + RANDOM % 20000)); }
ticks=$(getconf CLK_TCK)
echo "| jar | run | start-up to \"Running\" (s) | to /health/ready 200 (s) | CPU to ready (s) | log lines at ready | idle CPU (% of a core) | load avg | libtorch mapped |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
for run in $(seq 1 "$RUNS"); do
  dir=$(mktemp -d); metrics=$(free_port)
  export STREAMRAG_KAFKA_EMBEDDED_PORT=$(free_port) STREAMRAG_SCHEMA_REGISTRY_EMBEDDED_PORT=$(free_port) \
         STREAMRAG_METRICS_PORT=$metrics
  t0=$(date +%s.%N)
  (cd "$dir" && exec java -jar "$JAR" run > out.log 2> err.log) &
  pid=$!
  until grep -q "stop with Ctrl-C" "$dir/out.log" "$dir/err.log" 2>/dev/null; do
    kill -0 $pid 2>/dev/null || { echo "run $run died:"; cat "$dir/err.log" "$dir/out.log"; exit 1; }; sleep 0.1
  done
  t1=$(date +%s.%N)
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$metrics/health/ready")" = 200 ]; do sleep 0.1; done
  t2=$(date +%s.%N)
  cpu_ready=$(awk -v t="$ticks" '{printf "%.1f", ($14+$15)/t}' /proc/$pid/stat)
  lines=$(cat "$dir/out.log" "$dir/err.log" | wc -l)
  torch=$(grep -q libtorch /proc/$pid/maps && echo yes || echo no)
  idle="-"
  if [ "$IDLE_S" -gt 0 ]; then
    sleep "$SETTLE_S"
    c0=$(awk '{print $14+$15}' /proc/$pid/stat); w0=$(date +%s.%N)
    sleep "$IDLE_S"
    c1=$(awk '{print $14+$15}' /proc/$pid/stat); w1=$(date +%s.%N)
    idle=$(echo "scale=1; 100*($c1-$c0)/$ticks/($w1-$w0)" | bc)
  fi
  load=$(cut -d' ' -f1 /proc/loadavg)
  kill $pid; wait $pid 2>/dev/null
  printf '| %s | %d | %.1f | %.1f | %s | %d | %s | %s | %s |\n' "$LABEL" "$run" "$(echo "$t1-$t0" | bc)" "$(echo "$t2-$t0" | bc)" \
    "$cpu_ready" "$lines" "$idle" "$load" "$torch"
  grep -ho 'Started in.*)' "$dir/err.log" "$dir/out.log" | head -1 | sed 's/^/    /'
  rm -rf "$dir"
done
