#!/usr/bin/env bash
# dasaudit on captures it was not written against: the 1,071 test captures in the sources of
# nDPI 4.2, Wireshark 4.0.17, tcpdump 4.99.3 and tcpflow 1.6.1, recorded by others on real
# networks (web, mobile apps, VPNs, games, industrial protocols, attacks), anonymized,
# crafted or fuzzed, and tcpflow's cases of TCP reassembly (segments out of order, in
# random order, one packet of a connection, a 40-byte snapshot length).
#
#   scripts/third-party-captures.sh       uses .build/debug/dasaudit (DASAUDIT=... to override)
#   scripts/third-party-captures.sh --download-only
#                                         fetches the captures, prints where they are, checks
#                                         nothing (scripts/bench/make-wild-source.sh uses it)
#
# The four source tarballs Debian 12 builds those packages from are downloaded from Debian's
# mirror (DEBIAN_MIRROR, default http://deb.debian.org/debian), checked against the SHA-256
# Debian's Sources index lists, and kept with the captures in CORPUS_DIR (default
# .build-third-party/; 176 MB). Nothing of them is committed. Then:
#   1. every capture: `dasaudit audit` exits 0, 1 or 2 within 60 s, never by a signal; on 2
#      its error names the file (a link type dasaudit does not read: 802.11, Frame
#      Relay, SLIP, ...); otherwise its JSON result is read back by `dasaudit render` (which
#      validates it) into HTML, and `dasaudit infer` drafts a policy from it (exit 0);
#   2. every capture read: `dasaudit flows` counts each connection's packets as tshark's
#      TCP streams do (scripts/tshark-tables.sh), except the captures named below, each for
#      a reason of its own: dasaudit counts copies once, sets damaged segments aside, opens
#      no GTP or WireGuard, ends a connection 5 s after its close where tshark's stream
#      goes on, and does not track a TCP header cut before its flags;
#   3. every connection nDPI's own results name by deep packet inspection as TLS, HTTP, SSH,
#      MySQL, PostgreSQL, Redis or LDAP (scripts/ndpi-protocols.py): dasaudit names it so,
#      except the three flows named below;
#   4. what these captures showed dasaudit (docs/inputs.md): anonymized captures audit with
#      their checksums not judged, RTSP and NATS are not HTTP, a capture of one SYN is an
#      audit of nothing, files that hold every packet twice are counted once, a connection
#      whose packets are in random order is one, headers cut before their flags are no
#      evidence, text on the JMX registry's port is not Java RMI, and a router's PPP and
#      Cisco HDLC links carry TCP, under MPLS labels too.
# Exits 1 on any failure (and prints it), 2 when a tool or a download is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "third-party-captures: $*" >&2; }
die() { say "error: $*"; exit 2; }
download_only=0
case ${1:-} in
    --download-only) download_only=1 ;;
    "") ;;
    *) die "usage: scripts/third-party-captures.sh [--download-only]" ;;
esac
dasaudit=${DASAUDIT:-.build/debug/dasaudit}
needed=(curl tar bzip2)
((download_only)) || needed+=("$dasaudit" tshark python3 timeout)
for tool in "${needed[@]}"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (scripts/setup.sh installs it)"
done
((download_only)) || dasaudit=$(cd "$(dirname "$dasaudit")" && pwd)/$(basename "$dasaudit")
corpus=${CORPUS_DIR:-.build-third-party}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$corpus"

# PATH-IN-POOL SHA-256 (from Debian 12's Sources index), and what of it is extracted.
sources=(
    "n/ndpi/ndpi_4.2.orig.tar.gz e54ce8fe13adc5d747be7553513657fae78f796e0bd459e122c280cc06ce4daf nDPI-4.2/tests/pcap nDPI-4.2/tests/result"
    "w/wireshark/wireshark_4.0.17.orig.tar.bz2 62fd1491b6211d1651a16a45ead15808970b3a6a9ebde2537f96722af47aaaa5 wireshark-v4.0.17/test/captures"
    "t/tcpdump/tcpdump_4.99.3.orig.tar.gz ad75a6ed3dc0d9732945b2e5483cb41dc8b4b528a169315e499c6861952e73b3 tcpdump-4.99.3/tests"
    "t/tcpflow/tcpflow_1.6.1.orig.tar.gz c1c88513473e12011c0c00bba88dd02013ea3b813b08088f250cbf82b8f42358 tcpflow-tcpflow-1.6.1/tests tcpflow-tcpflow-1.6.1/samplePcaps"
)
for entry in "${sources[@]}"; do
    read -r pool sha256 paths <<<"$entry"
    tarball=$corpus/$(basename "$pool")
    if [ ! -f "$tarball.checked" ]; then
        say "downloading $(basename "$pool") from $mirror"
        curl -fsS --retry 3 -o "$tarball" "$mirror/pool/main/$pool" || die "cannot download $mirror/pool/main/$pool"
        echo "$sha256  $tarball" | sha256sum -c --quiet - || die "$tarball does not have the SHA-256 Debian lists ($sha256)"
        # shellcheck disable=SC2086  # the paths are words
        tar -xf "$tarball" -C "$corpus" $paths
        rm "$tarball" && touch "$tarball.checked"
    fi
done
mapfile -t captures < <(cd "$corpus" && find . -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \
    -o -name '*.pcap.gz' -o -name '*.pcapng.gz' \) | sed 's|^\./||' | LC_ALL=C sort)
[ "${#captures[@]}" -eq 1071 ] || die "expected 1071 captures in $corpus, found ${#captures[@]}"
if ((download_only)); then (cd "$corpus" && pwd); exit 0; fi

# tshark_table FILE, dasaudit_table INPUT: "A|port B|port packets" per connection.
source scripts/tshark-tables.sh

failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
work=$(mktemp -d "${TMPDIR:-/tmp}/third-party.XXXXXX")
trap 'rm -rf "$work"' EXIT

# 1. Read, and each result read back.
declare -A exits=()
readable=()
for name in "${captures[@]}"; do
    file=$corpus/$name
    status=0
    timeout 60 "$dasaudit" audit "$file" --format json --output "$work/result.json" 2>"$work/stderr" >/dev/null \
        || status=$?
    exits[$status]=$(( ${exits[$status]:-0} + 1 ))
    case $status in
        0|1)
            "$dasaudit" render "$work/result.json" --format html >/dev/null 2>"$work/render" \
                || fail "$name: its result does not read back: $(head -c 300 "$work/render")"
            timeout 60 "$dasaudit" infer "$file" >/dev/null 2>"$work/infer" \
                || fail "$name: dasaudit infer exits $?: $(head -c 300 "$work/infer")"
            readable+=("$name") ;;
        2)
            grep -qF "error: $file: " "$work/stderr" || fail "$name: exit 2 without an error naming it: $(head -c 300 "$work/stderr")" ;;
        *)
            fail "$name: exit $status (a signal or the 60 s timeout): $(tail -c 300 "$work/stderr")" ;;
    esac
done
echo "read: ${#captures[@]} captures, exit 0: ${exits[0]:-0}, 1: ${exits[1]:-0}, 2: ${exits[2]:-0}"

# 2. Packets per connection against tshark. Each capture that differs, and why.
declare -A differs=(
    # Every packet (or some) twice, copies dasaudit counts once (docs/inputs.md, "Files
    # that hold every packet twice"; on -i any captures, "Copies of one packet").
    [nDPI-4.2/tests/pcap/1kxun.pcap]=copies [nDPI-4.2/tests/pcap/dnp3.pcap]=copies
    [nDPI-4.2/tests/pcap/ethereum.pcap]=copies [nDPI-4.2/tests/pcap/ftp-start-tls.pcap]=copies
    [nDPI-4.2/tests/pcap/mongodb.pcap]=copies [nDPI-4.2/tests/pcap/rtsp.pcap]=copies
    [nDPI-4.2/tests/pcap/reasm_crash_anon.pcapng]=copies [tcpdump-4.99.3/tests/pptp.pcap]=copies
    [tcpdump-4.99.3/tests/kday4.pcap]=copies [tcpdump-4.99.3/tests/kday7.pcap]=copies
    [tcpdump-4.99.3/tests/bgp-infinite-loop.pcap]=copies
    # Each frame also inside Cisco FabricPath (ethertype 0x8903): a copy dasaudit does not open.
    [nDPI-4.2/tests/pcap/ajp.pcap]=fabricpath-copies
    # Damaged, fuzzed or crafted packets: set aside (bad-checksum), malformed or truncated.
    [nDPI-4.2/tests/pcap/fuzz-2006-06-26-2594.pcap]=damaged [nDPI-4.2/tests/pcap/fuzz-2006-09-29-28586.pcap]=damaged
    [nDPI-4.2/tests/pcap/h323-overflow.pcap]=damaged [nDPI-4.2/tests/pcap/irc.pcap]=damaged
    [nDPI-4.2/tests/pcap/kerberos_fuzz.pcapng]=damaged [nDPI-4.2/tests/pcap/tls-esni-fuzzed.pcap]=damaged
    [nDPI-4.2/tests/pcap/tls_invalid_reads.pcap]=damaged
    [nDPI-4.2/tests/pcap/ndpi_match_string_subprotocol__error.pcapng]=damaged
    [nDPI-4.2/tests/pcap/ip_fragmented_garbage.pcap]=damaged
    [tcpdump-4.99.3/tests/bgp-as-path-oobr.pcap]=damaged [tcpdump-4.99.3/tests/kday3.pcap]=damaged
    [tcpdump-4.99.3/tests/resp_4_infiniteloop.pcapng]=damaged [tcpdump-4.99.3/tests/smb_data_print-oobr.pcapng]=damaged
    [tcpdump-4.99.3/tests/smb_data_print-segv.pcapng]=damaged [tcpdump-4.99.3/tests/tcp_header_heapoverflow.pcap]=damaged
    [tcpdump-4.99.3/tests/tok2str-oobr-1.pcap]=damaged [tcpdump-4.99.3/tests/zmtp1-inf-loop-1.pcapng]=damaged
    # TCP inside what dasaudit does not open: GTP-U, WireGuard (tshark decrypts it with the
    # capture's keys), IP-in-IP nested four deep.
    [nDPI-4.2/tests/pcap/ja3_lots_of_cipher_suites_2_anon.pcap]=gtp [nDPI-4.2/tests/pcap/reasm_segv_anon.pcapng]=gtp
    [wireshark-v4.0.17/test/captures/wireguard-ping-tcp-dsb.pcapng]=wireguard
    [wireshark-v4.0.17/test/captures/ipoipoip.pcap]=nested-tunnels
    # A connection's last packets more than 5 s after both FINs: a connection of their own
    # for dasaudit (docs/flows.md), one stream for tshark.
    [nDPI-4.2/tests/pcap/skype.pcap]=linger [nDPI-4.2/tests/pcap/skype_no_unknown.pcap]=linger
    [nDPI-4.2/tests/pcap/wechat.pcap]=linger
    # tshark starts a second stream after 4 packets of one connection (one SYN, the numbers
    # running on); dasaudit keeps one.
    [nDPI-4.2/tests/pcap/vnc.pcap]=tshark-split
    # The packets of one connection in random order (tcpflow's test): tshark starts a second
    # stream at the SYN that comes ninth; dasaudit keeps one.
    [tcpflow-tcpflow-1.6.1/tests/test5-lines-randomized.pcap]=tshark-split
    # A snapshot length of 40 bytes cuts each TCP header after its ports: tshark counts the
    # packets by their ports, dasaudit sets them aside as truncated (no flags, no state).
    [tcpflow-tcpflow-1.6.1/tests/simson.pcap]=cut-before-flags
)
equal=0 explained=0
for name in "${readable[@]}"; do
    dasaudit_table "$corpus/$name" > "$work/dasaudit" 2>/dev/null || true
    tshark_table "$corpus/$name" > "$work/tshark" || true
    if cmp -s "$work/dasaudit" "$work/tshark"; then
        equal=$((equal + 1))
        [ -z "${differs[$name]:-}" ] || echo "  now equal: $name (listed as ${differs[$name]})"
    elif [ -n "${differs[$name]:-}" ]; then
        explained=$((explained + 1))
    else
        fail "$name: packets per connection differ from tshark's (< dasaudit, > tshark):"
        diff "$work/dasaudit" "$work/tshark" | head -10 || true
    fi
done
echo "tshark: ${#readable[@]} captures read, $equal equal (with TCP or without), $explained different for a reason listed"

# 3. Protocols against nDPI's own results.
python3 scripts/ndpi-protocols.py "$dasaudit" "$corpus/nDPI-4.2/tests" > "$work/protocols"
grep -v -E '^(DIFFER|MISSING) ' "$work/protocols" | sed 's/^/nDPI /'
expected_protocol_differences=(
    # nDPI prints this IPv6 address as 2600:1901::7a0b::, which is no address.
    "MISSING pinterest.pcap.out tls [2a01:cb01:2049:8b07:991d:ec85:28df:f629] 47032 [2600:1901::7a0b::] 443"
    # Picked up mid-stream, no handshake: a first payload that need not begin a message.
    "DIFFER pps.pcap.out http unknown 192.168.5.15 65128 68.233.253.133 80"
    "DIFFER pps.pcap.out http unknown 192.168.5.15 65127 68.233.253.133 80"
    # A fuzzed capture whose ClientHello's segment comes after another of the connection's.
    "DIFFER tls_invalid_reads.pcap.out tls unknown 192.168.10.101 3967 206.33.61.113 443"
)
while read -r line; do
    listed=0
    for expected in "${expected_protocol_differences[@]}"; do [ "$line" = "$expected" ] && listed=1; done
    [ "$listed" = 1 ] || fail "protocol: $line"
done < <(grep -E '^(DIFFER|MISSING) ' "$work/protocols")

# 4. What these captures taught.
audit_json() { "$dasaudit" audit "$corpus/$1" --format json 2>/dev/null || true; }
check() {  # check CAPTURE PYTHON-EXPRESSION-OVER-r (the result) DESCRIPTION
    audit_json "$1" | python3 -c "import json, sys; r = json.load(sys.stdin); sys.exit(0 if ($2) else 1)" \
        || fail "$1: $3"
}
check nDPI-4.2/tests/pcap/BGP_Cisco_hdlc_slarp.pcap \
    "r['inputs'][0]['link_type'] == 9 and [(s['port'], s['packets']) for s in r['services']] == [(179, 14)]" \
    "a PPP file of Cisco HDLC frames: BGP's 14 packets, on 179"
check nDPI-4.2/tests/pcap/BGP_redist.pcap \
    "r['inputs'][0]['link_type'] == 104 and r['coverage']['tcp_segments'] == 2 and r['coverage']['skipped'] == {}" \
    "Cisco HDLC: both BGP segments, one under an MPLS label"
check tcpdump-4.99.3/tests/lspping-fec-ldp.pcap \
    "r['inputs'][0]['link_type'] == 9 and r['coverage']['tcp_segments'] == 3 and r['coverage']['skipped'] == {'not-tcp': 10}" \
    "PPP carrying MPLS: its 3 TCP segments under labels, its 10 LSP pings not TCP"
check nDPI-4.2/tests/pcap/smtp-starttls.pcap \
    "r['inputs'][0].get('checksums_not_judged') == {'wrong': 35, 'judged': 35} and [(s['port'], s['packets']) for s in r['services']] == [(25, 36)]" \
    "an anonymized SMTP session: its 35 wrong sums not judged, one service on 25 with all 36 packets"
check nDPI-4.2/tests/pcap/dnscrypt-v2-doh.pcap \
    "r['inputs'][0].get('checksums_not_judged') == {'wrong': 548, 'judged': 548} and 'bad-checksum' not in r['inputs'][0]['skipped']" \
    "an anonymized capture of DNS over HTTPS: 548 wrong sums, none set aside"
check nDPI-4.2/tests/pcap/mysql-8.pcap \
    "[(s['port'], s['protocol']) for s in r['services']] == [(3306, 'mysql')]" \
    "an anonymized MySQL 8 session: one service on 3306 that speaks mysql"
check nDPI-4.2/tests/pcap/irc.pcap \
    "r['inputs'][0].get('checksums_not_judged') is None and r['inputs'][0]['skipped'].get('bad-checksum') == 2" \
    "2 damaged segments among 28: still set aside"
check nDPI-4.2/tests/pcap/rtsp.pcap "[(s['port'], s['protocol']) for s in r['services']] == [(8554, 'other')]" \
    "RTSP, which opens with HTTP's methods and an rtsp:// target: no http"
check nDPI-4.2/tests/pcap/nats.pcap "[(s['port'], s['protocol']) for s in r['services']] == [(4222, 'other')]" \
    "NATS, whose client opens with CONNECT and a JSON object: no http"
check tcpdump-4.99.3/tests/bgp-addpath.pcap "[f['kind'] for f in r['findings'] if f['severity'] == 'high'] == ['no-traffic']" \
    "one SYN in the capture's last 3 s, its answer not captured: an audit of nothing, never COMPLIANT"
check nDPI-4.2/tests/pcap/1kxun.pcap "r['inputs'][0].get('duplicates_found_by_sample') == 241" \
    "241 copies, found by the sample"
check nDPI-4.2/tests/pcap/ftp-start-tls.pcap "r['inputs'][0].get('duplicates_found_by_sample') == 16" \
    "16 copies, found by the sample"
check tcpflow-tcpflow-1.6.1/tests/test5-lines-randomized.pcap \
    "[(s['port'], s['protocol'], s['states']) for s in r['services']] == [(80, 'http', {'closed': 1})]" \
    "11 packets of one connection in random order: one closed HTTP connection"
check tcpflow-tcpflow-1.6.1/tests/flow_test.pcap \
    "[(f['severity'], f['kind'], f['port']) for f in r['findings'] if f['severity'] == 'high'] == [('high', 'protocol-mismatch', 9999)]" \
    "three connections of a line of text to 9999, the JMX registry at offset 0: not Java RMI, whose header every session sends"
check tcpflow-tcpflow-1.6.1/tests/simson.pcap \
    "r['inputs'][0]['skipped'] == {'truncated': 303} and [f['kind'] for f in r['findings'] if f['severity'] == 'high'] == ['no-traffic']" \
    "303 TCP headers cut after their ports: set aside, an audit of nothing, never COMPLIANT"

if [ "$failures" -gt 0 ]; then
    echo "third-party-captures: $failures failure(s)"
    exit 1
fi
echo "third-party-captures: every check passed"
