#!/usr/bin/env bash
# Start a single in-process OpenSearch 2.19 node (see README.md) in the background.
#
#   tests/search_node/start.sh [PORT]       # default 9201 (or $SEARCH_NODE_PORT)
#
# Builds target/search-node.jar with Maven if it is missing or older than its sources,
# starts the JVM (heap $SEARCH_NODE_HEAP, default 512m), writes its PID to
# $SEARCH_NODE_RUN_DIR/search-node-PORT.pid and its output to search-node-PORT.log
# (run dir default: tests/search_node/target/run), then waits until
# /_cluster/health reports yellow or green. Exits non-zero with the log tail if the
# node dies or is not up within $SEARCH_NODE_START_TIMEOUT seconds (default 90).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${1:-${SEARCH_NODE_PORT:-9201}}"
TRANSPORT_PORT="${SEARCH_NODE_TRANSPORT_PORT:-$((PORT + 100))}"
HEAP="${SEARCH_NODE_HEAP:-512m}"
TIMEOUT="${SEARCH_NODE_START_TIMEOUT:-90}"
RUN_DIR="${SEARCH_NODE_RUN_DIR:-$HERE/target/run}"
JAR="$HERE/target/search-node.jar"
PID_FILE="$RUN_DIR/search-node-$PORT.pid"
LOG_FILE="$RUN_DIR/search-node-$PORT.log"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

log() { echo "search-node: $*" >&2; }

# --- build if needed -------------------------------------------------------------------
needs_build=0
if [[ ! -f "$JAR" || ! -d "$HERE/target/lib" ]]; then
    needs_build=1
elif [[ -n "$(find "$HERE/pom.xml" "$HERE/src" -newer "$JAR" -type f -print -quit)" ]]; then
    needs_build=1
fi
if (( needs_build )); then
    log "building $JAR (mvn package)"
    t0=$(date +%s)
    # Offline first (fast, no network once ~/.m2 is filled); online if something is missing.
    if ! (cd "$HERE" && mvn -B -q -o package >/dev/null 2>&1); then
        (cd "$HERE" && mvn -B -q package)
    fi
    log "built in $(( $(date +%s) - t0 ))s"
fi

# --- refuse to start twice -------------------------------------------------------------
mkdir -p "$RUN_DIR"
if [[ -f "$PID_FILE" ]]; then
    old_pid="$(cat "$PID_FILE")"
    if kill -0 "$old_pid" 2>/dev/null; then
        log "already running (pid $old_pid, $PID_FILE)"
        exit 1
    fi
    rm -f "$PID_FILE"
fi
if curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$PORT/"; then
    log "something already answers on 127.0.0.1:$PORT"
    exit 1
fi

# --- start -----------------------------------------------------------------------------
t0=$(date +%s%N)
nohup "$JAVA" \
    "-Xms$HEAP" "-Xmx$HEAP" -Xss1m \
    -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow \
    -Dfile.encoding=UTF-8 -Djava.awt.headless=true \
    -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true \
    -Dio.netty.recycler.maxCapacityPerThread=0 \
    -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true \
    ${SEARCH_NODE_JAVA_OPTS:-} \
    -jar "$JAR" "$PORT" "$TRANSPORT_PORT" \
    >"$LOG_FILE" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$PID_FILE"
log "started pid $pid on 127.0.0.1:$PORT (transport $TRANSPORT_PORT), log $LOG_FILE"

# --- wait for yellow/green -------------------------------------------------------------
deadline=$(( $(date +%s) + TIMEOUT ))
health=""
while (( $(date +%s) < deadline )); do
    if ! kill -0 "$pid" 2>/dev/null; then
        log "the JVM exited before the node came up; last lines of $LOG_FILE:"
        tail -n 40 "$LOG_FILE" >&2
        rm -f "$PID_FILE"
        exit 1
    fi
    health="$(curl -s --max-time 5 \
        "http://127.0.0.1:$PORT/_cluster/health?wait_for_status=yellow&timeout=2s" || true)"
    if [[ "$health" =~ \"status\":\"(yellow|green)\" ]]; then
        ms=$(( ($(date +%s%N) - t0) / 1000000 ))
        log "up in ${ms} ms: status ${BASH_REMATCH[1]}"
        exit 0
    fi
    sleep 1
done

log "not up within ${TIMEOUT}s (last health answer: ${health:-none}); last lines of $LOG_FILE:"
tail -n 40 "$LOG_FILE" >&2
kill "$pid" 2>/dev/null || true
for (( i = 0; i < 50; i++ )); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
kill -KILL "$pid" 2>/dev/null || true
rm -f "$PID_FILE"
exit 1
