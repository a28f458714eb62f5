#!/bin/bash
# Records captures/misfit-rogue-lo.pcap: a small DAS cluster at port offset 3 and a host
# whose ports fit offset 0 (a node of another cluster, or one whose carbon.xml offset was
# left at 0) that also serves a rogue port, for `dasaudit infer` (docs/infer.md, "Hosts at
# another offset"). Every server is a real listening process (das_scenario.py's echo
# server), every client a real connect over loopback, in a network namespace of the
# script's own (dasaudit-misfit), so that nothing else on the machine is in the capture:
#
#   127.0.0.1 master + receiver: spark.master.port 7080, thrift.tcp.port 7614
#   127.0.0.2 worker: spark.worker.port 11003, executor 12003
#   127.0.0.5 at offset 0: thrift.tcp.port 7611, carbon.http.port 9763, and a rogue echo
#       server on 31337
#
# 127.0.0.1 connects to each server of the other hosts, 127.0.0.2 to 127.0.0.1's: one
# message echoed, then closed. Needs root (ip netns, tcpdump).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../captures}
NAMESPACES=(dasaudit-misfit)
# shellcheck source=scripts/recording/namespaces.sh
source "$here/namespaces.sh"
command -v tcpdump >/dev/null || apt-get install -y tcpdump >/dev/null
ns=(ip netns exec dasaudit-misfit)

servers=("127.0.0.1 7080" "127.0.0.1 7614" "127.0.0.2 11003" "127.0.0.2 12003"
         "127.0.0.5 7611" "127.0.0.5 9763" "127.0.0.5 31337")
start_echo_servers dasaudit-misfit "${servers[@]}"

# --immediate-mode: without it, the packets of the last buffer block are lost at SIGINT.
start_tcpdump dasaudit-misfit "$work/tcpdump.err" -i lo -U --immediate-mode -w "$work/misfit-rogue-lo.pcap" tcp
sleep 1
for server in "${servers[@]}"; do
  read -r host port <<< "$server"
  source_address=127.0.0.1
  [ "$host" = 127.0.0.1 ] && source_address=127.0.0.2
  "${ns[@]}" python3 -c "
import sys; sys.path.insert(0, '$here')
import das_scenario
das_scenario.echo_client('$host', $port, [b'hello'], source='$source_address')"
done
sleep 0.5
kill -INT "$tcpdump_pid"; wait "$tcpdump_pid" || true
cp "$work/misfit-rogue-lo.pcap" "$out/misfit-rogue-lo.pcap"
