#!/usr/bin/env bash
# scripts/bench.sh: dasaudit against the C floor, in one run, on one machine.
#
# usage: scripts/bench.sh [--packets N] [--snaplen N] [--runs N] [--with-tshark]
#                         [--tshark-packets N] [--no-build] [--dasaudit PATH]
#
#   --packets N         packets in the benchmark capture (default 2000000)
#   --snaplen N         bytes kept per packet (default 96; 0 keeps whole packets)
#   --runs N            timed runs per tool, the best is reported (default 3)
#   --with-tshark       also time `tshark -q -z conv,tcp` on a slice of the capture
#   --tshark-packets N  size of that slice (default 200000)
#   --no-build          do not run `swift build`; use .build/release/dasaudit as it is
#   --dasaudit PATH     time this dasaudit binary instead (implies --no-build)
#
# Steps: installs missing tools (apt-get), builds dasaudit in release mode,
# builds the capture (scripts/bench/make-big-capture.sh, cached in bench-out/),
# compiles the floor (scripts/bench/floor.c, cc -O2), reads the capture once
# into the page cache, then runs the floor and dasaudit alternately, RUNS times
# each, timing wall clock and peak RSS (GNU time %M). If dasaudit is not built
# or fails, its row says so and the rest still runs.
#
# stdout: a Markdown table and notes, ready for docs/performance.md.
# stderr: progress. Logs and outputs of the runs: bench-out/.
set -euo pipefail
export LC_ALL=C
source "$(dirname "${BASH_SOURCE[0]}")/bench/lib.sh"

packets=2000000 snaplen=96 runs=3 with_tshark=0 tshark_packets=200000 build=1 dasaudit_bin=""
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2; exit "${1:-2}"; }
need_num() { [[ "${2:-}" =~ ^[0-9]+$ ]] || { say "$1 needs a number"; usage; }; }
while (($#)); do
    case $1 in
    --packets) need_num "$1" "${2:-}"; packets=$((10#$2)); shift 2 ;;
    --packets=*) need_num --packets "${1#*=}"; packets=$((10#${1#*=})); shift ;;
    --snaplen) need_num "$1" "${2:-}"; snaplen=$((10#$2)); shift 2 ;;
    --snaplen=*) need_num --snaplen "${1#*=}"; snaplen=$((10#${1#*=})); shift ;;
    --runs) need_num "$1" "${2:-}"; runs=$((10#$2)); shift 2 ;;
    --runs=*) need_num --runs "${1#*=}"; runs=$((10#${1#*=})); shift ;;
    --tshark-packets) need_num "$1" "${2:-}"; tshark_packets=$((10#$2)); shift 2 ;;
    --tshark-packets=*) need_num --tshark-packets "${1#*=}"; tshark_packets=$((10#${1#*=})); shift ;;
    --with-tshark) with_tshark=1; shift ;;
    --no-build) build=0; shift ;;
    --dasaudit) [[ -n "${2:-}" ]] || usage; dasaudit_bin=$(realpath -m "$2"); build=0; shift 2 ;;
    --dasaudit=*) dasaudit_bin=$(realpath -m "${1#*=}"); build=0; shift ;;
    -h | --help) usage 0 ;;
    *) say "unknown argument: $1"; usage ;;
    esac
done
((packets > 0 && runs > 0 && tshark_packets > 0)) || { say "--packets, --runs and --tshark-packets must be > 0"; usage; }

cd "$BENCH_ROOT"
mkdir -p "$BENCH_OUT"
bench_ensure_deps

# ---- dasaudit ----------------------------------------------------------------
dasaudit_bin=${dasaudit_bin:-"$BENCH_ROOT/.build/release/dasaudit"}
dasaudit_status=ok
if ((build)); then
    say "dasaudit: swift build -c release --product dasaudit (log: bench-out/swift-build.log)"
    if ! command -v swift >/dev/null 2>&1; then
        dasaudit_status="not built (no swift toolchain)"
    elif ! swift build -c release --product dasaudit >"$BENCH_OUT/swift-build.log" 2>&1; then
        dasaudit_status="not built (swift build failed, see bench-out/swift-build.log)"
    fi
fi
if [[ $dasaudit_status == ok && ! -x "$dasaudit_bin" ]]; then
    dasaudit_status="not built (no ${dasaudit_bin#"$BENCH_ROOT"/})"
fi
[[ $dasaudit_status == ok ]] || say "dasaudit: $dasaudit_status"

# ---- capture and floor ------------------------------------------------------
snaptag=$([[ $snaplen -eq 0 ]] && echo full || echo "$snaplen")
capture=$("$BENCH_DIR/make-big-capture.sh" "$BENCH_OUT/spark-n${packets}-s${snaptag}.pcap" "$packets" "$snaplen")
floor_bin=$(bench_compile floor)
load=$(cut -d' ' -f1-3 /proc/loadavg)
say "page cache: reading $capture"
cat "$capture" >/dev/null

# ---- timing -----------------------------------------------------------------
# time_once NAME CMD...: runs CMD once with stdout/stderr in bench-out/NAME.{stdout,stderr};
# sets T_SEC (wall clock, from bash's EPOCHREALTIME), T_KB (peak RSS, GNU time %M), T_RC.
time_once() {
    local name=$1; shift
    local tf="$BENCH_OUT/$name.time" t0 t1
    t0=$EPOCHREALTIME
    set +e
    /usr/bin/time -f '%e %M' -o "$tf" -- "$@" >"$BENCH_OUT/$name.stdout" 2>"$BENCH_OUT/$name.stderr"
    T_RC=$?
    set -e
    t1=$EPOCHREALTIME
    T_SEC=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
    T_KB=$(tail -n 1 "$tf" | awk '{ print $2 + 0 }')
}

# best-of bookkeeping: BEST_<name> (seconds), RSS_<name> (max KB over runs)
record() {
    local name=$1 best="BEST_$1" rss="RSS_$1"
    if [[ -z "${!best:-}" ]] || awk -v a="$T_SEC" -v b="${!best}" 'BEGIN { exit !(a < b) }'; then
        printf -v "$best" '%s' "$T_SEC"
    fi
    if [[ -z "${!rss:-}" ]] || ((T_KB > ${!rss})); then
        printf -v "$rss" '%s' "$T_KB"
    fi
}

das_cmd=("$dasaudit_bin" audit "$capture" --offset 2 --mode cluster --cores 2 --format json --output /dev/null)
floor_line=""
for ((r = 1; r <= runs; r++)); do
    time_once floor "$floor_bin" "$capture"
    ((T_RC == 0)) || die "floor failed (exit $T_RC): $(head -c 500 "$BENCH_OUT/floor.stderr")"
    floor_line=$(cat "$BENCH_OUT/floor.stdout")
    [[ $floor_line == *"packets=$packets "* ]] || die "floor read an unexpected number of packets: $floor_line"
    record floor
    say "run $r/$runs: floor    ${T_SEC} s  ${T_KB} KB"

    if [[ $dasaudit_status == ok ]]; then
        time_once dasaudit "${das_cmd[@]}"
        # exit 0: compliant, 1: findings; 2 and above (or a signal): an error
        if ((T_RC <= 1)); then
            record dasaudit
            say "run $r/$runs: dasaudit ${T_SEC} s  ${T_KB} KB  (exit $T_RC)"
        else
            dasaudit_status="failed (exit $T_RC, see bench-out/dasaudit.stderr)"
            say "dasaudit: $dasaudit_status"
            head -n 20 "$BENCH_OUT/dasaudit.stderr" >&2 || true
        fi
    fi
done

if ((with_tshark)); then
    slice=$("$BENCH_DIR/make-big-capture.sh" "$BENCH_OUT/spark-n${tshark_packets}-s${snaptag}.pcap" "$tshark_packets" "$snaplen")
    cat "$slice" >/dev/null
    tshark_status=ok
    for ((r = 1; r <= runs; r++)); do
        time_once tshark tshark -q -z conv,tcp -r "$slice"
        if ((T_RC != 0)); then
            tshark_status="failed (exit $T_RC, see bench-out/tshark.stderr)"
            say "tshark: $tshark_status"
            break
        fi
        record tshark
        say "run $r/$runs: tshark   ${T_SEC} s  ${T_KB} KB"
    done
fi

# ---- report -----------------------------------------------------------------
floor_mpps=$(awk -v n="$packets" -v s="$BEST_floor" 'BEGIN { printf "%.3f", n / s / 1e6 }')
row() { # row LABEL PACKETS BEST_SECONDS RSS_KB
    awk -v l="$1" -v n="$2" -v s="$3" -v k="$4" -v f="$floor_mpps" 'BEGIN {
        m = n / s / 1e6
        printf "| %s | %d | %.3f | %.2f | %.1f | %.2f |\n", l, n, s, m, k / 1024, f / m }'
}
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "no commit")
if [[ $commit != "no commit" ]] && [[ -n "$(git status --porcelain -- Sources Package.swift 2>/dev/null)" ]]; then
    commit="$commit + uncommitted changes"
fi
size_mb=$(awk -v b="$(stat -c %s "$capture")" 'BEGIN { printf "%.0f", b / 1e6 }')
sha=$(sha256sum "$capture" | cut -c1-16)

echo "### Benchmark: $packets packets, snaplen $snaptag"
echo
echo "- capture: \`${capture#"$BENCH_ROOT"/}\` ($size_mb MB, sha256 $sha…), from \`scripts/bench/make-big-capture.sh\`"
echo "- machine: $(nproc) cores, $cpu; $(uname -sr); libpcap $(pkg-config --modversion libpcap 2>/dev/null || echo '?'); $(cc --version | head -n 1); load average at the start: $load"
echo "- $(date -u '+%Y-%m-%d %H:%M UTC'), commit: $commit"
echo "- wall clock, best of $runs, capture in the page cache; peak RSS: the largest over the runs (GNU time %M); × floor: the floor's packets per second over the tool's"
echo "- floor: \`$floor_line\`"
echo
echo "| tool | packets | seconds | Mpps | peak RSS MB | × floor |"
echo "|---|---:|---:|---:|---:|---:|"
row "floor (C, libpcap pcap_next_ex, cc -O2)" "$packets" "$BEST_floor" "$RSS_floor"
if [[ $dasaudit_status == ok ]]; then
    row "dasaudit audit --offset 2 --mode cluster --cores 2 --format json" "$packets" "$BEST_dasaudit" "$RSS_dasaudit"
else
    echo "| dasaudit audit --offset 2 --mode cluster --cores 2 --format json | $packets | $dasaudit_status | | | |"
fi
if ((with_tshark)); then
    if [[ $tshark_status == ok ]]; then
        row "tshark -q -z conv,tcp (first $tshark_packets packets)" "$tshark_packets" "$BEST_tshark" "$RSS_tshark"
    else
        echo "| tshark -q -z conv,tcp (first $tshark_packets packets) | $tshark_packets | $tshark_status | | | |"
    fi
fi
echo
if [[ $dasaudit_status == ok ]]; then
    awk -v d="$BEST_dasaudit" -v f="$BEST_floor" -v n="$packets" 'BEGIN {
        r = d / f
        printf "dasaudit / floor: %.2fx (budget: at most 1.5x on 10000000 packets): %s%s\n", r,
            r <= 1.5 ? "within budget" : "OVER BUDGET",
            n == 10000000 ? "" : " (this run has " n " packets)" }'
else
    echo "dasaudit: $dasaudit_status"
fi
echo
echo "dasaudit command: \`${dasaudit_bin#"$BENCH_ROOT"/} audit ${capture#"$BENCH_ROOT"/} --offset 2 --mode cluster --cores 2 --format json --output /dev/null\`"
