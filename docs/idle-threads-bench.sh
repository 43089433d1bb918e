#!/usr/bin/env bash
# Idle CPU of `streamrag run` per thread: starts the jar in a temp directory, waits SETTLE seconds at rest, samples
# every thread's user+system ticks (/proc/<pid>/task/*/stat) twice WINDOW seconds apart (default 30), names them
# with `jcmd Thread.print`, and prints the whole process's CPU over the window as % of one core.
# SETTLE may list several rest times (seconds since "Running", ascending): one table per window, one process, e.g.
# SETTLE="60 300" gives the figure one minute after start (JIT still compiling) and the one after the JIT settled.
#
#   docs/idle-threads-bench.sh topology/target/streamrag.jar        # prints ticks (10 ms) per thread over 30 s
#   SETTLE="60 300" WINDOW=60 docs/idle-threads-bench.sh topology/target/streamrag.jar
set -u
JAR=$(realpath "$1")
D=$(mktemp -d); cd "$D"
export STREAMRAG_KAFKA_EMBEDDED_PORT=${STREAMRAG_KAFKA_EMBEDDED_PORT:-29092} \
       STREAMRAG_SCHEMA_REGISTRY_EMBEDDED_PORT=${STREAMRAG_SCHEMA_REGISTRY_EMBEDDED_PORT:-28081} \
       STREAMRAG_METRICS_PORT=${STREAMRAG_METRICS_PORT:-29404}
java ${JAVA_OPTS:-} -jar "$JAR" run > out.log 2> err.log &
PID=$!
while ! grep -q "stop with Ctrl-C" err.log out.log 2>/dev/null; do sleep 0.5; kill -0 $PID || exit 1; done
RUNNING=$(date +%s)
snap() { for t in /proc/$PID/task/*; do s=$(awk "{print \$14+\$15}" $t/stat 2>/dev/null); echo "$(basename $t) $s"; done; }
W=${WINDOW:-30}
for settle in ${SETTLE:-60}; do
  rest=$((RUNNING + settle - $(date +%s))); [ "$rest" -gt 0 ] && sleep "$rest"
  p0=$(awk '{print $14+$15}' /proc/$PID/stat); snap > a.txt; sleep "$W"; snap > b.txt; p1=$(awk '{print $14+$15}' /proc/$PID/stat)
  jcmd $PID Thread.print 2>/dev/null | grep -o '^"[^"]*".*nid=0x[0-9a-f]*' | sed -E 's/^"([^"]*)".*nid=0x([0-9a-f]+)/\2 \1/' | while read hex name; do echo "$((16#$hex)) ${name// /_}"; done | sort > names.txt
  join <(sort a.txt) <(sort b.txt) | awk 'NF==3 {print $1, $3-$2}' | sort > d.txt
  echo "== ${W} s window after ${settle} s at rest"
  join -a1 d.txt names.txt | awk '{n=($3==""?"native-or-jit":$3); gsub(/-?[0-9]+$/,"",n); s[n]+=$2; t+=$2} END {for (k in s) if (s[k]>0) print s[k], k; print t, "TOTAL ticks (live threads)"}' | sort -n -r | head -${TOP:-25}
  echo "process: $((p1 - p0)) ticks in ${W} s = $(echo "scale=1; 100*($p1-$p0)/$(getconf CLK_TCK)/$W" | bc) % of a core (load avg $(cut -d' ' -f1 /proc/loadavg))"
done
kill $PID; wait $PID
rm -rf "$D"
