# A server's keep-alives to clients that went away, for the recordings that need them
# (record-ack-probes-by-port-range.sh, record-probes-by-make.sh). Sourced after
# netns-pair.sh and namespaces.sh, with A, B, ROOT, TABLE and WORK set and keepalive_server.py
# listening on SERVER:7613 in B. Defines record_keepalives_to_dead_clients.

# record_keepalives_to_dead_clients NAME OUT SERVER SOURCE [FIRST_PORT]: eight clients in A,
# from SOURCE (bound to FIRST_PORT, FIRST_PORT+1, ... if given), connect to SERVER:7613 and
# exchange a line; each is then closed with SO_LINGER 0 while an nft rule in A (table
# TABLE) drops its RST, so that its socket is gone and the server's still open
# (dying_clients.py). Records on B's end, -s 192, the 5 s after: the server's keep-alives
# (2 s idle) and A's RSTs answering them, into OUT/NAME.pcap.
record_keepalives_to_dead_clients() {
    local name=$1 out=$2 server=$3 source=$4 first_port=${5:-}
    coproc CLIENTS { ip netns exec "$A" python3 "$ROOT/scripts/recording/dying_clients.py" "$server" "$source" 8 $first_port; }
    read -r _ <&"${CLIENTS[0]}"
    ip netns exec "$A" nft add table inet "$TABLE"
    ip netns exec "$A" nft add chain inet "$TABLE" out '{ type filter hook output priority 0; }'
    ip netns exec "$A" nft add rule inet "$TABLE" out tcp dport 7613 tcp flags rst drop
    echo go >&"${CLIENTS[1]}"
    read -r _ <&"${CLIENTS[0]}"
    ip netns exec "$A" nft delete table inet "$TABLE"
    start_tcpdump "$B" "$WORK/tcpdump.log" -i vb -s 192 -U -w "$WORK/$name.pcap" tcp
    sleep 5
    kill -INT "$tcpdump_pid"; wait "$tcpdump_pid" 2>/dev/null || true
    cp "$WORK/$name.pcap" "$out/"
    echo "== $name: $(tail -n 3 "$WORK/tcpdump.log" | tr '\n' ' ')" >&2
}
