#!/usr/bin/env bash
# bench-live.sh: how fast `dasaudit live` captures on loopback without dropping, and how
# much memory it holds on a long run with many connections. Needs root (live capture) and
# tcpreplay (installed when missing). Results and method: docs/live.md.
#
#   scripts/bench-live.sh rate   [--loops N] [--pps N] [--replays N] [--write] [--buffer-size SIZE]
#   scripts/bench-live.sh memory [--loops N] [--pps N]     the same, with RSS sampled every 10 s
#   --replays N: N tcpreplay processes at once (one saturates a core at ~400k pps here)
#   --dasaudit PATH: time that binary instead of building .build/release/dasaudit
#
# The traffic is the benchmark capture (scripts/bench/make-big-capture.sh, 200,000 packets
# of the real Spark cluster capture with new client ports per copy) replayed onto lo by
# `tcpreplay` (--topspeed unless --pps), --loops times; each loop opens its ~4,000
# connections again, so the connections count grows with the loops. dasaudit captures with
# the release build and the filter 'tcp', and is stopped with SIGINT after the replay.
set -euo pipefail
source "$(dirname "$0")/bench/lib.sh"
cd "$BENCH_ROOT"

mode=${1:-rate}; shift || true
loops=10 pps="" write=() binary="" replays=1 buffer=()
while (($#)); do
    case $1 in
        --loops) loops=$2; shift 2 ;;
        --pps) pps=$2; shift 2 ;;
        --write) write=(--write "$BENCH_OUT/live-evidence"); shift ;;
        --dasaudit) binary=$2; shift 2 ;;
        --replays) replays=$2; shift 2 ;;
        --buffer-size) buffer=(--buffer-size "$2"); shift 2 ;;
        *) die "unknown option $1" ;;
    esac
done
[ "$(id -u)" -eq 0 ] || die "live capture needs root"
command -v tcpreplay >/dev/null || { say "installing tcpreplay"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tcpreplay >/dev/null; }
command -v /usr/bin/time >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null

if [ -z "$binary" ]; then
    swift build -c release --product dasaudit >"$BENCH_OUT/swift-build-live.log" 2>&1 \
        || die "release build failed (bench-out/swift-build-live.log)"
    binary=.build/release/dasaudit
fi
capture=$(scripts/bench/make-big-capture.sh "$BENCH_OUT/spark-n200000-s96.pcap" 200000 96)
rm -rf "$BENCH_OUT/live-evidence" "$BENCH_OUT/live.stderr"

/usr/bin/time -f "%U %S %M" -o "$BENCH_OUT/live.time" "$binary" live -i lo --filter tcp \
    --format json --fail-on never --interval 10s "${write[@]}" "${buffer[@]}" >"$BENCH_OUT/live.json" 2>"$BENCH_OUT/live.stderr" &
timer=$!
live=""
for _ in $(seq 100); do
    grep -q "capturing on" "$BENCH_OUT/live.stderr" 2>/dev/null && live=$(pgrep -P "$timer" || true)
    [ -n "$live" ] && break
    sleep 0.1
done
[ -n "$live" ] || { kill "$timer" 2>/dev/null; die "dasaudit live did not start: $(cat "$BENCH_OUT/live.stderr")"; }
sampler=""
if [ "$mode" = memory ]; then
    (while kill -0 "$live" 2>/dev/null; do
        echo "$(date +%s) $(awk '/VmRSS/ {print $2}' "/proc/$live/status" 2>/dev/null)"; sleep 10
    done) >"$BENCH_OUT/live-rss.txt" &
    sampler=$!
fi
speed=(--topspeed); [ -n "$pps" ] && speed=(--pps "$pps")
replayers=()
for r in $(seq "$replays"); do
    tcpreplay -K "${speed[@]}" --loop "$loops" -i lo "$capture" >"$BENCH_OUT/tcpreplay-$r.out" 2>&1 &
    replayers+=($!)
done
wait "${replayers[@]}"
cat "$BENCH_OUT"/tcpreplay-*.out >"$BENCH_OUT/tcpreplay.out"; rm -f "$BENCH_OUT"/tcpreplay-*.out
sleep 1
kill -INT "$live"
wait "$timer" || true
[ -n "$sampler" ] && wait "$sampler"

read -r user sys rss <"$BENCH_OUT/live.time"
# Sent packets and the rate, summed over the replays (they run side by side).
sent=$(awk '/Actual:/ {n += $2} END {print n}' "$BENCH_OUT/tcpreplay.out")
rate=$(awk '/Rated:/ {for (i = 1; i <= NF; i++) if ($i == "pps") r += $(i-1)} END {print r}' "$BENCH_OUT/tcpreplay.out")
python3 - "$BENCH_OUT/live.json" "$sent" "$rate" "$user" "$sys" "$rss" "$mode" "$replays ${write[*]:0:1} ${buffer[*]}" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
sent, rate, user, sys_, rss, mode, setup = sys.argv[2:]
c = result["coverage"]
cpu = float(user) + float(sys_)
print(f"| {mode} | {setup} | {int(sent):,} | {float(rate):,.0f} | {c['packets']:,} | "
      f"{c['drops']['kernel']} / {c['drops']['interface']} | {c['connections']:,} | {cpu:.2f} | "
      f"{cpu / max(c['packets'], 1) * 1e6:.2f} | {int(rss) // 1024} |")
PY
if [ "$mode" = memory ]; then
    say "RSS (kB) every 10 s:"; awk 'NR == 1 {t0 = $1} {print "  " $1 - t0 " s  " $2}' "$BENCH_OUT/live-rss.txt" >&2
fi
