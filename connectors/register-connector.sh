#!/bin/sh
# Creates or updates a Kafka Connect connector from a JSON config file and waits until it and all its tasks run.
#
#   register-connector.sh <config.json> [connector-name]
#
# The file holds the flat config map (what PUT /connectors/<name>/config takes); the name defaults to the file's
# base name (postgres-documents.json -> postgres-documents). PUT is idempotent: running this again after editing
# the file updates the connector in place, its offsets kept.
#
# Environment: CONNECT_URL (default http://localhost:8083), WAIT_SECONDS (default 120).
# POSIX sh + curl only, so it runs in the curlimages/curl one-shot container of docker-compose.yml and on a laptop.
set -eu

config_file=${1:?usage: register-connector.sh <config.json> [connector-name]}
name=${2:-$(basename "$config_file" .json)}
connect_url=${CONNECT_URL:-http://localhost:8083}
wait_seconds=${WAIT_SECONDS:-120}

[ -r "$config_file" ] || { echo "cannot read $config_file" >&2; exit 2; }

echo "waiting for Kafka Connect at $connect_url ..."
elapsed=0
until curl -fsS -o /dev/null "$connect_url/connectors"; do
    elapsed=$((elapsed + 2))
    [ "$elapsed" -lt "$wait_seconds" ] || { echo "Kafka Connect at $connect_url did not answer in ${wait_seconds}s" >&2; exit 1; }
    sleep 2
done

echo "PUT $connect_url/connectors/$name/config from $config_file"
response=$(curl -sS -w '\n%{http_code}' -X PUT -H 'Content-Type: application/json' \
    --data-binary "@$config_file" "$connect_url/connectors/$name/config")
code=$(printf '%s' "$response" | tail -n 1)
body=$(printf '%s' "$response" | sed '$d')
case "$code" in
    200|201) echo "connector $name accepted (HTTP $code)" ;;
    *) echo "Kafka Connect refused $name (HTTP $code): $body" >&2; exit 1 ;;
esac

# Poll the status until the connector and every task report RUNNING; a FAILED one ends the wait with its trace.
elapsed=0
while :; do
    status=$(curl -fsS "$connect_url/connectors/$name/status" 2>/dev/null | tr -d '\n' || true)
    if [ -n "$status" ]; then
        if printf '%s' "$status" | grep -q '"state" *: *"FAILED"'; then
            echo "connector $name FAILED:" >&2
            # each failed part carries a Java stack trace in "trace"; print it readably
            printf '%s' "$status" | sed -n 's/.*"trace" *: *"\([^"]*\)".*/\1/p' | sed 's/\\n/\n/g; s/\\t/\t/g' >&2
            printf '%s\n' "$status" >&2
            exit 1
        fi
        states=$(printf '%s' "$status" | grep -o '"state" *: *"[A-Z]*"' | wc -l)
        running=$(printf '%s' "$status" | grep -o '"state" *: *"RUNNING"' | wc -l)
        # one state for the connector plus at least one task, all RUNNING
        if [ "$states" -ge 2 ] && [ "$states" -eq "$running" ]; then
            echo "connector $name and its $((running - 1)) task(s) are RUNNING"
            exit 0
        fi
    fi
    elapsed=$((elapsed + 2))
    if [ "$elapsed" -ge "$wait_seconds" ]; then
        echo "connector $name not RUNNING after ${wait_seconds}s; last status: $status" >&2
        exit 1
    fi
    sleep 2
done
