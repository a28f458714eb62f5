#!/bin/bash
# Records the protocol captures (captures/protocols-lo*.pcap, captures/misconfigured-node-lo*.pcap)
# from real components on loopback: python3-thrift, openssl s_server/s_client, python's
# http.server and curl, openssh-server, OpenJDK with JMX remote. Needs root (tcpdump, sshd).
# The -s96 files are the same packets cut to 96 bytes with editcap -s 96, as tcpdump -s 96
# would have kept them; protocols-lo-s64.pcap is cut to 64 (`tcpdump -s 64`: no payload
# byte left, the snapshot length note's capture). Usage: sudo scripts/recording/record-protocols.sh [OUTDIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../captures}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

missing=()
for tool in tcpdump editcap openssl curl ssh /usr/sbin/sshd java javac; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
/usr/bin/python3 -c 'import thrift' 2>/dev/null || missing+=(python3-thrift)
if ((${#missing[@]})); then
    apt-get install -y tcpdump wireshark-common openssl curl openssh-client openssh-server \
        default-jdk-headless python3-thrift >/dev/null
fi

openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 \
    -keyout "$work/server.key" -out "$work/server.crt" 2>/dev/null
ssh-keygen -q -t ed25519 -N '' -f "$work/ssh_host_ed25519_key"
javac -d "$work/jmx" "$here"/jmx/*.java

record() { # scenario file
    tcpdump -i lo -U -w "$work/$2.pcap" 'tcp' 2>/dev/null &
    dump=$!
    trap 'kill -INT $dump 2>/dev/null || true; rm -rf "$work"' EXIT
    sleep 1
    /usr/bin/python3 "$here/protocols_scenario.py" "$1" "$work"
    sleep 1
    kill -INT "$dump"
    wait "$dump" || true
    cp "$work/$2.pcap" "$out/$2.pcap"
    editcap -F pcap -s 96 "$out/$2.pcap" "$out/$2-s96.pcap"
    echo "wrote $out/$2.pcap and $2-s96.pcap"
}
record protocols protocols-lo
editcap -F pcap -s 64 "$out/protocols-lo.pcap" "$out/protocols-lo-s64.pcap"
record misconfigured misconfigured-node-lo
