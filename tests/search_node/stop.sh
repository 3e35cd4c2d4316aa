#!/usr/bin/env bash
# Stop the node that start.sh started, by its PID file.
#
#   tests/search_node/stop.sh [PORT]        # default 9201 (or $SEARCH_NODE_PORT)
#
# Sends SIGTERM (the node closes cleanly and removes its temporary home), waits up to
# $SEARCH_NODE_STOP_TIMEOUT seconds (default 30), then SIGKILL. Exits 0 if nothing runs.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${1:-${SEARCH_NODE_PORT:-9201}}"
RUN_DIR="${SEARCH_NODE_RUN_DIR:-$HERE/target/run}"
PID_FILE="$RUN_DIR/search-node-$PORT.pid"
TIMEOUT="${SEARCH_NODE_STOP_TIMEOUT:-30}"

log() { echo "search-node: $*" >&2; }

if [[ ! -f "$PID_FILE" ]]; then
    log "no PID file $PID_FILE: not running"
    exit 0
fi
pid="$(cat "$PID_FILE")"
if ! kill -0 "$pid" 2>/dev/null; then
    log "pid $pid is not running"
    rm -f "$PID_FILE"
    exit 0
fi
# Make sure the PID still belongs to our JVM before signalling it.
if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'search-node.jar'; then
    log "pid $pid is not a search-node JVM; leaving it alone"
    rm -f "$PID_FILE"
    exit 1
fi

kill -TERM "$pid"
for (( i = 0; i < TIMEOUT * 5; i++ )); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
done
if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid still running after ${TIMEOUT}s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
fi
rm -f "$PID_FILE"
log "stopped pid $pid"
