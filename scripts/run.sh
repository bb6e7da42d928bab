#!/usr/bin/env bash
# `make run`: the web server, the task worker and the scheduler together; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
ADDRESS="${CANDOUR_ADDRESS:-127.0.0.1:8000}"

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping Candour ..."
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM EXIT

$PY manage.py db_worker --interval 2 --verbosity 0 & pids+=($!)
$PY manage.py run_scheduler & pids+=($!)
echo "Candour is starting on http://$ADDRESS (Ctrl-C to stop)"
$PY manage.py runserver "$ADDRESS" --noreload & pids+=($!)
wait -n "${pids[@]}"
