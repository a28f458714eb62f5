#!/bin/bash
# Makes captures/anonymized-bittwiste-veth-s200.pcap: the bundled recording of a two-host
# Spark cluster (captures/spark43-cluster-deploy-veth-s200.pcap) with its addresses changed
# as an auditor's anonymizer may change them before a capture leaves the site:
# 10.30.0.1 -> 198.51.100.7 and 10.30.0.2 -> 198.51.100.9 (TEST-NET-2), by bittwiste
# (Debian's bittwist) with -C, which leaves every checksum as it was. Each TCP checksum then
# covers the old addresses: every judged sum is wrong, though no packet was damaged.
# Usage: scripts/recording/record-anonymized.sh [OUTDIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../captures}
source=$here/../../captures/spark43-cluster-deploy-veth-s200.pcap
command -v bittwiste >/dev/null \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends bittwist >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bittwiste -I "$source" -O "$work/first.pcap" -C -T ip -s 10.30.0.1,198.51.100.7 -d 10.30.0.1,198.51.100.7 >/dev/null 2>&1
bittwiste -I "$work/first.pcap" -O "$out/anonymized-bittwiste-veth-s200.pcap" -C -T ip \
    -s 10.30.0.2,198.51.100.9 -d 10.30.0.2,198.51.100.9 >/dev/null 2>&1
echo "wrote $out/anonymized-bittwiste-veth-s200.pcap"
