# One capture per scan, each with a real client's traffic around it, for the recordings of
# scanners (record-scan-*.sh). Sourced after netns-pair.sh, with ONLY set (the names asked
# for; empty for all) and a function `fetch` defined: one round of the real client (a
# fetch, then a pause), called in a loop before, during and after each scan.

# wanted NAME: whether NAME is to be recorded (all when no names were given).
wanted() { [ ${#ONLY[@]} -eq 0 ] || [[ " ${ONLY[*]} " == *" $1 "* ]]; }

# record_scan NAME COMMAND...: runs COMMAND in a while tcpdump records b's end of the pair
# (vb, CAPTURE_FILTER or 'ip or ip6') into OUT/NAME.pcap, the real client fetching from 2 s
# before it until 2 s after; prints COMMAND's output. A command that exits non-zero (hping3
# does when nothing answers, as nothing answers a RST) is said, not fatal: the capture is
# what counts.
record_scan() {
    local name=$1 tcpdump fetches status=0
    shift
    wanted "$name" || return 0
    start_tcpdump "$B" "$WORK/tcpdump.log" -i vb -s 0 -U -w "$WORK/$name.pcap" "${CAPTURE_FILTER:-ip or ip6}"
    tcpdump=$tcpdump_pid
    (while true; do fetch; done) &
    fetches=$!
    pids+=("$fetches")  # stopped on exit too, should the command fail
    sleep 2
    ip netns exec "$A" "$@" >"$WORK/$name.txt" 2>"$WORK/$name.err" || status=$?
    sleep 2
    kill "$fetches"; wait "$fetches" 2>/dev/null || true
    sleep 1
    kill -INT "$tcpdump"; wait "$tcpdump" 2>/dev/null || true
    cp "$WORK/$name.pcap" "$OUT/"
    echo "== $name: $*"
    tr -d '\r' <"$WORK/$name.txt"
    if [ "$status" -ne 0 ]; then echo "(exit $status)"; tail -n 3 "$WORK/$name.err"; fi
}
