#!/usr/bin/env bash
# A newcomer's first hour, from a fresh clone with only a JDK 17+: build, run, load the examples, ask the README's
# questions and an off-topic one, then the usual mistakes (a second `run` on the same data directory, a busy port,
# `ask` with nothing running, a missing file). Each step prints the command, its output, exit code and time.
# NewcomerTranscriptIT checks the same steps (not the build, and on free ports instead of 9092/8081/9404).
#
#   docs/newcomer-transcript.sh            # from the repository root; uses ports 9092, 8081, 9404 and ./data
#   SKIP_BUILD=1 docs/newcomer-transcript.sh
set -u
cd "$(dirname "$0")/.."
JAR=topology/target/streamrag.jar
WORK=$(mktemp -d)            # the app's working directory: ./data lands there
step() {
  echo; echo "\$ $*"
  local start=$(date +%s.%N)
  "$@"; local code=$?
  printf '[exit %d, %.1f s]\n' "$code" "$(echo "$(date +%s.%N) - $start" | bc)"
  return 0
}
streamrag() { java -jar "$PWD/$JAR" "$@"; }

if [ -z "${SKIP_BUILD:-}" ]; then
  step ./mvnw -B -q -DskipTests package
fi
ls -l "$JAR" topology/target/lib/

echo; echo "\$ (cd $WORK && java -jar $JAR run) &    # logs to $WORK/run.log"
start=$(date +%s.%N)
(cd "$WORK" && exec java -jar "$OLDPWD/$JAR" run > "$WORK/run.out" 2> "$WORK/run.log") &
APP=$!
until curl -fs http://127.0.0.1:9404/health/ready > /dev/null; do
  kill -0 $APP 2>/dev/null || { echo "run exited:"; cat "$WORK/run.log"; exit 1; }
  sleep 0.5
done
printf '[ready after %.1f s; %d log lines]\n' "$(echo "$(date +%s.%N) - $start" | bc)" "$(wc -l < "$WORK/run.log")"
cat "$WORK/run.log"

step streamrag load docs/examples
sleep 3   # the index-updates topic says when a document is searchable; a person just waits a moment
step streamrag ask "How tall is Mount Etna?"
step streamrag ask "What is Retrieval-Augmented Generation?"
step streamrag ask "What is the capital of France?"
echo; echo "\$ streamrag ask --json \"How tall is Mount Etna?\" | jq -r .status"
streamrag ask --json "How tall is Mount Etna?" | jq -r .status

echo; echo "# a second run on the same data directory"
step bash -c "cd '$WORK' && java -jar '$PWD/$JAR' run"
echo; echo "# a busy port: another directory, the same default ports"
OTHER=$(mktemp -d)
step bash -c "cd '$OTHER' && java -jar '$PWD/$JAR' run"

echo; echo "\$ kill -TERM $APP"
kill -TERM $APP; wait $APP
step streamrag ask --timeout 5s "How tall is Mount Etna?"
step streamrag load my-docs/
rm -rf "$WORK" "$OTHER"
