#!/bin/bash
# Records captures/infer-many-clients-lo.pcap: a small DAS cluster at port offset 3 whose
# ten workers all use a server outside the cluster, among ten machines that are no node,
# for `dasaudit infer` (docs/infer.md, "Dependencies, commented out"): a service with more
# clients than a result names (`sample_clients`, the five lowest addresses), the nodes among
# them above those five. Every server is a real listening process (das_scenario.py's echo
# server), every client a real connect over loopback, in a network namespace of the
# script's own (dasaudit-manyclients), so that nothing else on the machine is in it:
#
#   127.0.0.21 master + receiver: spark.master.port 7080, thrift.tcp.port 7614
#   127.0.0.22-127.0.0.31 workers: spark.worker.port 11003 each
#   127.0.0.9 outside the cluster: an echo server on 31337 (a rogue, or an undeclared
#       dependency)
#
# Each worker connects to the master's 7080 and to 127.0.0.9:31337, the master to each
# worker's 11003, 127.0.0.22 to the master's 7614, and ten workstations (127.0.0.11-20) to
# 127.0.0.9:31337: one message echoed, then closed. Needs root (ip netns, tcpdump).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../captures}
NAMESPACES=(dasaudit-manyclients)
# shellcheck source=scripts/recording/namespaces.sh
source "$here/namespaces.sh"
command -v tcpdump >/dev/null || apt-get install -y tcpdump >/dev/null
ns=dasaudit-manyclients

workers=()
for n in $(seq 22 31); do workers+=("127.0.0.$n"); done
servers=("127.0.0.21 7080" "127.0.0.21 7614" "127.0.0.9 31337")
for worker in "${workers[@]}"; do servers+=("$worker 11003"); done
start_echo_servers "$ns" "${servers[@]}"

# --immediate-mode: without it, the packets of the last buffer block are lost at SIGINT.
start_tcpdump "$ns" "$work/tcpdump.err" -i lo -U --immediate-mode -w "$work/infer-many-clients-lo.pcap" tcp
sleep 1
connects=("127.0.0.22 127.0.0.21 7614")
for worker in "${workers[@]}"; do
  connects+=("$worker 127.0.0.21 7080" "$worker 127.0.0.9 31337" "127.0.0.21 $worker 11003")
done
for n in $(seq 11 20); do connects+=("127.0.0.$n 127.0.0.9 31337"); done
for connect in "${connects[@]}"; do
  read -r source host port <<< "$connect"
  ip netns exec "$ns" python3 -c "
import sys; sys.path.insert(0, '$here')
import das_scenario
das_scenario.echo_client('$host', $port, [b'hello'], source='$source')"
done
sleep 0.5
kill -INT "$tcpdump_pid"; wait "$tcpdump_pid" || true
cp "$work/infer-many-clients-lo.pcap" "$out/infer-many-clients-lo.pcap"
