#!/bin/sh
# The first payload bytes of each side of every TCP connection of a capture (hex), as
# dasaudit samples them: for the real-byte fixtures of Tests/ProtocolsTests/RealSamples.swift.
# usage: firstbytes.sh pcap [n]  -> stream src:port dst:port len hex(first n bytes of first payload each direction)
n=${2:-128}
tshark -r "$1" -Y "tcp.len>0" -T fields -e tcp.stream -e ip.src -e ipv6.src -e tcp.srcport -e ip.dst -e ipv6.dst -e tcp.dstport -e tcp.len -e tcp.payload 2>/dev/null |
awk -v n=$n -F'\t' '{k=$1" "$2$3":"$4; if (!(k in seen)) {seen[k]=1; print $1, $2$3":"$4, "->", $5$6":"$7, $8, substr($9,1,2*n)}}'
