#!/usr/bin/env bash
# peer-serial-console.sh - give the running OpenStack peer (start-peer.sh, /tmp/ospeer) a serial console:
# `[serial_console]` in nova.conf, nova-compute restarted to read it, nova-serialproxy on 127.0.0.1:6083, and
# the names Nova's fake driver gives for every guest's serial port (fakerdpconsole.com:6969 in Nova 34, with an
# internal_access_path, so the proxy first sends `CONNECT path HTTP/1.1` and wants a 200; fakeserialconsole.com
# in other releases) pointed at 127.0.0.1 in /etc/hosts, so a test can play the serial port with a loopback
# TCP server on 6969.
# Needs root (/etc/hosts). Idempotent: run it again after every start-peer.sh (which rewrites nova.conf).
# Usage: peer-serial-console.sh [start|stop]   (stop: the proxy and the /etc/hosts line; stop-peer.sh does the rest)
set -euo pipefail
BASE=/tmp/ospeer
VENV=$BASE/venv RUN=$BASE/run LOGS=$BASE/logs CONF=$BASE/etc/nova/nova.conf
HOSTS_LINE="127.0.0.1 fakeserialconsole.com fakerdpconsole.com # stacktop peer-serial-console.sh"

starttime() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20; }
alive() {  # alive NAME: its saved "pid starttime" is a live process (not a reused pid)
  local pid st
  [ -f "$RUN/$1.pid" ] || return 1
  read -r pid st < "$RUN/$1.pid"
  kill -0 "$pid" 2>/dev/null && [ "$(starttime "$pid")" = "$st" ]
}
stop_one() {  # stop_one NAME: TERM its process group (started with setsid), KILL after 30 s
  local pid st
  alive "$1" || { rm -f "$RUN/$1.pid"; return 0; }
  read -r pid st < "$RUN/$1.pid"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$pid" 2>/dev/null && { kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"; }
  rm -f "$RUN/$1.pid"
  echo "stopped $1 (pid $pid)"
}
start_one() {  # start_one NAME CMD...: detached like start-peer.sh's start_bg, so stop-peer.sh's format holds
  local name=$1; shift
  setsid nohup "$@" > "$LOGS/$name.out" 2>&1 < /dev/null &
  local pid=$!
  echo "$pid $(starttime "$pid")" > "$RUN/$name.pid"
  echo "started $name pid $pid"
}

if [ "${1:-start}" = stop ]; then
  stop_one nova-serialproxy
  grep -v "stacktop peer-serial-console.sh" /etc/hosts > /tmp/hosts.$$ || true
  cat /tmp/hosts.$$ > /etc/hosts; rm -f /tmp/hosts.$$
  exit 0
fi

[ -f "$CONF" ] || { echo "error: no $CONF; start the peer first (start-peer.sh with OSPEER_SERVICES=all)." >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "error: this needs root to point fakeserialconsole.com at 127.0.0.1 in /etc/hosts." >&2; exit 1; }

# 1. nova.conf: start-peer.sh writes `[vnc] enabled = false` and no [serial_console]; oslo.config takes the
#    last value of a repeated section, so appending is enough.
restarted="0"
if ! grep -q '^\[serial_console\]' "$CONF"; then
  cat >> "$CONF" <<'EOF'
[serial_console]
enabled = true
base_url = ws://127.0.0.1:6083/
serialproxy_host = 127.0.0.1
serialproxy_port = 6083
proxyclient_address = 127.0.0.1
EOF
  echo "added [serial_console] to $CONF"
  restarted=$(date -u '+%Y-%m-%d %H:%M:%S')
  stop_one nova-compute       # the compute service hands out the console (and its token): it must re-read
fi
alive nova-compute || start_one nova-compute "$VENV/bin/nova-compute" --config-file "$CONF"

# 2. The proxy: checks the token in Nova's database, then connects to the guest's host:port.
alive nova-serialproxy || start_one nova-serialproxy "$VENV/bin/nova-serialproxy" --config-file "$CONF"

# 3. Where the fake driver's serial ports are (a line from an older run of this script is replaced).
grep -q "stacktop peer-serial-console.sh" /etc/hosts && ! grep -qF "$HOSTS_LINE" /etc/hosts && {
  grep -v "stacktop peer-serial-console.sh" /etc/hosts > /tmp/hosts.$$ || true; cat /tmp/hosts.$$ > /etc/hosts; rm -f /tmp/hosts.$$; }
grep -q "stacktop peer-serial-console.sh" /etc/hosts || echo "$HOSTS_LINE" >> /etc/hosts

# Ready when the proxy answers and nova-compute is up again (its service record is fresh).
for i in $(seq 1 90); do
  curl -s -o /dev/null --max-time 2 http://127.0.0.1:6083/ && break
  alive nova-serialproxy || { echo "error: nova-serialproxy died, see $LOGS/nova-serialproxy.out" >&2; tail -n 20 "$LOGS/nova-serialproxy.out" >&2; exit 1; }
  sleep 1
done
curl -s -o /dev/null --max-time 2 http://127.0.0.1:6083/ || { echo "error: nova-serialproxy never answered on 127.0.0.1:6083." >&2; exit 1; }
# nova-compute is serving again once its service record is newer than the restart.
for i in $(seq 1 90); do
  up=$("$VENV/bin/python" - "$BASE/nova.db" "$restarted" <<'EOF'
import sqlite3, sys
row = sqlite3.connect(sys.argv[1]).execute(
    "select max(updated_at) from services where topic='compute' and deleted=0").fetchone()
print(1 if row and row[0] and row[0] >= sys.argv[2] else 0)
EOF
)
  [ "$up" = 1 ] && break
  alive nova-compute || { echo "error: nova-compute died after the restart, see $LOGS/nova-compute.log" >&2; exit 1; }
  sleep 1
done
[ "$up" = 1 ] || { echo "error: nova-compute did not report in within 90 s of its restart, see $LOGS/nova-compute.log" >&2; exit 1; }
echo "serial console ready: nova-serialproxy on ws://127.0.0.1:6083/, fakeserialconsole.com and fakerdpconsole.com -> 127.0.0.1"
