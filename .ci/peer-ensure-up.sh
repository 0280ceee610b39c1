#!/usr/bin/env bash
# peer-ensure-up.sh - make sure the OpenStack peer that start-peer.sh reported "up" can really serve the suites.
#
# Why: start-peer.sh says "up" once the HTTP APIs answer, but a daemon behind them can already have died. Seen in
# CI: nova-scheduler exits at start when Keystone answers 500 while it is still busy with a fresh setup; every
# server create then times out in the conductor and the peer suites fail 15 minutes later with "Error creating
# server". This script checks before the tests run, so a broken peer is repaired or named at once.
#
# Usage: peer-ensure-up.sh services   every service of the peer runs (a dead one is started again, once, by
#                                     re-running start-peer.sh, which starts only what is not running) and Nova's
#                                     and Cinder's services report "up"
#        peer-ensure-up.sh server     Nova builds a server and deletes it (run after peer-serial-console.sh,
#                                     which restarts nova-compute)
# Environment: as for start-peer.sh (ADMIN_PASSWORD, OSPEER_SERVICES); STACKTOP_OPENSTACK_PEER_TOOLS names its folder.
set -euo pipefail
BASE=/tmp/ospeer
RUN=$BASE/run LOGS=$BASE/logs
peer_tools="${STACKTOP_OPENSTACK_PEER_TOOLS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/tools/openstack-peer}"
openstack() { (cd "$BASE" && . ./adminrc && venv/bin/openstack "$@"); }

alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cut -d' ' -f1 "$RUN/$1.pid")" 2>/dev/null; }
dead_services() {
  local pidfile name
  for pidfile in "$RUN"/*.pid; do
    name=$(basename "$pidfile" .pid)
    alive "$name" || echo "$name"
  done
}
show_log() {  # the last lines of a service's log, where the reason it died is
  local log
  for log in "$LOGS/$1.log" "$LOGS/$1.out"; do
    [ -s "$log" ] && { echo "--- last lines of $log"; grep -v '^\s*$' "$log" | tail -n 8 | cut -c1-300; }
  done
  return 0
}

# Waits until every service of BINARIES reports "up" in LIST_COMMAND's "Binary State" lines.
wait_reported_up() {  # wait_reported_up WHAT SECONDS BINARY...
  local what=$1 seconds=$2; shift 2
  local i lines binary missing=""
  for i in $(seq 1 "$seconds"); do
    lines=$(openstack "$what" service list -f value -c Binary -c State 2>/dev/null || true)
    missing=""
    for binary in "$@"; do
      grep -q "^$binary up$" <<<"$lines" || missing="$missing $binary"
    done
    [ -z "$missing" ] && return 0
    sleep 1
  done
  echo "error: the peer's$missing did not report up within $seconds s ($what service list said: $(tr '\n' ';' <<<"$lines"))." >&2
  for binary in $missing; do show_log "$binary" >&2; done
  return 1
}

# start-peer.sh again: it starts whatever is not running, and rewrites nova.conf, so the serial console
# (peer-serial-console.sh) is set up again when it was.
start_peer_again() {
  local serial=0
  grep -q '^\[serial_console\]' "$BASE/etc/nova/nova.conf" 2>/dev/null && serial=1
  bash "$peer_tools/start-peer.sh" | tail -n 1
  if [ "$serial" = 1 ]; then bash "$(dirname "$0")/peer-serial-console.sh" | tail -n 1; fi
}

ensure_services() {
  local dead name
  dead=$(dead_services)
  if [ -n "$dead" ]; then
    echo "the peer's $(echo $dead) died after start-peer.sh reported it up; starting again:"
    for name in $dead; do show_log "$name"; done
    start_peer_again
    dead=$(dead_services)
    if [ -n "$dead" ]; then
      echo "error: the peer's $(echo $dead) died again after a second start; see $LOGS." >&2
      for name in $dead; do show_log "$name" >&2; done
      exit 1
    fi
  fi
  if [ "${OSPEER_SERVICES:-all}" = all ]; then
    wait_reported_up compute 120 nova-conductor nova-scheduler nova-compute
    wait_reported_up volume 120 cinder-scheduler cinder-volume
  fi
  echo "peer services: all running and reporting up"
}

# Builds a server and deletes it; on failure says why (Nova's fault) and returns 1.
try_server() {  # try_server NAME
  local name=$1 status fault
  status=$(openstack server create --flavor m1.tiny --image fake-image --nic none --wait \
           -f value -c status "$name" 2>&1 | tail -n 1) || true
  if [ "$status" != ACTIVE ]; then
    fault=$(openstack server show "$name" -f json -c fault 2>/dev/null \
            | python3 -c 'import json, sys; print(json.load(sys.stdin)["fault"]["message"])' 2>/dev/null || true)
    openstack server delete --wait "$name" >/dev/null 2>&1 || true
    echo "the peer did not build a test server ($status; fault: ${fault:-none}); see $LOGS/nova-*.log." >&2
    return 1
  fi
  openstack server delete --wait "$name"
  echo "peer builds servers: $name went ACTIVE and was deleted"
}

stop_service() {  # stop_service NAME: TERM its process group (start-peer.sh starts each with setsid), KILL after 30 s
  local pid
  alive "$1" || return 0
  pid=$(cut -d' ' -f1 "$RUN/$1.pid")
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$pid" 2>/dev/null && { kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; }
  rm -f "$RUN/$1.pid"
}

ensure_server_builds() {
  ensure_services
  try_server "ci-peer-check-$$" && return 0
  # Once: Nova's daemons started again (a scheduler or compute that lost Keystone or its database at start
  # can stay up without working).
  echo "restarting nova-scheduler, nova-conductor and nova-compute, then trying once more"
  show_log nova-conductor; show_log nova-scheduler; show_log nova-compute
  for name in nova-scheduler nova-conductor nova-compute; do stop_service "$name"; done
  start_peer_again
  ensure_services
  try_server "ci-peer-check-$$-again" && return 0
  echo "error: the peer does not build servers even after its Nova daemons were restarted; the peer suites would fail." >&2
  show_log nova-conductor >&2; show_log nova-scheduler >&2; show_log nova-compute >&2
  exit 1
}

case "${1:-}" in
  services) ensure_services ;;
  server) ensure_server_builds ;;
  *) echo "usage: $0 services|server" >&2; exit 2 ;;
esac
