#!/usr/bin/env bash
# `make run`: the web server, the task worker and the scheduler together; Ctrl-C stops all three.
# A worker or scheduler that dies is started again (its jobs wait in the database meanwhile), and the web
# server keeps serving; only the web server stopping stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
ADDRESS="${CANDOUR_ADDRESS:-127.0.0.1:8000}"
# Seconds before a process that died is started again; doubled while it keeps dying soon after starting.
RESTART_PAUSE="${CANDOUR_RESTART_PAUSE_SECONDS:-2}"

supervisors=()

# Run a command in the background for as long as this script runs, starting it again whenever it exits.
keep_running() {
  local name=$1
  shift
  (
    child=
    trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait 2>/dev/null; exit 0' INT TERM
    pause=$RESTART_PAUSE
    while true; do
      started=$SECONDS
      "$@" &
      child=$!
      echo "$name started (pid $child)"
      status=0
      wait "$child" || status=$?
      child=
      if ((SECONDS - started > 60)); then pause=$RESTART_PAUSE; fi
      echo "$name stopped (exit status $status); starting it again in $pause s"
      sleep "$pause" &
      wait $! || true
      if ((SECONDS - started <= 60)); then pause=$(awk "BEGIN { p = $pause * 2; print (p > 60 ? 60 : p) }"); fi
    done
  ) &
  supervisors+=($!)
}

stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping Candour ..."
  kill -TERM "${supervisors[@]}" ${web:+"$web"} 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

keep_running "Task worker" $PY manage.py db_worker --interval 2 --verbosity 0 --no-reload
keep_running "Scheduler" $PY manage.py run_scheduler
echo "Candour is starting on http://$ADDRESS (Ctrl-C to stop)"
$PY manage.py runserver "$ADDRESS" --noreload &
web=$!
wait "$web"
