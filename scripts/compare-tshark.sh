#!/usr/bin/env bash
# Cross-checks `dasaudit flows` against tshark: for every capture in captures/ and for
# variants of them made with real tools, the per-connection packet counts must be equal
# to tshark's TCP streams (tcp.stream) over the same packets.
#
#   scripts/compare-tshark.sh            uses .build/debug/dasaudit (DASAUDIT=... to override)
#   KEEP=1 scripts/compare-tshark.sh     keeps the variants and both tables in the work dir
#
# Variants of each pcap (in a temporary directory, never committed):
#   pcapng, nsec        editcap -F pcapng / -F nsecpcap (plus a 123 ns shift, editcap -t)
#   big-endian          the pcap's headers byte-swapped (python3; no common tool writes it)
#   gzip, zstd          gzip -c / zstd -c (dasaudit reads the compressed file; tshark the plain one)
#   Ethernet captures only:
#   vlan, qinq          tcprewrite --enet-vlan=add (802.1Q 100; then 802.1ad 200 outside it)
#   raw                 editcap -C 14 -T rawip (the Ethernet header cut off: LINKTYPE_RAW)
#   null, loop, sll     tcprewrite --dlt=user: BSD NULL (host order, Darwin's AF_INET6 30),
#                       OpenBSD LOOP (network order, AF_INET6 24), Linux SLL v1; IPv4 and IPv6
#                       are split with tcpdump filters, re-framed, and merged with mergecap
# Captures on every interface at once (`tcpdump -i any`) through a bridge or a router hold
# a forwarded packet once per interface it crossed; dasaudit counts it once (docs/design.md,
# "Copies of one packet"), tshark every copy. For those, tshark is shown one interface per
# path (`one_copy` below), a fact of how each capture was recorded, not dasaudit's rule.
# Through a host that translates addresses (NAT), dasaudit counts a connection once, in the
# view that reached the server or left the host ("Translated copies"); tshark is shown
# that view's interface.
# Captures on an underlay hold TCP in tunnels (VXLAN); both tools count the inner packets.
# tcprewrite 4.4 stops on a packet whose IP payload is empty (nmap -sO's IP-in-IP probes:
# "length of data must be > 0"); the variants it cannot make are named and counted as not
# made, the others still compared.
# Exits 1 on any difference (and prints it), 2 when a tool is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
dasaudit=${DASAUDIT:-.build/debug/dasaudit}
for tool in "$dasaudit" tshark editcap mergecap tcprewrite tcpdump gzip zstd python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "compare-tshark: $tool is missing (scripts/setup.sh installs it)" >&2; exit 2; }
done
work=$(mktemp -d /tmp/compare-tshark.XXXXXX)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT

# For the captures that hold copies: "TSHARK_INPUT|DISPLAY_FILTER", the packets of one
# interface per path (TSHARK_INPUT empty: the capture or variant itself). The SLL v1
# capture names no interface; its twin, recorded at the same time as SLL2, does.
declare -A one_copy=(
  [scan-duplicated-any.pcap]="|sll.ifindex == 11"
  [copies-any-sll2.pcap]="|sll.ifindex == 3 || sll.ifindex == 5"
  [copies-any-sll.pcap]="captures/copies-any-sll2.pcap|sll.ifindex == 3 || sll.ifindex == 5"
  [copies-dumpcap.pcapng]="|frame.interface_id == 0 || frame.interface_id == 2"
  [tunnel-vxlan-any.pcap]="|sll.ifindex == 2"
  # Address translation: each connection as it reached the server (b's port, 3), and the
  # masqueraded fetches as they left the host (c's link, 4).
  [nat-any-sll2.pcap]="|(sll.ifindex == 3 && tcp.port != 8080) || (sll.ifindex == 4 && tcp.port == 8080)"
  [nat-any-sll.pcap]="captures/nat-any-sll2.pcap|(sll.ifindex == 3 && tcp.port != 8080) || (sll.ifindex == 4 && tcp.port == 8080)"
  [nat-nodeport-sll2.pcap]="|sll.ifindex == 3"
  # The same at the translating host of a merge: the containers' ports (4, 5) without the
  # containers' fetches out, which are audited as they left the host on b's link (3).
  [nat-merge-host-sll2.pcap]="|((sll.ifindex == 4 || sll.ifindex == 5) && !(ip.dst == 10.228.0.1 && tcp.dstport == 9763) && !(ip.src == 10.228.0.1 && tcp.srcport == 9763)) || (sll.ifindex == 3 && ip.addr == 10.228.0.254 && tcp.port == 9763)"
  # A host that cuts the segments it forwards: the server's link, where they are whole.
  [segmented-any-sll2.pcap]="|sll.ifindex == 3"
  # A router whose egress queue holds a packet's second capture up to 215 ms after its
  # first: the server's side of the router (2) holds every packet once.
  [shaped-router-any-sll2.pcap]="|sll.ifindex == 2"
  [segmented-any-sll.pcap]="captures/segmented-any-sll2.pcap|sll.ifindex == 3"
  [segmented-interleaved-any-sll2.pcap]="|sll.ifindex == 3"
  [segmented-resent-any-sll2.pcap]="|sll.ifindex == 3"
  # A host that routes, dumpcap on both links; tshark names each section's interfaces from 0.
  [sections-two-interfaces.pcapng]="|frame.interface_id == 0"
  [sections-concatenated.pcapng]="|frame.interface_id == 0"
  # A host that routes, dumpcap on both links at once, its packets up to 0.23 s out of order.
  [dumpcap-2if.pcapng]="|frame.interface_id == 0"
  # dumpcap on a balance-rr bond and its two slaves: the bond holds every packet once.
  [bond-rr-dumpcap.pcapng]="|frame.interface_id == 0"
  # A rotated capture on every interface, read as one set: the client's link.
  [rotated-copies]="|sll.ifindex == 2"
  # A provider bridge (802.1ad over 802.1Q) on every interface: the kernel hands some of its
  # packets with the inner tag's last 4 bytes before the IP header, which tshark reads as a
  # bogus IPv4 header and dasaudit decodes behind them; its twin, recorded at the same time
  # on the customer's trunk, holds each packet once as it went.
  [qinq-bridge-any-sll2.pcap]="captures/qinq-bridge-trunk.pcap|"
  # Not copies: damaged packets (wrong TCP or IPv4 header checksum), which dasaudit counts
  # as bad-checksum (docs/design.md, "Damaged packets"). tshark counts three as streams of
  # their own (a port and an address the relay's flipped bits made) and the damaged ACK
  # (frame 90) in its stream; shown without them.
  [damaged-packets-veth.pcap]="|tcp.port != 11811 && tcp.port != 35428 && ip.src != 10.39.0.3 && frame.number != 90"
  # Likewise the forged RSTs and FINs of three open connections, in their streams.
  [damaged-teardown-veth.pcap]="|frame.number != 8 && frame.number != 22 && frame.number != 23 && frame.number != 37"
  # ... except in the variants tcprewrite makes, which computes every checksum again: the
  # three packets are sound there, and both count them as connections ("|": no filter).
  [damaged-packets-veth.pcap/vlan]="|" [damaged-packets-veth.pcap/qinq]="|"
  [damaged-packets-veth.pcap/null]="|" [damaged-packets-veth.pcap/loop]="|"
  [damaged-packets-veth.pcap/sll]="|"
)
# Captures whose packets end inside TCP's fixed 20-byte header: tshark follows the ports it
# can read, dasaudit counts such a packet `truncated` (no flags, no state). Not compared.
# (Packets cut in TCP's options are decoded by both: refused-v6-any-s96.pcap is compared.)
declare -A not_compared=(
  [tunnel-vxlan-underlay-s96.pcap]="96 bytes end inside the fixed TCP header behind VXLAN's 50 bytes of outer headers"
  [tunnel-vxlan-ports-underlay-s96.pcap]="96 bytes end inside the fixed TCP header behind VXLAN's 50 bytes of outer headers"
  [tunnel-vxlan-ports-underlay-s128.pcap]="128 bytes end inside the fixed TCP header of inner IPv6 behind VXLAN over IPv6"
  [http-cut-s40-lo.pcap]="40 bytes end inside the fixed TCP header (14 Ethernet, 20 IP, 6 of TCP's 20)"
  [snaplen-cut-v6-veth-s64.pcap]="64 bytes end inside the fixed TCP header of IPv6 (14 Ethernet, 40 IPv6, 10 of TCP's 20)"
  # One variant only (NAME/VARIANT): as a Linux cooked capture (`-i any`, no interface
  # index), a packet seen again within moments is a copy from another interface
  # (docs/inputs.md), and this capture holds 4 real retransmissions, 3 of them that close.
  [scan-from-worker-veth-s200.pcap/sll]="real retransmissions within 67 ms read as an -i any capture's copies"
  # Likewise: 2 real IPv6 retransmissions sent within the millisecond of their originals
  # carry the same flow label, numbers, checksum and TCP options (docs/inputs.md).
  [retransmissions-veth.pcap/sll]="2 IPv6 retransmissions identical to their originals read as an -i any capture's copies"
  # Cutting 14 bytes leaves the 802.1Q tag of every frame where the IP header should begin.
  [vlan-prio0-scapy.pcap/raw]="editcap -C 14 leaves its 802.1Q tag where raw IP should begin"
  # A trunk whose every TCP frame is tagged: the same cut, and the re-framings' tcpdump ip
  # and ip6 filters match no tagged frame (3 untagged ICMPv6 packets are left, no TCP).
  [qinq-bridge-trunk.pcap/raw]="editcap -C 14 leaves each frame's 802.1Q tag where raw IP should begin"
  [qinq-bridge-trunk.pcap/null]="every TCP frame is tagged, and the re-framing's ip and ip6 filters keep none"
  [qinq-bridge-trunk.pcap/loop]="every TCP frame is tagged, and the re-framing's ip and ip6 filters keep none"
  [qinq-bridge-trunk.pcap/sll]="every TCP frame is tagged, and the re-framing's ip and ip6 filters keep none"
  # tcprewrite computes every checksum again: the forged RSTs are sound there and end their
  # connections, and the hosts' packets 11 s later, past the 5 s linger, are a second
  # connection for dasaudit (audit and flows alike) where tshark keeps one stream.
  [damaged-teardown-veth.pcap/vlan]="its forged RSTs made sound end connections the hosts go on with 11 s later"
  [damaged-teardown-veth.pcap/qinq]="its forged RSTs made sound end connections the hosts go on with 11 s later"
  [damaged-teardown-veth.pcap/null]="its forged RSTs made sound end connections the hosts go on with 11 s later"
  [damaged-teardown-veth.pcap/loop]="its forged RSTs made sound end connections the hosts go on with 11 s later"
  [damaged-teardown-veth.pcap/sll]="its forged RSTs made sound end connections the hosts go on with 11 s later"
)

# tshark_table FILE [FILTER], dasaudit_table INPUT: "A|port B|port packets" per connection.
source scripts/tshark-tables.sh

checked=0 differ=0 unmade=0
# made NAME COMMAND...: runs the command that makes variant NAME; when it fails, says so
# (its last message) and returns 1, so that the variant is not compared.
made() {
  local name=$1 message
  shift
  if message=$("$@" 2>&1); then return 0; fi
  echo "  not made  $name: $(printf '%s\n' "$message" | grep -v '^ *$' | tail -n 1)"
  unmade=$((unmade + 1))
  return 1
}
compare() {  # compare NAME DASAUDIT_INPUT TSHARK_INPUT
  local name=$1 ours=$2 theirs=$3 filter="" reference=${one_copy[$1]:-${one_copy[${1%%/*}]:-}}
  local table="$work/${name//\//+}"
  local skipped=${not_compared[${1%%/*}]:-${not_compared[$1]:-}}
  if [ -n "$skipped" ]; then
    printf '  skip   %-44s %s\n' "$name" "$skipped"; return
  fi
  if [ -n "$reference" ]; then
    [ -z "${reference%%|*}" ] || theirs=${reference%%|*}
    filter=${reference#*|}
  fi
  dasaudit_table "$ours" > "$table.dasaudit" || true
  tshark_table "$theirs" "$filter" > "$table.tshark"
  checked=$((checked + 1))
  if [ ! -s "$table.tshark" ] && [ ! -s "$table.dasaudit" ] && [ -z "$(tshark -r "$theirs" -c 1 2>/dev/null)" ]; then
    printf '  equal  %-44s no packets (tshark reads none either)\n' "$name"  # a file header alone
  elif [ ! -s "$table.tshark" ]; then
    echo "DIFFER $name: tshark found no TCP connection"; differ=$((differ + 1))
  elif diff -q "$table.dasaudit" "$table.tshark" >/dev/null; then
    printf '  equal  %-44s %4d connections, %6d packets\n' "$name" "$(wc -l < "$table.tshark")" \
      "$(awk '{ s += $3 } END { print s }' "$table.tshark")"
  else
    echo "DIFFER $name (< dasaudit, > tshark):"; diff "$table.dasaudit" "$table.tshark" | head -20 || true
    differ=$((differ + 1))
  fi
}

# Swaps every header field of a little-endian pcap (file header and record headers): the
# same packets as a big-endian host's libpcap writes them. NFLOG (link type 239) keeps each
# TLV's length and type in the capturing host's byte order, so those are swapped too.
big_endian() {
  python3 - "$1" "$2" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
header = struct.unpack("<IHHiIII", data[:24])
out = bytearray(struct.pack(">IHHiIII", *header))
nflog = header[6] & 0x0FFFFFFF == 239
offset = 24
while offset < len(data):
    fields = struct.unpack("<IIII", data[offset:offset + 16])
    packet = bytearray(data[offset + 16:offset + 16 + fields[2]])
    tlv = 4
    while nflog and tlv + 4 <= len(packet):
        length, kind = struct.unpack("<HH", packet[tlv:tlv + 4])
        packet[tlv:tlv + 4] = struct.pack(">HH", length, kind)
        if length < 4: break
        tlv += (length + 3) & ~3
    out += struct.pack(">IIII", *fields) + packet
    offset += 16 + fields[2]
open(sys.argv[2], "wb").write(out)
PY
}

# Re-frames an Ethernet capture's IPv4 and IPv6 packets with `tcprewrite --dlt=user`.
reframe() {  # reframe IN OUT DLT V4_HEADER V6_HEADER
  local in=$1 out=$2 dlt=$3
  tcpdump -Z root -r "$in" -w "$work/v4.pcap" ip 2>/dev/null &&
    tcpdump -Z root -r "$in" -w "$work/v6.pcap" ip6 2>/dev/null &&
    tcprewrite --dlt=user --user-dlt="$dlt" --user-dlink="$4" -i "$work/v4.pcap" -o "$work/v4r.pcap" &&
    tcprewrite --dlt=user --user-dlt="$dlt" --user-dlink="$5" -i "$work/v6.pcap" -o "$work/v6r.pcap" &&
    mergecap -F pcap -w "$out" "$work/v4r.pcap" "$work/v6r.pcap"
}

echo "dasaudit flows vs tshark tcp.stream: packets per connection"
for capture in captures/*.pcap captures/*.pcapng; do
  base=$(basename "$capture")
  compare "$base" "$capture" "$capture"
  [[ $capture == *.pcap ]] || continue
  v="$work/$base"
  editcap -F pcapng "$capture" "$v.pcapng";                  compare "$base/pcapng" "$v.pcapng" "$v.pcapng"
  editcap -F nsecpcap -t 0.000000123 "$capture" "$v.nsec";   compare "$base/nsec" "$v.nsec" "$v.nsec"
  big_endian "$capture" "$v.be";                              compare "$base/big-endian" "$v.be" "$v.be"
  gzip -c "$capture" > "$v.gz";                               compare "$base/gzip" "$v.gz" "$capture"
  zstd -q -c "$capture" > "$v.zst";                           compare "$base/zstd" "$v.zst" "$capture"
  [ "$(tshark -r "$capture" -c 1 -T fields -e frame.encap_type 2>/dev/null)" = 1 ] || continue  # Ethernet only
  if made "$base/vlan" tcprewrite --enet-vlan=add --enet-vlan-tag=100 --enet-vlan-cfi=0 --enet-vlan-pri=0 \
       -i "$capture" -o "$v.vlan"; then
    compare "$base/vlan" "$v.vlan" "$v.vlan"
    made "$base/qinq" tcprewrite --enet-vlan=add --enet-vlan-tag=200 --enet-vlan-cfi=0 --enet-vlan-pri=0 \
      --enet-vlan-proto=802.1ad -i "$v.vlan" -o "$v.qinq" && compare "$base/qinq" "$v.qinq" "$v.qinq"
  fi
  editcap -C 14 -T rawip "$capture" "$v.raw";                 compare "$base/raw" "$v.raw" "$v.raw"
  made "$base/null" reframe "$capture" "$v.null" 0 02,00,00,00 1e,00,00,00 && compare "$base/null" "$v.null" "$v.null"
  made "$base/loop" reframe "$capture" "$v.loop" 108 00,00,00,02 00,00,00,18 && compare "$base/loop" "$v.loop" "$v.loop"
  made "$base/sll" reframe "$capture" "$v.sll" 113 00,00,03,04,00,06,00,00,00,00,00,00,00,00,08,00 \
    00,00,03,04,00,06,00,00,00,00,00,00,00,00,86,dd && compare "$base/sll" "$v.sll" "$v.sll"
done
# The real tunnels of captures/tunnels (GRE, ERSPAN, Geneve, IP-in-IP, ...), as recorded:
# tshark opens them all and counts the innermost TCP, as dasaudit does.
for capture in captures/tunnels/*.pcap; do
  [[ $capture == *.inner.pcap ]] && continue
  compare "tunnels/$(basename "$capture")" "$capture" "$capture"
done
# The files of a rotated capture, each on its own: the second begins inside connections
# whose 4-tuples it then reuses.
for capture in captures/rotated/*; do
  compare "rotated/$(basename "$capture")" "$capture" "$capture"
done
# A rotated capture on every interface, its files read as one set (their directory), and
# a pcapng whose second section alone has several interfaces: copies whose original is in
# the file or section before (docs/inputs.md, "Several inputs: one capture").
mergecap -a -F pcap -w "$work/rotated-copies.pcap" captures/rotated-copies/any.pcap{,1,2,3,4}
compare "rotated-copies" captures/rotated-copies "$work/rotated-copies.pcap"
# A wrapped ring (tcpdump -W), its directory read in time order (ring.pcap1 ring.pcap2
# ring.pcap0, not the names' order), over its files joined in that order.
mergecap -a -F pcap -w "$work/ring.pcap" captures/ring/ring.pcap{1,2,0}
compare "ring" captures/ring "$work/ring.pcap"
cat captures/sections-one-interface.pcapng captures/sections-two-interfaces.pcapng > "$work/sections-concatenated.pcapng"
compare "sections-concatenated.pcapng" "$work/sections-concatenated.pcapng" "$work/sections-concatenated.pcapng"
echo "$checked captures checked: $((checked - differ)) equal, $differ different; $unmade variants tcprewrite could not make"
[ "$differ" -eq 0 ]
