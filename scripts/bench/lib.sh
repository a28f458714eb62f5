# Shared helpers for scripts/bench.sh and scripts/bench/make-capture.sh.
# Sourced, not run. Progress and errors go to stderr; stdout is left to the caller.

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_DIR="$BENCH_ROOT/scripts/bench"
BENCH_OUT="$BENCH_ROOT/bench-out"
# Generated captures are cached here (BENCH_CACHE: one cache for several checkouts).
BENCH_CACHE=${BENCH_CACHE:-$BENCH_OUT/captures}

say() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The real capture the big one is built from: the repository's copy, else the shared one.
bench_source_capture() {
    local c
    for c in "${BENCH_SOURCE_CAPTURE:-}" \
             "$BENCH_ROOT/captures/spark-cluster-offset2-lo.pcap" \
             /work/shared/captures/spark-cluster-offset2-lo.pcap; do
        if [[ -n "$c" && -r "$c" ]]; then
            printf '%s\n' "$c"
            return 0
        fi
    done
    die "spark-cluster-offset2-lo.pcap not found (looked in $BENCH_ROOT/captures and /work/shared/captures; or set BENCH_SOURCE_CAPTURE)"
}

# Installs what the benchmark needs with apt-get when it is missing:
# libpcap-dev (pcap.h, libpcap.so), time (/usr/bin/time), tshark and
# wireshark-common (capinfos, editcap), and a C compiler.
bench_ensure_deps() {
    local pkgs=()
    [[ -r /usr/include/pcap/pcap.h ]] || pkg-config --exists libpcap 2>/dev/null || pkgs+=(libpcap-dev)
    [[ -x /usr/bin/time ]] || pkgs+=(time)
    command -v tshark >/dev/null 2>&1 || pkgs+=(tshark)
    command -v capinfos >/dev/null 2>&1 || pkgs+=(wireshark-common)
    command -v cc >/dev/null 2>&1 || pkgs+=(gcc libc6-dev)
    command -v sha256sum >/dev/null 2>&1 || pkgs+=(coreutils)
    ((${#pkgs[@]} == 0)) && return 0
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || die "missing packages: ${pkgs[*]} (not root and no sudo)"
        sudo=(sudo)
    fi
    say "installing: ${pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get install -y "${pkgs[@]}" >&2 ||
        { "${sudo[@]}" apt-get update >&2 && "${sudo[@]}" apt-get install -y "${pkgs[@]}" >&2; } ||
        die "apt-get install ${pkgs[*]} failed"
}

# bench_generator: the release build of the capture generator (dasaudit-gen, Sources/
# TrafficGenerator), built when missing or older than its sources; prints its path.
bench_generator() {
    local bin="$BENCH_ROOT/.build/release/dasaudit-gen" newer
    newer=$(find "$BENCH_ROOT/Sources/TrafficGenerator" "$BENCH_ROOT/Sources/dasaudit-gen" \
        "$BENCH_ROOT/Sources/PcapKit" -name '*.swift' -newer "$bin" 2>/dev/null | head -n 1)
    if [[ ! -x "$bin" || -n "$newer" ]]; then
        say "swift build -c release --product dasaudit-gen (log: bench-out/swift-build.log)"
        mkdir -p "$BENCH_OUT"
        (cd "$BENCH_ROOT" && swift build -c release --product dasaudit-gen >>"$BENCH_OUT/swift-build.log" 2>&1) ||
            die "dasaudit-gen did not build (see bench-out/swift-build.log)"
    fi
    printf '%s\n' "$bin"
}

# bench_generator_sha: a hash of the generator's sources, part of every cached capture's name.
bench_generator_sha() {
    (cd "$BENCH_ROOT" && cat Sources/TrafficGenerator/*.swift Sources/dasaudit-gen/*.swift Sources/PcapKit/CaptureWriter.swift) |
        sha256sum | cut -c1-8
}

# bench_compile NAME: compiles scripts/bench/NAME.c into bench-out/bin/NAME
# (cc -O2, linked with libpcap) unless the binary is newer than the source.
bench_compile() {
    local name=$1 src="$BENCH_DIR/$1.c" bin="$BENCH_OUT/bin/$1"
    mkdir -p "$BENCH_OUT/bin"
    if [[ ! -x "$bin" || "$src" -nt "$bin" ]]; then
        local libs
        libs=$(pkg-config --libs libpcap 2>/dev/null || echo -lpcap)
        # shellcheck disable=SC2086
        cc -O2 -Wall -o "$bin.tmp.$$" "$src" $libs || die "cc failed for $src"
        mv -f "$bin.tmp.$$" "$bin"
    fi
    printf '%s\n' "$bin"
}


# bench_cached_capture CACHE OUT DESCRIPTION COMMAND...: when CACHE is missing, runs
# COMMAND with the path to write appended, timing it, and moves the file into CACHE only
# once it is whole; then makes OUT the same file (hard link, else copy) and prints OUT.
bench_cached_capture() {
    local cache=$1 out=$2 what=$3
    shift 3
    if [[ -s "$cache" ]]; then
        say "capture: cached $cache"
    else
        say "capture: generating $what"
        local tmp="$cache.tmp.$$" t0 t1
        trap 'rm -f "'"$tmp"'"' EXIT
        t0=$EPOCHREALTIME
        "$@" "$tmp"
        t1=$EPOCHREALTIME
        mv -f "$tmp" "$cache"
        trap - EXIT
        say "capture: $(du -h "$cache" | cut -f1) in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s -> $cache"
    fi
    if [[ "$(realpath -m "$out")" != "$(realpath "$cache")" ]]; then
        mkdir -p "$(dirname "$out")"
        rm -f "$out"
        ln "$cache" "$out" 2>/dev/null || cp "$cache" "$out"
    fi
    printf '%s\n' "$out"
}
