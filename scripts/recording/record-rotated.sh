#!/usr/bin/env bash
# Records captures/rotated/: two consecutive files of a real rotated capture (`tcpdump -C`),
# cut down to the connections whose 4-tuple a file boundary catches before they ended and
# which the next file uses again.
#
# Debian's nginx serves 40,000 requests from ApacheBench (`ab -c 50`) on loopback, so the
# client ports wrap around and 4-tuples are reused within seconds; tcpdump rotates its file
# every 4 MB. The first boundary that falls at a connection's last ACK is kept: the two
# files around it, filtered with tshark to that connection's client port and to those of
# connections cut between their two FINs whose port the second file reuses. A boundary
# between two FINs comes in every run; one at a last ACK is luck (a window of
# microseconds against one of a millisecond): the run is repeated up to six times for one,
# then the first boundary between two FINs is kept. The files in captures/rotated/ came
# from this script's first run on 2026-12-05 at 06:43 UTC: its files 5 and 6.
#
# Needs root (tcpdump on lo; nginx on port 80). Usage: sudo scripts/recording/record-rotated.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$(cd "$here/../.." && pwd)/captures/rotated"
command -v nginx >/dev/null && command -v ab >/dev/null || apt-get install -y -q nginx-light apache2-utils >/dev/null
# shellcheck source=scripts/recording/cleanup.sh
source "$here/cleanup.sh"
at_exit 'nginx -s stop -c "$work/nginx.conf"'

cat > "$work/nginx.conf" <<EOF
daemon on; pid $work/nginx.pid; error_log $work/error.log;
events {}
http { access_log off; server { listen 127.0.0.1:80; root /usr/share/nginx/html; } }
EOF
nginx -c "$work/nginx.conf"

# One run: 40,000 requests recorded into 4 MB files, $work/ab-lo.pcap, ab-lo.pcap1, ...
record() {
  rm -f "$work"/ab-lo.pcap*
  tcpdump -Z root -U -i lo -s 128 -C 4 -w "$work/ab-lo.pcap" 'tcp port 80' 2>"$work/tcpdump.log" &
  tcpdump=$!
  sleep 1
  ab -q -n 40000 -c 50 http://127.0.0.1/ >/dev/null
  sleep 1
  kill -INT "$tcpdump"; wait "$tcpdump" || true
}

# Per file, the client ports whose connection the file opens on before it ended and
# which a SYN then uses again: "last-ack" when it opens on that ACK alone, "fin" when
# one FIN of the two is in it.
cut_ports() {
  tshark -r "$1" -T fields -e tcp.srcport -e tcp.dstport -e tcp.flags.syn -e tcp.flags.ack -e tcp.flags.fin 2>/dev/null |
    python3 -c '
import sys
flows = {}
for line in sys.stdin:
    source, destination, syn, ack, fin = line.split()
    flows.setdefault(destination if source == "80" else source, []).append((source, syn == "1", ack == "1", fin == "1"))
for port, packets in flows.items():
    syns = [i for i, (_, syn, ack, _) in enumerate(packets) if syn and not ack]
    if packets[0][1] or not syns: continue
    before = packets[:syns[0]]
    fins = {source for source, _, _, fin in before if fin}
    kind = "fin" if len(fins) == 1 else "last-ack" if len(before) == 1 else None
    if kind: print(kind, port)'
}

# Keeps the first boundary with a cut at a last ACK (with `any`: any cut); false when
# the run had none.
keep_a_boundary() {
  files=("$work/ab-lo.pcap" $(ls "$work"/ab-lo.pcap[0-9]* | sort -V))
  for ((k = 1; k < ${#files[@]}; k++)); do
    ports=$(cut_ports "${files[k]}")
    last_ack=$(awk '$1 == "last-ack" { print $2; exit }' <<<"$ports")
    fin=$(awk '$1 == "fin" { print $2 }' <<<"$ports" | head -3 | paste -sd,)
    [[ -n $last_ack || ( ${1:-} == any && -n $fin ) ]] || continue
    filter="tcp.port in {$(echo "$fin,$last_ack" | sed 's/^,//; s/,$//')}"
    rm -rf "$out"; mkdir -p "$out"
    tshark -r "${files[k-1]}" -Y "$filter" -F pcap -w "$out/ab-lo.pcap$((k - 1))"
    tshark -r "${files[k]}" -Y "$filter" -F pcap -w "$out/ab-lo.pcap$k"
    echo "kept the boundary between files $((k - 1)) and $k: $filter"
    return 0
  done
  return 1
}

for attempt in 1 2 3 4 5 6; do
  record
  keep_a_boundary && exit 0
  echo "run $attempt: no boundary fell at a connection's last ACK" >&2
done
keep_a_boundary any
