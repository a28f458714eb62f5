#!/usr/bin/env bash
# Records real HTTP through a host that routes, captured on every interface at once, in
# two shapes whose copies of one packet (a forwarded packet once per interface it crossed,
# docs/inputs.md) lie across a boundary between two files:
#   rotated-copies/any.pcap, any.pcap1, ... any.pcap4
#        a rotated capture (`tcpdump -i any -C 1`, LINUX_SLL2, snapshot length 96) of
#        ApacheBench fetching 1 KiB 4,500 times through the host, cut down to five files
#        around four boundaries: each file filtered (tcpdump -r, which keeps the file's
#        header) to the client ports of the last six packets before each boundary and the
#        first six after it, so a copy whose original ends the file before begins the next
#   sections-one-interface.pcapng, sections-two-interfaces.pcapng
#        dumpcap on the host's link to a alone (one interface), then on both of its links
#        (two interfaces, each forwarded packet on both): `cat` them for a pcapng whose
#        first section has one interface and whose second has two
# The host is a namespace of its own ("$NETNS", default das-rotated-copies) routing between
# a (10.233.0.1, fd00:233::1) and b (10.234.0.2, fd00:234::2); b serves HTTP (python3 -m
# http.server) on 9763. The set's packets are the same as one file's: the tests compare
# the set read as one capture with the files joined (`mergecap -a`).
# Needs root (namespaces, tcpdump, dumpcap). Traffic stays in the namespaces.
# Usage: sudo [NETNS=name] scripts/recording/record-rotated-copies.sh [CAPTURES_DIR]
set -euo pipefail
out="${1:-$(cd "$(dirname "$0")/../.." && pwd)/captures}"
mkdir -p "$out/rotated-copies"
command -v tcpdump >/dev/null && command -v ab >/dev/null && command -v dumpcap >/dev/null &&
  command -v tshark >/dev/null || apt-get install -y -qq tcpdump apache2-utils iproute2 wireshark-common tshark
H=${NETNS:-das-rotated-copies} LINK=${NETNS_LINK:-darc}
# shellcheck source=host-lab.sh
. "$(dirname "$0")/host-lab.sh"

in_ns "$H" sysctl -qw net.ipv4.ip_forward=1
in_ns "$H" sysctl -qw net.ipv6.conf.all.forwarding=1
for side in a b; do add_side "$side"; done
route_sides 10.233 10.234 fd00:233 fd00:234

serve_blob 1 b :: 9763
sleep 2

# fetch_while_recording N4 N6: with the recorder $recorder started, N4 fetches over IPv4
# then N6 over IPv6 (ApacheBench, 4 at once), then the recorder stopped, its files whole.
fetch_while_recording() {
  sleep 2
  in_ns "$H-a" ab -q -n "$1" -c "$(( $1 < 4 ? 1 : 4 ))" http://10.234.0.2:9763/blob >/dev/null
  in_ns "$H-a" ab -q -n "$2" -c "$(( $2 < 4 ? 1 : 4 ))" 'http://[fd00:234::2]:9763/blob' >/dev/null
  sleep 1
  kill -INT "$recorder"; wait "$recorder" || true
}

# The rotated capture: 1 MB files of about 10,000 packets each.
mkdir -p "$work/set"
ip netns exec "$H" tcpdump -Z root -i any -y LINUX_SLL2 -U -s 96 -C 1 -w "$work/set/any.pcap" tcp 2>/dev/null &
recorder=$!
fetch_while_recording 3000 1500
[ -e "$work/set/any.pcap5" ] || { echo "record-rotated-copies: fewer than six files" >&2; exit 1; }

# The client ports of the packets around each boundary of the first five files.
ports() { tshark -r "$1" -T fields -e tcp.srcport -e tcp.dstport 2>/dev/null | tr '\t' '\n' | grep -vx 9763; }
names=(any.pcap any.pcap1 any.pcap2 any.pcap3 any.pcap4)
: > "$work/ports"
for i in 0 1 2 3; do
  ports "$work/set/${names[i]}" | tail -6 >> "$work/ports"
  ports "$work/set/${names[i + 1]}" | awk 'NR <= 6' >> "$work/ports"
done
filter=$(sort -un "$work/ports" | sed 's/^/tcp port /' | paste -sd' ' | sed 's/ tcp/ or tcp/g')
rm -f "$out"/rotated-copies/any.pcap*
for name in "${names[@]}"; do
  tcpdump -Z root -r "$work/set/$name" -w "$out/rotated-copies/$name" "$filter" 2>/dev/null
done

# The two pcapng sections: a's link alone, then both links.
dumpcap_on() {  # dumpcap_on FILE INTERFACE...
  local file=$1; shift
  local args=()
  for interface in "$@"; do args+=(-i "$interface" -s 96 -f tcp); done
  ip netns exec "$H" dumpcap -q "${args[@]}" -w "$file" 2>/dev/null &
  recorder=$!
  fetch_while_recording 3 2
}
dumpcap_on "$out/sections-one-interface.pcapng" "${LINK}a"
dumpcap_on "$out/sections-two-interfaces.pcapng" "${LINK}a" "${LINK}b"

for f in "$out"/rotated-copies/any.pcap* "$out"/sections-*.pcapng; do
  capinfos -c -a -e -s -H "$f" 2>/dev/null || ls -l "$f"
done
in_ns "$H" ip -o link show | awk '{print "interface", $1, $2}'
