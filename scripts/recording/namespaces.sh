# Network namespaces for a recording, and what to clean up after it. Sourced, with
# NAMESPACES set (an array of names, each starting dasaudit-): adds each namespace with its
# loopback up. Sources cleanup.sh: sets work (a temporary directory) and pids (an array of
# processes to stop; a string of them, `pids="$pids $!"`, works too), and on exit, however
# the script ends, the processes are stopped and the namespaces and the directory removed.
# Defines wait_listening, start_tcpdump, start_echo_servers and serve_blob_http11 (below) for
# the recordings.
# Needs root (ip netns).
recording_scripts=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/recording/cleanup.sh
source "$recording_scripts/cleanup.sh"

add_namespaces() {
  local name
  for name in "${NAMESPACES[@]}"; do
    ip netns add "$name"
    ip -n "$name" link set lo up
  done
}
add_namespaces

# wait_listening NS PORT...: waits (5 s at most each) until namespace NS listens on each TCP PORT.
wait_listening() {
  local ns=$1 port
  shift
  for port in "$@"; do
    for _ in $(seq 50); do
      ip netns exec "$ns" ss -ltn "sport = :$port" | grep -q LISTEN && break
      sleep 0.1
    done
  done
}

# start_tcpdump NS LOG TCPDUMP_ARGS...: starts tcpdump in namespace NS, its messages to LOG,
# and waits (5 s at most) until it listens; its process id is in $tcpdump_pid.
start_tcpdump() {
  local ns=$1 log=$2
  shift 2
  ip netns exec "$ns" tcpdump "$@" 2>"$log" &
  tcpdump_pid=$!
  for _ in $(seq 50); do
    grep -q listening "$log" 2>/dev/null && break
    sleep 0.1
  done
}

# start_echo_servers NS "HOST PORT"...: starts das_scenario.py's echo server on each HOST and
# PORT in namespace NS (each a real listening process, stopped on exit), and waits until
# every one says it listens.
start_echo_servers() {
  local ns=$1 server
  shift
  for server in "$@"; do
    # shellcheck disable=SC2086  # HOST PORT: two arguments
    ip netns exec "$ns" python3 "$recording_scripts/das_scenario.py" serve echo $server > "$work/ready-${server// /-}" &
    pids+=("$!")
  done
  for server in "$@"; do
    until grep -q READY "$work/ready-${server// /-}" 2>/dev/null; do sleep 0.1; done
  done
}

# serve_blob_http11 NS PORT...: Python's http.server with HTTP/1.1 (a connection is kept
# while its client sends) on 127.0.0.1:PORT in namespace NS for each PORT, serving /blob,
# 1 KiB of the bytes 0-255 over and over; each a process stopped on exit. Waits 2 s for them.
serve_blob_http11() {
  local ns=$1 port
  shift
  mkdir -p "$work/site"
  python3 -c "import sys; sys.stdout.buffer.write(bytes(range(256)) * 4)" > "$work/site/blob"
  for port in "$@"; do
    (cd "$work/site" && exec ip netns exec "$ns" python3 -c "
import http.server as h
h.test(HandlerClass=h.SimpleHTTPRequestHandler, protocol='HTTP/1.1', port=$port, bind='127.0.0.1')" >/dev/null 2>&1) &
    pids+=("$!")
  done
  sleep 2
}
