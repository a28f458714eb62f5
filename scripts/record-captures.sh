#!/usr/bin/env bash
# Record the real loopback captures of captures/ (see captures/README.md).
#
#   sudo scripts/record-captures.sh            # everything, about 20 s
#   sudo CAPTURES_DIR=/tmp/x scripts/record-captures.sh   # a trial run elsewhere
#   sudo scripts/record-captures.sh --only das-cluster    # only das-cluster-offset4-*
#   sudo scripts/record-captures.sh --only das-offset3    # only das-offset3-*
#   scripts/record-captures.sh --describe-only  # keep the captures; redo steps 6-7
#
# --only SCENARIO records that scenario and leaves the other one's captures as they
# are (steps 6-7 still run over every capture).
#
# What it does, each step re-runnable (the outputs are overwritten):
#   1. installs what is missing (Debian): tcpdump, tshark/editcap/capinfos, openssl,
#      curl, iproute2 (ss), iptables (or nftables), Debian python3 + python3-thrift;
#   2. makes a throw-away self-signed server and client certificate (openssl);
#   3. adds a firewall rule that drops SYNs to 127.0.0.3:9999 on lo (removed on exit;
#      das-offset3 only);
#   4. runs the scenario of scripts/recording/das_scenario.py (real Apache Thrift,
#      TLS, HTTP and TCP servers and clients on 127.0.0.1/.2/.5 and ::1) under
#        tcpdump -i lo  -> captures/das-offset3-lo.pcap   (Ethernet)
#        tcpdump -i any -> captures/das-offset3-any.pcap  (LINUX_SLL2, a quicker run)
#      and checks each recording against the scenario's expected connection table;
#   5. editcap -F pcapng das-offset3-lo.pcap -> captures/das-offset3-lo.pcapng;
#   5b. runs the scenario of scripts/recording/das_cluster.py (a DAS 3.1-style cluster
#      at offset 4, cluster mode, 2 cores: das1 127.0.0.1, das2 127.0.0.2, das3
#      127.0.0.3 misconfigured at offset 7; real HTTP, HTTPS, Thrift-over-TLS and
#      TCP servers and clients; 2 refused connects to 127.0.0.1:7615) under
#        tcpdump -i lo  -> captures/das-cluster-offset4-lo.pcap   (Ethernet)
#      checks it, and converts it: editcap -F pcapng -> das-cluster-offset4-lo.pcapng;
#   6. copies the shared Spark capture (SHARED_CAPTURE) unchanged, when available, and
#      converts it with editcap -F pcapng (reproducible byte for byte);
#   7. writes captures/recording-info.txt (date, tool versions, capinfos) and
#      captures/connections.txt (every connection of every capture, by handshake).
#
# Traffic goes to loopback addresses only. Needs root (tcpdump, the firewall rule).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REC="$ROOT/scripts/recording"
OUT="${CAPTURES_DIR:-$ROOT/captures}"   # CAPTURES_DIR: record elsewhere (trial runs)
PY=/usr/bin/python3                      # Debian's python: sees apt's python3-thrift
SHARED_CAPTURE="${SHARED_CAPTURE:-/work/shared/captures/spark-cluster-offset2-lo.pcap}"
RULE_COMMENT=dasaudit-record
export PYTHONDONTWRITEBYTECODE=1         # no __pycache__ in scripts/recording
NFT_TABLE=dasaudit_record

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'record-captures: %s\n' "$*" >&2; exit 1; }

usage() { die "usage: $0 [--only das-offset3|das-cluster] | --describe-only"; }
DESCRIBE_ONLY=0
DO_OFFSET3=1          # record das-offset3-* (steps 3-5)
DO_CLUSTER=1          # record das-cluster-offset4-* (step 5b)
while [ $# -gt 0 ]; do
    case "$1" in
        --describe-only) DESCRIBE_ONLY=1 ;;
        --only)
            [ $# -ge 2 ] || usage
            case "$2" in
                das-offset3) DO_CLUSTER=0 ;;
                das-cluster) DO_OFFSET3=0 ;;
                *) usage ;;
            esac
            shift ;;
        *) usage ;;
    esac
    shift
done
if [ "$DESCRIBE_ONLY" = 0 ] && [ "$(id -u)" -ne 0 ]; then
    die "run as root (tcpdump and the firewall rule need it)"
fi
mkdir -p "$OUT"

# ---------------------------------------------------------------- 1. dependencies
need=()
command -v tcpdump  >/dev/null || need+=(tcpdump)
command -v tshark   >/dev/null || need+=(tshark)
command -v editcap  >/dev/null || need+=(wireshark-common)
command -v capinfos >/dev/null || need+=(wireshark-common)
command -v openssl  >/dev/null || need+=(openssl)
command -v curl     >/dev/null || need+=(curl)
command -v ss       >/dev/null || need+=(iproute2)
command -v iptables >/dev/null || command -v nft >/dev/null || need+=(iptables)
[ -x "$PY" ] || need+=(python3)
if [ ! -x "$PY" ] || ! "$PY" -c 'import thrift' 2>/dev/null; then need+=(python3-thrift); fi
if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || die "missing ${need[*]}: run as root to install them"
    say "installing: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    echo "wireshark-common wireshark-common/install-setuid boolean false" \
        | debconf-set-selections 2>/dev/null || true
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
"$PY" -c 'import thrift' || die "$PY cannot import thrift (apt-get install python3-thrift)"

# ---------------------------------------------------------------- 2. certificates
WORK="$(mktemp -d /tmp/dasaudit-record.XXXXXX)"
FIREWALL=none

cleanup() {
    case "$FIREWALL" in
        iptables)
            while iptables -D INPUT -i lo -p tcp -d 127.0.0.3 --dport 9999 --syn \
                    -m comment --comment "$RULE_COMMENT" -j DROP 2>/dev/null; do :; done ;;
        nft) nft delete table inet "$NFT_TABLE" 2>/dev/null || true ;;
    esac
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
SKIP=()

if [ "$DESCRIBE_ONLY" = 0 ]; then
for who in server client; do
    cn=localhost; [ "$who" = client ] && cn=das-publisher
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$WORK/$who.key" -out "$WORK/$who.crt" -days 2 -subj "/CN=$cn" \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
done

# ---------------------------------------------------------------- 3. firewall rule
# INPUT is after the packet taps, so the dropped SYNs are still captured.
if [ "$DO_OFFSET3" = 1 ]; then
if command -v iptables >/dev/null; then
    while iptables -D INPUT -i lo -p tcp -d 127.0.0.3 --dport 9999 --syn \
            -m comment --comment "$RULE_COMMENT" -j DROP 2>/dev/null; do :; done
    if iptables -I INPUT -i lo -p tcp -d 127.0.0.3 --dport 9999 --syn \
            -m comment --comment "$RULE_COMMENT" -j DROP 2>/dev/null; then
        FIREWALL=iptables
    fi
fi
if [ "$FIREWALL" = none ] && command -v nft >/dev/null; then
    nft delete table inet "$NFT_TABLE" 2>/dev/null || true
    if nft -f - 2>/dev/null <<EOF
table inet $NFT_TABLE {
    chain input {
        type filter hook input priority -10; policy accept;
        iifname "lo" ip daddr 127.0.0.3 tcp dport 9999 tcp flags & (syn|ack) == syn drop
    }
}
EOF
    then FIREWALL=nft; fi
fi
if [ "$FIREWALL" = none ]; then
    say "WARNING: neither iptables nor nft can add a rule here; no unanswered attempt"
    SKIP=(--no-unanswered)
else
    say "firewall: $FIREWALL drops SYNs to 127.0.0.3:9999 on lo"
fi
fi

# ---------------------------------------------------------------- 4. the scenario
cd "$WORK"
if [ "$DO_OFFSET3" = 1 ]; then
say "recording captures/das-offset3-lo.pcap (tcpdump -i lo)"
"$PY" "$REC/das_scenario.py" run --iface lo --out "$OUT/das-offset3-lo.pcap" \
    --certdir "$WORK" "${SKIP[@]}"
"$PY" "$REC/das_scenario.py" check "$OUT/das-offset3-lo.pcap" "${SKIP[@]}"

say "recording captures/das-offset3-any.pcap (tcpdump -i any, quick run)"
"$PY" "$REC/das_scenario.py" run --iface any --quick --out "$OUT/das-offset3-any.pcap" \
    --certdir "$WORK" "${SKIP[@]}"
"$PY" "$REC/das_scenario.py" check "$OUT/das-offset3-any.pcap" "${SKIP[@]}"

# ---------------------------------------------------------------- 5. pcapng variant
say "editcap -F pcapng -> captures/das-offset3-lo.pcapng"
editcap -F pcapng "$OUT/das-offset3-lo.pcap" "$OUT/das-offset3-lo.pcapng"
"$PY" "$REC/das_scenario.py" check "$OUT/das-offset3-lo.pcapng" "${SKIP[@]}"
else
    say "--only das-cluster: keeping the das-offset3 captures as they are"
fi

# ---------------------------------------------------------------- 5b. the cluster scenario
if [ "$DO_CLUSTER" = 1 ]; then
    say "recording captures/das-cluster-offset4-lo.pcap (tcpdump -i lo)"
    "$PY" "$REC/das_cluster.py" run --out "$OUT/das-cluster-offset4-lo.pcap" \
        --certdir "$WORK"
    "$PY" "$REC/das_cluster.py" check "$OUT/das-cluster-offset4-lo.pcap"
    say "editcap -F pcapng -> captures/das-cluster-offset4-lo.pcapng"
    editcap -F pcapng "$OUT/das-cluster-offset4-lo.pcap" "$OUT/das-cluster-offset4-lo.pcapng"
    "$PY" "$REC/das_cluster.py" check "$OUT/das-cluster-offset4-lo.pcapng"
else
    say "--only das-offset3: keeping the das-cluster-offset4 captures as they are"
fi
cd "$ROOT"
else
    say "--describe-only: checking the existing recorded captures"
    for f in das-offset3-lo.pcap das-offset3-lo.pcapng das-offset3-any.pcap; do
        [ ! -r "$OUT/$f" ] || "$PY" "$REC/das_scenario.py" check "$OUT/$f"
    done
    for f in das-cluster-offset4-lo.pcap das-cluster-offset4-lo.pcapng; do
        [ ! -r "$OUT/$f" ] || "$PY" "$REC/das_cluster.py" check "$OUT/$f"
    done
fi

# ---------------------------------------------------------------- 6. shared capture
if [ -r "$SHARED_CAPTURE" ]; then
    if ! cmp -s "$SHARED_CAPTURE" "$OUT/spark-cluster-offset2-lo.pcap"; then
        say "copying $SHARED_CAPTURE"
        cp "$SHARED_CAPTURE" "$OUT/spark-cluster-offset2-lo.pcap"
        chmod 644 "$OUT/spark-cluster-offset2-lo.pcap"
    fi
else
    say "no $SHARED_CAPTURE here: keeping captures/spark-cluster-offset2-lo.pcap as it is"
fi
# its pcapng twin (editcap's output is byte-for-byte reproducible)
if [ -r "$OUT/spark-cluster-offset2-lo.pcap" ]; then
    editcap -F pcapng "$OUT/spark-cluster-offset2-lo.pcap" "$WORK/shared.pcapng"
    if ! cmp -s "$WORK/shared.pcapng" "$OUT/spark-cluster-offset2-lo.pcapng"; then
        say "editcap -F pcapng -> captures/spark-cluster-offset2-lo.pcapng"
        cp "$WORK/shared.pcapng" "$OUT/spark-cluster-offset2-lo.pcapng"
    fi
fi

# ---------------------------------------------------------------- 7. descriptions
cd "$OUT"
FILES=(spark-cluster-offset2-lo.pcap spark-cluster-offset2-lo.pcapng
       das-offset3-lo.pcap das-offset3-lo.pcapng das-offset3-any.pcap
       das-cluster-offset4-lo.pcap das-cluster-offset4-lo.pcapng)
{
    echo "# written by scripts/record-captures.sh; see README.md"
    echo "# (each capture's own times are in its capinfos below)"
    echo "written: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -sr)"
    [ "$DESCRIBE_ONLY" = 1 ] || [ "$DO_OFFSET3" = 0 ] \
        || echo "firewall for 127.0.0.3:9999: $FIREWALL"
    echo "tcpdump: $(tcpdump --version 2>&1 | head -2 | tr '\n' ' ')"
    echo "tshark: $(tshark --version 2>/dev/null | head -1)"
    echo "openssl: $(openssl version)"
    echo "curl: $(curl --version | head -1)"
    echo "python: $("$PY" --version 2>&1), thrift $("$PY" -c 'import thrift.Thrift, importlib.metadata as m; print(m.version("thrift"))' 2>/dev/null || echo '?')"
    for f in "${FILES[@]}"; do
        [ -r "$OUT/$f" ] || continue
        echo
        echo "## $f"
        capinfos -t -E -c -s -u -a -e -H "$f" 2>/dev/null | grep -v '^$'
    done
} > "$OUT/recording-info.txt"
{
    echo "# written by scripts/record-captures.sh with scripts/recording/summarize.py"
    echo "# server side and state decided from each connection's handshake"
    for f in "${FILES[@]}"; do
        [ -r "$OUT/$f" ] || continue
        echo
        "$PY" "$REC/summarize.py" "$f"
    done
} > "$OUT/connections.txt"

# tcpdump writes as its own user; hand the files to the owner of the checkout
chown "$(stat -c %u:%g "$ROOT")" "$OUT"/* && chmod 644 "$OUT"/*
ls -l "$OUT" >&2
say "done"
