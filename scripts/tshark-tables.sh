# Sourced, not run: the per-connection tables scripts/compare-tshark.sh and
# scripts/third-party-captures.sh compare. Each prints one line per TCP connection, its two
# endpoints in sorted order and its packets ("10.0.0.1|443 10.0.0.2|51234 17"), sorted.
# dasaudit_table runs "$dasaudit" (set by the caller).

# tshark_table FILE [FILTER]: only the packets matching the display filter, if given. In a
# tunnel the addresses are the innermost (the last occurrence of ip.src or ipv6.src,
# whichever layer comes last before tcp in frame.protocols), as dasaudit audits them;
# tshark is told that UDP 8472 is VXLAN (Linux's port; 4789 it knows).
tshark_table() {
  tshark -r "$1" -d udp.port==8472,vxlan -Y "tcp && !icmp && !icmpv6${2:+ && ($2)}" -T fields -E separator=, \
    -E occurrence=l -e tcp.stream -e frame.protocols -e ip.src -e ipv6.src -e tcp.srcport -e ip.dst -e ipv6.dst \
    -e tcp.dstport 2>/dev/null |
    awk -F, '{ k = split($2, layer, ":"); v6 = 0
               for (i = 1; i <= k && layer[i] != "tcp"; i++) { if (layer[i] == "ip") v6 = 0; if (layer[i] == "ipv6") v6 = 1 }
               src = v6 ? $4 : $3; dst = v6 ? $7 : $6
               n[$1]++; if (!($1 in a)) { a[$1] = src "|" $5; b[$1] = dst "|" $8 } }
             END { for (s in n) { x = a[s]; y = b[s]; if (x > y) { t = x; x = y; y = t }; print x, y, n[s] } }' | sort
}
# dasaudit_table INPUT...: `dasaudit flows` of the input.
dasaudit_table() {
  "$dasaudit" flows "$@" --format csv |
    awk -F, 'NR > 1 { x = $1 "|" $2; y = $3 "|" $4; if (x > y) { t = x; x = y; y = t }; print x, y, $7 }' | sort
}
