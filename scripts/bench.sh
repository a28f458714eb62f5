#!/usr/bin/env bash
# scripts/bench.sh: dasaudit against the C floor on a matrix of traffic shapes, and against
# tshark and ndpiReader, in one run, on one machine. The captures come from the project's
# generator (dasaudit-gen, Sources/TrafficGenerator), cached in bench-out/captures/.
#
# usage: scripts/bench.sh [--packets N] [--full-packets N] [--snaplen N] [--runs N]
#                         [--slice N] [--shapes LIST] [--matrix-runs N] [--no-matrix] [--no-tshark] [--no-ndpi]
#                         [--no-full] [--no-parallel] [--no-formats] [--no-protocol-stage-price] [--price-tracking] [--no-build]
#                         [--dasaudit PATH] [--quick]
#
#   --packets N       packets of every truncated capture (default 10000000)
#   --full-packets N  packets of the full-size capture (default 2000000; 0: none)
#   --snaplen N       bytes kept per packet of the truncated captures (default 96)
#   --runs N          timed runs of the floor and dasaudit, in turn; the best is reported (default 5,
#                     3 in the matrix); tshark and ndpiReader, 50-200 times slower, run once
#   --matrix-runs N   timed runs in the matrix only (default 3; after --runs, which sets both)
#   --slice N         packets of the slice tshark reads (default 1000000)
#   --shapes LIST     the matrix's shapes, comma-separated (default cluster,concurrent,short,services,nmap,copies,vxlan,nat,wild;
#                     wild downloads nDPI's test captures once, scripts/third-party-captures.sh)
#   --no-matrix, --no-tshark, --no-ndpi, --no-full, --no-parallel, --no-formats   leave that part out
#   --no-protocol-stage-price   leave out the matrix's runs of dasaudit without the protocol stage
#   --price-tracking  also time, in the matrix, a build whose tracking thread hands each batch back
#                     untracked (-DDASAUDIT_WITHOUT_TRACKING): the rest of the audit alone, and so
#                     what the tracking costs on each shape (its results are empty, and unused)
#   --no-build        do not run `swift build`; use .build/release/dasaudit{,-bench,-gen} (and the
#                     builds without the protocol stage and without the tracking,
#                     .build/without-protocol-stage and .build/without-tracking, if there)
#   --dasaudit PATH   time this dasaudit binary (and the dasaudit-bench beside it); not built
#   --quick           small captures (200000 / 100000 packets, slice 50000), one run: a smoke test
#   --no-nice         do not run the timed commands under `nice -n -20` (they are, as root,
#                     so other work on a shared machine takes less from them; every tool alike)
#
# The matrix (docs/performance.md says what each shape is): for each shape, a capture of
# --packets packets at --snaplen, the floor (scripts/bench/floor.c: pcap_next_ex and a TCP
# port count) and `dasaudit audit CAPTURE --format json --timings` taking turns; the ratio
# of the best runs, dasaudit's peak RSS, and the split of its time (packet loop, end stage,
# evidence hash, output) from `--timings`, and what the protocol stage costs there: the same
# audit by a build with the stage compiled out (-DDASAUDIT_WITHOUT_PROTOCOL_STAGE: no payload
# byte copied, no sample kept, nothing recognized), in turn with the others; the SHA-256 of the capture alone
# (its size over `openssl speed -evp sha256`'s rate) and the bound it and the CPU time set on this many
# cores; each capture is timed from a copy in tmpfs
# (BENCH_RAM, default /dev/shm) when there is room. Then, on the cluster shape: the floor with
# its records read in place (floor.c --in-place, as dasaudit reads plain pcap files), `dasaudit audit`
# on its first 2,000,000 packets (peak memory against packets), `tshark -q -z conv,tcp`
# on the first --slice packets, `ndpiReader -q`; the same with whole packets; two captures
# of --packets/2 packets read by one `dasaudit audit`, with --threads 1 and with every
# core; the heap allocations of the packet loop (dasaudit-bench, Benchmarks/HotLoop). Wall
# clock from bash's EPOCHREALTIME, peak RSS from GNU time (%M), captures in tmpfs or the page cache.
#
# stdout: Markdown for docs/performance.md. stderr: progress. Outputs: bench-out/.
set -euo pipefail
export LC_ALL=C
source "$(dirname "${BASH_SOURCE[0]}")/bench/lib.sh"

packets=10000000 full_packets=2000000 snaplen=96 runs=5 slice=1000000 matrix_runs=3
BENCH_RAM=${BENCH_RAM:-/dev/shm}
shapes=cluster,concurrent,short,services,nmap,copies,vxlan,nat,wild with_matrix=1
nice=()
[[ $(id -u) -eq 0 ]] && nice=(nice -n -20)
with_tshark=1 with_ndpi=1 with_full=1 with_parallel=1 with_formats=1 build=1 dasaudit_bin="" price_protocols=1 price_tracking=0
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2; exit "${1:-2}"; }
need_num() { [[ "${2:-}" =~ ^[0-9]+$ ]] || { say "$1 needs a number"; usage; }; }
while (($#)); do
    case $1 in
    --packets) need_num "$1" "${2:-}"; packets=$((10#$2)); shift 2 ;;
    --full-packets) need_num "$1" "${2:-}"; full_packets=$((10#$2)); shift 2 ;;
    --snaplen) need_num "$1" "${2:-}"; snaplen=$((10#$2)); shift 2 ;;
    --runs) need_num "$1" "${2:-}"; runs=$((10#$2)) matrix_runs=$((10#$2)); shift 2 ;;
    --matrix-runs) need_num "$1" "${2:-}"; matrix_runs=$((10#$2)); shift 2 ;;
    --shapes) [[ "${2:-}" =~ ^[a-z,]+$ ]] || { say "--shapes needs a comma-separated list"; usage; }; shapes=$2; shift 2 ;;
    --no-matrix) with_matrix=0; shift ;;
    --slice) need_num "$1" "${2:-}"; slice=$((10#$2)); shift 2 ;;
    --no-tshark) with_tshark=0; shift ;;
    --no-ndpi) with_ndpi=0; shift ;;
    --no-full) with_full=0; shift ;;
    --no-parallel) with_parallel=0; shift ;;
    --no-formats) with_formats=0; shift ;;
    --no-build) build=0; shift ;;
    --no-protocol-stage-price) price_protocols=0; shift ;;
    --price-tracking) price_tracking=1; shift ;;
    --dasaudit) [[ -n "${2:-}" ]] || usage; dasaudit_bin=$(realpath -m "$2"); shift 2 ;;
    --quick) packets=200000 full_packets=100000 slice=50000 runs=1 matrix_runs=1; shift ;;
    --no-nice) nice=(); shift ;;
    -h | --help) usage 0 ;;
    *) say "unknown argument: $1"; usage ;;
    esac
done
((packets > 1 && runs > 0 && slice > 0)) || { say "--packets, --runs and --slice must be > 0"; usage; }
((full_packets > 0)) || with_full=0

cd "$BENCH_ROOT"
mkdir -p "$BENCH_OUT"
bench_ensure_deps
if ((with_ndpi)) && ! command -v ndpiReader >/dev/null 2>&1; then
    # Debian and Ubuntu ship ndpiReader in libndpi-bin (there is no ndpi-tools package).
    say "installing: libndpi-bin (ndpiReader)"
    apt-get install -y libndpi-bin >&2 2>/dev/null || { apt-get update >&2 && apt-get install -y libndpi-bin >&2; } || true
fi

# ---- builds -----------------------------------------------------------------------
dasaudit_status=ok
if ((build)); then
    for product in dasaudit dasaudit-bench dasaudit-gen; do
        [[ $product == dasaudit && -n $dasaudit_bin ]] && continue
        say "swift build -c release --product $product (log: bench-out/swift-build.log)"
        swift build -c release --product "$product" >>"$BENCH_OUT/swift-build.log" 2>&1 ||
            { [[ $product == dasaudit ]] && dasaudit_status="not built (see bench-out/swift-build.log)"; }
    done
fi
dasaudit_bin=${dasaudit_bin:-"$BENCH_ROOT/.build/release/dasaudit"}
bench_bin="$(dirname "$dasaudit_bin")/dasaudit-bench"
[[ $dasaudit_status != ok || -x "$dasaudit_bin" ]] || dasaudit_status="not built (no ${dasaudit_bin#"$BENCH_ROOT"/})"
[[ $dasaudit_status == ok ]] || die "dasaudit: $dasaudit_status"
floor_bin=$(bench_compile floor)
# variant DIR FLAG WHAT: a build of dasaudit with -DFLAG, the matrix's price of what the
# flag compiles out, in a scratch path of its own (.build/DIR: a first build there compiles
# everything, dependencies too, several minutes); built unless --no-build or --dasaudit.
# Sets VARIANT_BIN; fails, saying so, when there is no such build.
variant() {
    VARIANT_BIN="$BENCH_ROOT/.build/$1/release/dasaudit"
    if ((with_matrix && build)) && [[ $dasaudit_bin == "$BENCH_ROOT/.build/release/dasaudit" ]]; then
        say "swift build -c release --product dasaudit -D$2 (log: bench-out/swift-build.log)"
        swift build -c release --product dasaudit --scratch-path "$BENCH_ROOT/.build/$1" -Xswiftc "-D$2" \
            >>"$BENCH_OUT/swift-build.log" 2>&1 || die "the build $3 failed (see bench-out/swift-build.log)"
    fi
    [[ -x $VARIANT_BIN ]] && return 0
    say "no build $3 ($VARIANT_BIN): its column is left empty"
    return 1
}
unstaged_bin="" untracked_bin=""
if ((price_protocols)); then
    if variant without-protocol-stage DASAUDIT_WITHOUT_PROTOCOL_STAGE "without the protocol stage"; then
        unstaged_bin=$VARIANT_BIN
    else
        price_protocols=0
    fi
fi
if ((price_tracking)); then
    if variant without-tracking DASAUDIT_WITHOUT_TRACKING "without the tracking"; then
        untracked_bin=$VARIANT_BIN
    else
        price_tracking=0
    fi
fi

# ---- timing -----------------------------------------------------------------------
# time_once NAME CMD...: runs CMD with stdout/stderr in bench-out/NAME.{stdout,stderr};
# sets T_SEC (wall clock), T_KB (peak RSS, GNU time %M), T_CPU (user + system CPU seconds,
# GNU time %U and %S, all threads), T_RC.
time_once() {
    local name=$1; shift
    local tf="$BENCH_OUT/$name.time" t0 t1
    t0=$EPOCHREALTIME
    set +e
    "${nice[@]}" /usr/bin/time -f '%e %M %U %S' -o "$tf" -- "$@" >"$BENCH_OUT/$name.stdout" 2>"$BENCH_OUT/$name.stderr"
    T_RC=$?
    set -e
    t1=$EPOCHREALTIME
    T_SEC=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
    T_KB=$(tail -n 1 "$tf" | awk '{ print $2 + 0 }')
    T_CPU=$(tail -n 1 "$tf" | awk '{ printf "%.2f", $3 + $4 }')
}

# best NAME RUNS OKCODES CMD...: the best of RUNS runs; sets B_SEC, B_KB (largest), B_OK,
# and B_ALL (every run's seconds).
best() {
    local name=$1 n=$2 ok=$3 r; shift 3
    B_SEC="" B_KB=0 B_OK=1 B_ALL=""
    for ((r = 1; r <= n; r++)); do
        once "$name" "$ok" "$@" || return 0
        say "  $name run $r/$n: $T_SEC s, $T_KB KB"
    done
}

# once NAME OKCODES CMD...: one more run towards best's figures; fails if CMD did.
once() {
    local name=$1 ok=$2; shift 2
    time_once "$name" "$@"
    if [[ " $ok " != *" $T_RC "* ]]; then
        B_OK=0
        say "$name: failed (exit $T_RC, see bench-out/$name.stderr)"
        return 1
    fi
    if [[ -z $B_SEC ]] || awk -v a="$T_SEC" -v b="$B_SEC" 'BEGIN { exit !(a < b) }'; then B_SEC=$T_SEC; fi
    ((T_KB > B_KB)) && B_KB=$T_KB
    B_ALL="$B_ALL $T_SEC"
}

# median SECONDS...: the median.
median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.4f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# row LABEL PACKETS SECONDS KB FLOOR_MPPS
row() {
    awk -v l="$1" -v n="$2" -v s="$3" -v k="$4" -v f="$5" 'BEGIN {
        m = n / s / 1e6
        printf "| %s | %d | %.3f | %.2f | %.1f | %.2f |\n", l, n, s, m, k / 1024, f / m }'
}

das_opts=(--offset 2 --mode cluster --cores 2 --format json --output /dev/null)

cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "no commit")
if [[ $commit != "no commit" ]] && [[ -n "$(git status --porcelain -- Sources Package.swift 2>/dev/null)" ]]; then
    commit="$commit + uncommitted changes"
fi
echo "### Benchmark"
echo
echo "- machine: $(nproc) cores, $cpu; $(awk '/MemTotal/ { printf "%.0f GB RAM", $2 / 1048576 }' /proc/meminfo); $(uname -sr); libpcap $(pkg-config --modversion libpcap 2>/dev/null || echo '?'); $(cc --version | head -n 1); $(swift --version 2>/dev/null | head -n 1 || echo 'swift ?')"
echo "- $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit; load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)${nice[*]:+; timed commands run under \`${nice[*]}\`}"
echo "- captures: \`dasaudit-gen\` (Sources/TrafficGenerator; deterministic, offset 2; scripts/bench/make-capture.sh caches them), timed from a copy in tmpfs when there is room, else from the page cache"
echo "- wall clock, best of $runs for the floor and dasaudit, which take turns (tshark and ndpiReader: one run); peak RSS: GNU time %M, largest over the runs; × floor: the floor's packets per second over the tool's"
echo "- dasaudit: \`${dasaudit_bin#"$BENCH_ROOT"/} audit CAPTURE --offset 2 --mode cluster --cores 2 --format json --output /dev/null\` (exit 1, findings, counts as success)"

# bench_capture TITLE CAPTURE PACKETS SNAPLEN: one table.
bench_capture() {
    local title=$1 capture n=$3 snap=$4 floor_sec floor_kb floor_mpps floor_line
    capture=$(in_memory "$2")
    say "== $title: $capture"
    # The floor and dasaudit take turns, so that both see the same moments of a shared
    # machine (this VM's timings drift by 10% over minutes).
    local r f_sec="" f_kb=0 f_all="" d_sec="" d_kb=0 d_all="" d_ok=1
    for ((r = 1; r <= runs; r++)); do
        B_SEC=$f_sec B_KB=$f_kb B_ALL=$f_all B_OK=1
        once floor "0" "$floor_bin" "$capture" || die "floor failed"
        f_sec=$B_SEC f_kb=$B_KB f_all=$B_ALL
        say "  floor run $r/$runs: $T_SEC s, $T_KB KB"
        B_SEC=$d_sec B_KB=$d_kb B_ALL=$d_all B_OK=1
        if ((d_ok)) && once dasaudit "0 1" "$dasaudit_bin" audit "$capture" "${das_opts[@]}"; then
            d_sec=$B_SEC d_kb=$B_KB d_all=$B_ALL
            say "  dasaudit run $r/$runs: $T_SEC s, $T_KB KB"
        else
            d_ok=0
        fi
    done
    floor_sec=$f_sec floor_kb=$f_kb
    floor_line=$(cat "$BENCH_OUT/floor.stdout")
    [[ $floor_line == *"packets=$n "* ]] || die "floor read an unexpected number of packets: $floor_line"
    floor_mpps=$(awk -v n="$n" -v s="$floor_sec" 'BEGIN { printf "%.6f", n / s / 1e6 }')
    echo
    echo "#### $title"
    echo
    echo "\`${2#"$BENCH_ROOT"/}\`: $n packets, $(awk -v b="$(stat -c %s "$capture")" 'BEGIN { printf "%.0f MB", b / 1e6 }'), sha256 $(sha256sum "$capture" | cut -c1-16)…; floor: \`$floor_line\`"
    echo
    echo "| tool | packets | seconds | Mpps | peak RSS MB | × floor |"
    echo "|---|---:|---:|---:|---:|---:|"
    row "floor (C, libpcap pcap_next_ex, cc -O2)" "$n" "$floor_sec" "$floor_kb" "$floor_mpps"
    # What a reader that does not copy each packet needs (floor.c --in-place), as dasaudit
    # reads plain pcap files: the ratio to it says how far the rest of the audit is.
    best floor-in-place "$runs" "0" "$floor_bin" --in-place "$capture"
    ((B_OK)) && row "floor, records read in place (C, 1 MiB freads, cc -O2)" "$n" "$B_SEC" "$B_KB" "$floor_mpps"
    local in_place_sec=$B_SEC
    local das_sec=$d_sec
    if ((d_ok)); then row "dasaudit audit" "$n" "$d_sec" "$d_kb" "$floor_mpps"; else echo "| dasaudit audit | $n | failed | | | |"; fi
    if ((n > 2000000)); then
        local prefix
        prefix=$("$BENCH_DIR/make-capture.sh" "$BENCH_OUT/cluster-prefix.pcap" 2000000 "$snap" --preset cluster)
        cat "$prefix" >/dev/null
        best dasaudit-2m "$runs" "0 1" "$dasaudit_bin" audit "$prefix" "${das_opts[@]}"
        ((B_OK)) && row "dasaudit audit, first 2000000 packets (memory vs packets)" 2000000 "$B_SEC" "$B_KB" "$floor_mpps"
    fi
    if ((with_tshark)); then
        local cut=$((slice < n ? slice : n)) s
        s=$("$BENCH_DIR/make-capture.sh" "$BENCH_OUT/cluster-slice.pcap" "$cut" "$snap" --preset cluster)
        cat "$s" >/dev/null
        best tshark 1 "0" tshark -q -z conv,tcp -r "$s"
        ((B_OK)) && row "tshark -q -z conv,tcp (first $cut packets)" "$cut" "$B_SEC" "$B_KB" "$floor_mpps"
    fi
    if ((with_ndpi)); then
        if command -v ndpiReader >/dev/null 2>&1; then
            best ndpi 1 "0" ndpiReader -q -i "$capture"
            ((B_OK)) && row "ndpiReader -q ($(ndpiReader -h 2>&1 | sed -n 's/.*nDPI \([0-9.]*\).*/nDPI \1/p' | head -n 1))" "$n" "$B_SEC" "$B_KB" "$floor_mpps"
        else
            echo "| ndpiReader | $n | not installable (apt-get install libndpi-bin failed) | | | |"
        fi
    fi
    echo
    out_of_memory
    ((d_ok)) || return 0
    # shellcheck disable=SC2086 # the lists of seconds split on purpose
    awk -v d="$das_sec" -v f="$floor_sec" -v p="${in_place_sec:-0}" -v dm="$(median $d_all)" -v fm="$(median $f_all)" -v n="$n" -v runs="$runs" \
        -v dl="$d_all" -v fl="$f_all" 'BEGIN {
        r = d / f
        printf "dasaudit / floor: **%.2fx** best of %d, %.2fx median (budget: at most 1.5x on 10000000 packets)%s\n", r, runs, dm / fm,
            n == 10000000 ? (r <= 1.5 ? ": within budget" : ": OVER BUDGET") : ""
        if (p > 0) printf "\ndasaudit / the floor reading in place: %.2fx best of %d\n", d / p, runs
        printf "\nEvery run, in turn (seconds): floor%s; dasaudit%s.\n", fl, dl }'
}

# in_memory CAPTURE: prints the path to time CAPTURE at: a copy in tmpfs ($BENCH_RAM,
# default /dev/shm) when it has room for two, since this VM's proactive reclaim (DAMON)
# drops captures from the page cache between runs and the floor then measures the disk;
# else CAPTURE itself, read once into the page cache. out_of_memory removes the copy.
bench_ram="$BENCH_RAM/dasaudit-bench-$$"
trap 'rm -rf "$bench_ram"' EXIT
in_memory() {
    local available
    available=$(df --output=avail -k "$BENCH_RAM" 2>/dev/null | tail -n 1 || echo 0)
    if ((available > 2 * $(stat -c %s "$1") / 1024)); then
        mkdir -p "$bench_ram"
        cp "$1" "$bench_ram/$(basename "$1")"
        printf '%s\n' "$bench_ram/$(basename "$1")"
    else
        cat "$1" >/dev/null
        printf '%s\n' "$1"
    fi
}
out_of_memory() { rm -rf "$bench_ram"; }

# ---- the matrix of traffic shapes -------------------------------------------------
# shape_capture NAME: the capture of shape NAME (--packets packets at --snaplen); prints its path.
shape_capture() {
    case $1 in
    cluster | concurrent | short | services)
        "$BENCH_DIR/make-capture.sh" "$BENCH_OUT/shape-$1.pcap" "$packets" "$snaplen" --preset "$1" ;;
    nmap)
        local scan="$BENCH_ROOT/captures/scan-syn-connect-lo.pcap"
        [[ -r $scan ]] || die "$scan is missing"
        "$BENCH_DIR/make-capture.sh" "$BENCH_OUT/shape-nmap.pcap" "$packets" "$snaplen" --repeat "$scan" ;;
    copies)
        # At the recording's 128 bytes: at 96 an SLL2 header, IPv6 and a SYN's options
        # (100 bytes) would be cut, and the shape would be about truncation instead.
        local any="$BENCH_ROOT/captures/copies-any-sll2.pcap"
        [[ -r $any ]] || die "$any is missing"
        "$BENCH_DIR/make-capture.sh" "$BENCH_OUT/shape-copies.pcap" "$packets" 128 --repeat "$any" ;;
    vxlan)
        # At 160 bytes: VXLAN's outer headers (50 over IPv4, 70 over IPv6), then the inner
        # Ethernet, IP and TCP headers with timestamps fit; at 96 no inner TCP header would.
        local underlay="$BENCH_ROOT/captures/tunnel-vxlan-underlay.pcap"
        [[ -r $underlay ]] || die "$underlay is missing"
        "$BENCH_DIR/make-capture.sh" "$BENCH_OUT/shape-vxlan.pcap" "$packets" 160 --repeat "$underlay" ;;
    nat)
        # At the recording's 128 bytes, as copies.
        local nat="$BENCH_ROOT/captures/nat-any-sll2.pcap"
        [[ -r $nat ]] || die "$nat is missing"
        "$BENCH_DIR/make-capture.sh" "$BENCH_OUT/shape-nat.pcap" "$packets" 128 --repeat "$nat" ;;
    wild)
        # nDPI's test captures, recorded by others, one after another (make-wild-source.sh).
        local source="$BENCH_OUT/wild-source.pcap"
        [[ -s $source ]] || "$BENCH_DIR/make-wild-source.sh" "$source" >/dev/null
        "$BENCH_DIR/make-capture.sh" "$BENCH_OUT/shape-wild.pcap" "$packets" "$snaplen" --repeat "$source" ;;
    *) die "--shapes: no shape '$1' (cluster, concurrent, short, services, nmap, copies, vxlan, nat, wild)" ;;
    esac
}

# shape_what NAME: one line saying what the shape is.
shape_what() {
    case $1 in
    cluster) echo "low-concurrency cluster: 256 connections in flight, 51 services on 17 hosts (3 unexpected), 28 packets each, some refused, unanswered, reset, left open" ;;
    concurrent) echo "50,000 concurrent interleaved connections of 20 packets to 7,000 services on 128 hosts (half unexpected)" ;;
    short) echo "2.5 M short connections (4 packets: SYN, SYN-ACK, request+FIN, answer+FIN) to 1,000 services on 32 hosts (half unexpected)" ;;
    services) echo "port-scan-like: 1 M connections of 10 packets to 40,000 services on 64 hosts (95% unexpected)" ;;
    nmap) echo "a real nmap SYN and connect scan (captures/scan-syn-connect-lo.pcap, 10,006 packets) repeated, each copy from a new scanner address" ;;
    copies) echo "real HTTP through a bridge and a router recorded with tcpdump -i any (captures/copies-any-sll2.pcap, 686 packets, 398 of them copies on another interface) repeated at snaplen 128, each repetition from new client addresses" ;;
    nat) echo "real HTTP through a host that translates addresses (published ports, a Service, masquerade) recorded with tcpdump -i any (captures/nat-any-sll2.pcap, 783 packets: 295 copies, and 14 of its 30 connections seen before and after translation) repeated at snaplen 128, each repetition from new client addresses" ;;
    wild) echo "traffic nobody shaped for dasaudit: nDPI's 186 Ethernet test captures of real networks (web, mobile apps, VPNs, games, IoT, attacks; TCP, UDP, IPv6, VLANs) one after another, repeated, each repetition from new client addresses" ;;
    vxlan) echo "real HTTP between two nodes over VXLAN recorded on the underlay (captures/tunnel-vxlan-underlay.pcap, 745 packets, every TCP segment inside UDP 4789 or 8472) repeated at snaplen 160, each repetition later in time (the repeater rewrites no address inside a tunnel)" ;;
    esac
}

# variant_once NAME BIN WHAT SEC ALL: one more run of a variant build (`variant`) on the
# capture of the shape `matrix_shape` is timing (its `capture`, `name` and `r`), towards the
# best in the variables named SEC and ALL.
variant_once() {
    local -n sec=$4 all=$5
    B_SEC=$sec B_KB=0 B_ALL=$all B_OK=1
    once "$1" "0 1" "$2" audit "$capture" --offset 2 --mode cluster --cores 2 --format json ||
        die "the build $3 failed on $name (see bench-out/$1.stderr)"
    sec=$B_SEC all=$B_ALL
    say "  dasaudit $3, run $r/$matrix_runs: $T_SEC s"
}

# matrix_shape NAME: times the floor and dasaudit on the shape's capture, in turn; prints a row.
matrix_shape() {
    local name=$1 capture r f_sec="" f_all="" d_sec="" d_kb=0 d_all="" d_cpu="" u_sec="" u_all="" h_sec="" ok=1
    local n_sec="" n_all=""
    capture=$(in_memory "$(shape_capture "$name")")
    say "== shape $name: $capture"
    for ((r = 1; r <= matrix_runs; r++)); do
        B_SEC=$f_sec B_KB=0 B_ALL=$f_all B_OK=1
        once floor "0" "$floor_bin" "$capture" || die "floor failed"
        f_sec=$B_SEC f_all=$B_ALL
        say "  floor run $r/$matrix_runs: $T_SEC s"
        B_SEC=$d_sec B_KB=$d_kb B_ALL=$d_all B_OK=1
        # The JSON on standard output, as `dasaudit audit FILE --format json` writes it (time_once
        # sends it to a file; --output would add the fsync of a safe write to the output's time).
        if once dasaudit "0 1" "$dasaudit_bin" audit "$capture" --offset 2 --mode cluster --cores 2 --format json --timings; then
            if [[ $B_SEC == "$T_SEC" ]]; then
                d_cpu=$T_CPU
                cp "$BENCH_OUT/dasaudit.stderr" "$BENCH_OUT/shape-$name.timings"
                mv -f "$BENCH_OUT/dasaudit.stdout" "$BENCH_OUT/shape-$name.json"
            fi
            d_sec=$B_SEC d_kb=$B_KB d_all=$B_ALL
            say "  dasaudit run $r/$matrix_runs: $T_SEC s, $T_KB KB, $T_CPU s of CPU"
        else
            ok=0
            break
        fi
        ((price_protocols)) && variant_once unstaged "$unstaged_bin" "without the protocol stage" u_sec u_all
        ((price_tracking)) && variant_once untracked "$untracked_bin" "without the tracking" n_sec n_all
    done
    # The SHA-256 of the capture's bytes at the rate measured in memory (`sha256_rate`):
    # the hashing alone, without the reading that other threads overlap with it.
    [[ -n $sha256_rate ]] && h_sec=$(awk -v b="$(stat -c %s "$capture")" -v r="$sha256_rate" 'BEGIN { printf "%.3f", b / r }')
    out_of_memory
    local floor_line counts split tracking_cpu
    floor_line=$(cat "$BENCH_OUT/floor.stdout")
    [[ $floor_line == *"packets=$packets "* ]] || die "floor read an unexpected number of packets: $floor_line"
    if ((!ok)); then
        echo "| $name | $(shape_what "$name") | | | | $f_sec | failed (bench-out/dasaudit.stderr) | | | | | | | | | | | | | | |"
        return 0
    fi
    counts=$(python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(r["coverage"]["connections"], len(r["services"]), len(r["findings"]))' "$BENCH_OUT/shape-$name.json")
    # "timings: packet loop 1.234 s, end stage 0.012 s, evidence hash 0.000 s, output 0.051 s, total 1.297 s"
    split=$(grep '^timings:' "$BENCH_OUT/shape-$name.timings" | tail -n 1 | sed 's/[^0-9. ]//g' | awk '{ print $1, $2, $3, $4 }')
    # "cpu: tracking thread 0.850 s, evidence hash 0.472 s, all threads 1.684 s" (no tracking
    # thread when the reading thread tracked its own connections)
    tracking_cpu=$(grep '^cpu:' "$BENCH_OUT/shape-$name.timings" | tail -n 1 | sed -n 's/.*tracking thread \([0-9.]*\) s.*/\1/p')
    # shellcheck disable=SC2086 # the lists split on purpose
    awk -v n="$name" -v w="$(shape_what "$name")" -v f="$f_sec" -v d="$d_sec" -v k="$d_kb" -v c="$counts" -v t="$split" \
        -v fm="$(median $f_all)" -v dm="$(median $d_all)" -v u="$u_sec" -v cpu="$d_cpu" -v cores="$(nproc)" -v h="$h_sec" \
        -v un="$n_sec" -v tc="$tracking_cpu" 'BEGIN {
        split(c, cs, " "); split(t, ts, " ")
        unstaged = u == "" ? "-" : sprintf("%.3f", u)
        stage = u == "" ? "-" : sprintf("%+.3f s, %+.2fx", d - u, (d - u) / f)
        hashed = h == "" ? "-" : sprintf("%.3f s, %.2fx", h, h / f)
        untracked = un == "" ? "-" : sprintf("%.3f s, %.2fx", un, un / f)
        tracking = tc == "" ? "-" : sprintf("%.2f", tc)
        bound = cpu / (cores * f)
        if (h != "" && h / f > bound) bound = h / f
        printf "| %s | %s | %d | %d | %d | %.3f | %.3f | **%.2fx** (%.2fx) | %.2f | %.2fx | %s | %.2fx | %.1f | %.2f | %.2f | %.2f | %.2f | %s | %s | %s | %s |\n",
            n, w, cs[1], cs[2], cs[3], f, d, d / f, dm / fm, cpu, cpu / (cores * f), hashed, bound, k / 1024, ts[1], ts[2], ts[3], ts[4], tracking, unstaged, stage, untracked }'
    MATRIX_RUNS="$MATRIX_RUNS"$'\n'"- $name: floor$f_all; dasaudit$d_all${u_all:+; without the protocol stage$u_all}${n_all:+; without the tracking$n_all}"
}

if ((with_matrix)); then
    MATRIX_RUNS=""
    # SHA-256's rate on this machine, best of three 1 s runs of 1 MiB blocks (bytes/s).
    sha256_rate=""
    if command -v openssl >/dev/null; then
        sha256_rate=$(for _ in 1 2 3; do openssl speed -evp sha256 -bytes 1048576 -seconds 1 2>/dev/null | tail -n 1; done |
            awk '$1 == "sha256" { v = $NF; sub(/k$/, "", v); if (v * 1000 > best) best = v * 1000 } END { if (best > 0) printf "%.0f", best }')
    fi
    echo
    echo "#### The traffic shapes: $packets packets each, snaplen $snaplen"
    echo
    echo "\`dasaudit audit CAPTURE --offset 2 --mode cluster --cores 2 --format json --timings > FILE\` against the floor, in turn, best of $matrix_runs (median against median in brackets); the split is that of dasaudit's best run, from \`--timings\` (seconds), with the CPU time of its tracking thread (when the packet loop's time is about that, the tracking set it); CPU s is that run's user and system time over all its threads, and CPU ÷ (cores × floor) the ratio no schedule on $(nproc) cores can beat with that much work; SHA-256 alone is the capture's size over the rate of \`openssl speed -evp sha256\` on 1 MiB blocks in memory (${sha256_rate:-not measured} bytes/s, the same SHA extensions as dasaudit's evidence hash), one chain no schedule can split between cores, and the bound the larger of the two ratios: the least this machine can give while the audit hashes its input; the protocol stage's cost is dasaudit's best less the best of the build without it, in seconds and in floors; without the tracking (\`--price-tracking\`) is the best of a build whose tracking thread hands each batch back untracked: reading, decoding, the hand-over and the evidence hash alone."
    echo
    echo "| shape | what | connections | services | findings | floor s | dasaudit s | × floor | CPU s | CPU ÷ (cores × floor) | SHA-256 alone: s, × floor | bound × floor | peak RSS MB | packet loop | end stage | evidence hash | output | tracking thread CPU s | without the protocol stage s | the stage: s, × floor | without the tracking: s, × floor |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    IFS=, read -r -a shape_list <<<"$shapes"
    for shape in "${shape_list[@]}"; do matrix_shape "$shape"; done
    echo
    echo "Every run, in turn (seconds):$MATRIX_RUNS"
    echo
fi

# ---- every report format's rate -----------------------------------------------------
# On the services shape, whose reports are the largest (40,000 services and findings):
# `audit CAPTURE --format F --timings > FILE` for each format, in turn, best of
# --matrix-runs; the output stage's seconds from --timings, the report's bytes, MB/s, the
# rate against JSON's in the same run, and the peak RSS against JSON's (a report written
# as it is produced adds no memory).
if ((with_formats)); then
    capture=$(in_memory "$(shape_capture services)")
    say "== report formats on the services shape: $capture"
    declare -A out_sec=() out_kb=() out_bytes=()
    formats=(json html markdown junit csv text)
    for ((r = 1; r <= matrix_runs; r++)); do
        for format in "${formats[@]}"; do
            time_once "format-$format" "$dasaudit_bin" audit "$capture" --offset 2 --mode cluster --cores 2 --format "$format" --timings
            [[ $T_RC == 0 || $T_RC == 1 ]] || die "dasaudit --format $format failed (exit $T_RC, see bench-out/format-$format.stderr)"
            # "timings: packet loop 1.234 s, end stage 0.012 s, evidence hash 0.000 s, output 0.051 s, total 1.297 s"
            seconds=$(sed -n 's/^timings:.* output \([0-9.]*\) s.*/\1/p' "$BENCH_OUT/format-$format.stderr" | tail -n 1)
            [[ -n $seconds ]] || die "no --timings line from dasaudit --format $format"
            if [[ -z ${out_sec[$format]:-} ]] || awk -v a="$seconds" -v b="${out_sec[$format]}" 'BEGIN { exit !(a < b) }'; then
                out_sec[$format]=$seconds
            fi
            ((T_KB > ${out_kb[$format]:-0})) && out_kb[$format]=$T_KB
            out_bytes[$format]=$(stat -c %s "$BENCH_OUT/format-$format.stdout")
            say "  --format $format run $r/$matrix_runs: output $seconds s, ${out_bytes[$format]} bytes, $T_KB KB"
        done
    done
    out_of_memory
    echo
    echo "#### Report formats: the services shape"
    echo
    echo "\`dasaudit audit CAPTURE --offset 2 --mode cluster --cores 2 --format F --timings > FILE\` for each format in turn, best of $matrix_runs: the output stage's time from \`--timings\`, the report's size and rate, the rate against JSON's in this run, and the peak RSS against JSON's run (a report written as it is produced adds none)."
    echo
    echo "| format | bytes | output s | MB/s | rate ÷ JSON's | peak RSS MB | RSS ÷ JSON's |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    for format in "${formats[@]}"; do
        awk -v f="$format" -v b="${out_bytes[$format]}" -v s="${out_sec[$format]}" -v k="${out_kb[$format]}" \
            -v jb="${out_bytes[json]}" -v js="${out_sec[json]}" -v jk="${out_kb[json]}" 'BEGIN {
            rate = s > 0 ? b / s / 1e6 : 0; json = js > 0 ? jb / js / 1e6 : 0
            # The terminal summary is bounded (its tables capped): a rate of its few kB says nothing.
            if (b < 1e6) { printf "| %s | %d | %.3f | - | - | %.1f | %.2f |\n", f, b, s, k / 1024, k / jk; exit }
            printf "| %s | %d | %.3f | %.0f | %.2f | %.1f | %.2f |\n", f, b, s, rate, (json > 0 ? rate / json : 0), k / 1024, k / jk }'
    done
    echo
    rm -f "$BENCH_OUT"/format-*.stdout
fi

# ---- the cluster shape against tshark and ndpiReader ---------------------------------
truncated=$("$BENCH_DIR/make-capture.sh" "$BENCH_OUT/cluster-truncated.pcap" "$packets" "$snaplen" --preset cluster)
bench_capture "$packets packets, snaplen $snaplen" "$truncated" "$packets" "$snaplen"
if ((with_full)); then
    full=$("$BENCH_DIR/make-capture.sh" "$BENCH_OUT/cluster-full.pcap" "$full_packets" 0 --preset cluster)
    bench_capture "$full_packets packets, whole packets" "$full" "$full_packets" 0
fi

# ---- several inputs at once -------------------------------------------------------
if ((with_parallel)); then
    half=$((packets / 2))
    a=$("$BENCH_DIR/make-capture.sh" "$BENCH_OUT/cluster-a.pcap" "$half" "$snaplen" --preset cluster --seed 11)
    b=$("$BENCH_DIR/make-capture.sh" "$BENCH_OUT/cluster-b.pcap" "$half" "$snaplen" --preset cluster --seed 12 --start 1767230000)
    cat "$a" "$b" >/dev/null
    say "== two inputs"
    # Sequential: one thread (reading, tracking and hashing one input after the other),
    # pinned to one core so that nothing of it runs on the other.
    best seq "$runs" "0 1" taskset -c 0 "$dasaudit_bin" audit "$a" "$b" --threads 1 "${das_opts[@]}"
    seq_sec=$B_SEC
    best par "$runs" "0 1" "$dasaudit_bin" audit "$a" "$b" "${das_opts[@]}"
    par_sec=$B_SEC
    # For comparison: one audit per input, one after the other, each using every core
    # (one input already keeps both cores busy: reading, tracking, hashing).
    best apart "$runs" "0 1" bash -c '"$0" audit "$1" "${@:3}"; x=$?; "$0" audit "$2" "${@:3}"; y=$?; ((x <= 1 && y <= 1))' \
        "$dasaudit_bin" "$a" "$b" "${das_opts[@]}"
    apart_sec=$B_SEC
    echo
    echo "#### Two inputs of $half packets each (snaplen $snaplen), one \`dasaudit audit A B\`"
    echo
    echo "| threads | seconds | × sequential |"
    echo "|---|---:|---:|"
    echo "| 1 (\`taskset -c 0 dasaudit audit --threads 1\`: one after the other, on one core) | $seq_sec | 1.00 |"
    awk -v p="$par_sec" -v s="$seq_sec" -v c="$(nproc)" 'BEGIN { printf "| %d (default: every core) | %.4f | **%.2f** |\n", c, p, p / s }'
    awk -v p="$apart_sec" -v s="$seq_sec" -v c="$(nproc)" 'BEGIN { printf "| %d, one `dasaudit audit` per input, one after the other | %.4f | %.2f |\n", c, p, p / s }'
    echo
    echo "Target: at most 0.6x the sequential time on two cores. The first two runs do the same work, the evidence hash of both inputs included; the parallel one reads each input on its own core and hashes it there, level with the reading. The last row is what two inputs cost without \`dasaudit audit A B\`: a single input already uses both cores (one reads, the other tracks part of the connections and hashes), so reading two at once gains less against it."
fi

# ---- allocations ------------------------------------------------------------------
if [[ -x "$bench_bin" ]]; then
    say "== allocations: dasaudit-bench"
    "${nice[@]}" "$bench_bin" "$truncated" --runs 2 --threads 1 >"$BENCH_OUT/dasaudit-bench.stdout" 2>"$BENCH_OUT/dasaudit-bench.stderr" ||
        die "dasaudit-bench failed: $(head -c 500 "$BENCH_OUT/dasaudit-bench.stderr")"
    echo
    echo "#### The packet loop's heap allocations (\`${bench_bin#"$BENCH_ROOT"/}\`, Benchmarks/HotLoop)"
    echo
    echo '```'
    cat "$BENCH_OUT/dasaudit-bench.stdout"
    echo '```'
    echo
    echo "\"allocations\": mallocs (and calloc, realloc, aligned allocations) made while reading, table growth and the evicted statistics included; \"steady-per-packet\": those made between 10% of the packets and the end, per packet."
fi
