#!/usr/bin/env bash
# make-wild-source.sh OUT: the source of the benchmark's `wild` shape, traffic nobody shaped
# for dasaudit: the Ethernet pcap files among nDPI 4.2's test captures (recorded by others:
# web, mobile apps, VPNs, games, IoT, attacks; scripts/third-party-captures.sh fetches
# them), one after another. Each file is shifted in time (editcap -t) to start a second
# after the one before ends, so that the whole runs forward, and the files are concatenated
# (mergecap -a -F pcap). Left out: files whose own packets span more than an hour (the
# nDPI authors merged some from several days or years; repeated, their spans would run
# the clock past what 64-bit nanoseconds hold). Deterministic: the same files give the
# same bytes. Prints OUT.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
(($# == 1)) || { say "usage: $0 OUT"; exit 2; }
out=$1
for tool in capinfos editcap mergecap; do command -v "$tool" >/dev/null || die "$tool is missing (scripts/setup.sh installs it)"; done
corpus=$("$BENCH_ROOT/scripts/third-party-captures.sh" --download-only)
work=$(mktemp -d "${TMPDIR:-/tmp}/wild-source.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Times in microseconds, as integers: the files are microsecond pcaps.
next=1000000000000000 count=0
for file in "$corpus"/nDPI-4.2/tests/pcap/*.pcap; do
    IFS=$'\t' read -r _ encapsulation first last < <(capinfos -T -r -E -a -e -S "$file" 2>/dev/null) || continue
    [[ $encapsulation == ether && $first =~ ^[0-9]+\.[0-9]{6}$ && $last =~ ^[0-9]+\.[0-9]{6}$ ]] || continue
    first=$((10#${first/./})) last=$((10#${last/./}))
    ((last - first <= 3600000000)) || continue
    shift=$((next - first)) sign=""
    ((shift >= 0)) || { sign=-; shift=$((-shift)); }
    editcap -t "$sign$((shift / 1000000)).$(printf '%06d' $((shift % 1000000)))" "$file" "$work/$(printf '%04d' "$count").pcap"
    next=$((next + last - first + 1000000)) count=$((count + 1))
done
((count > 0)) || die "no Ethernet capture in $corpus/nDPI-4.2/tests/pcap"
mergecap -a -F pcap -w "$out" "$work"/*.pcap
say "make-wild-source: $count of nDPI's captures into $out"
printf '%s\n' "$out"
