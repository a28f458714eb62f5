#!/usr/bin/env bash
# Runs the ssh + xargs fan-out of docs/merge.md as written, against a local sshd on
# 127.0.0.1: two ssh host names, a and b, each auditing its own capture directory (put in
# place of /var/captures: captures/fleet-a.pcap for a, fleet-b.pcap for b, the two ends of
# one fleet recorded in network namespaces) at its capture point; the merge must count
# every connection once (the counts of one end's audit).
#
#   scripts/fanout-ssh-test.sh      # as root, after swift build; needs openssh-server
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/.build/debug/dasaudit"
WORK=$(mktemp -d)
chmod 755 "$WORK"
sshd_pid=""
cleanup() { [ -z "$sshd_pid" ] || kill "$sshd_pid" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
say() { printf 'fanout-ssh-test: %s\n' "$*" >&2; }
[ -x "$BIN" ] || { say "no $BIN: run swift build first"; exit 1; }
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
[ -x "$SSHD" ] || { say "no sshd: scripts/setup.sh installs openssh-server"; exit 1; }

# The "nodes": dasaudit on the PATH of an ssh session, each node's captures apart.
mkdir -p "$WORK/bin" "$WORK/captures-a" "$WORK/captures-b" "$WORK/run"
ln -s "$BIN" "$WORK/bin/dasaudit"
cp "$ROOT/captures/fleet-a.pcap" "$WORK/captures-a/"
cp "$ROOT/captures/fleet-b.pcap" "$WORK/captures-b/"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/client_key"
cp "$WORK/client_key.pub" "$WORK/authorized_keys"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$WORK/sshd_config" <<CONF
ListenAddress 127.0.0.1:$port
HostKey $WORK/host_key
AuthorizedKeysFile $WORK/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
PidFile $WORK/sshd.pid
SetEnv PATH=$WORK/bin:/usr/local/bin:/usr/bin:/bin
CONF
mkdir -p /run/sshd
"$SSHD" -D -e -f "$WORK/sshd_config" 2>"$WORK/sshd.log" &
sshd_pid=$!
cat >"$WORK/ssh_config" <<CONF
Host a b
    HostName 127.0.0.1
    Port $port
    User $(id -un)
    IdentityFile $WORK/client_key
    IdentitiesOnly yes
    StrictHostKeyChecking no
    UserKnownHostsFile /dev/null
    LogLevel ERROR
    BatchMode yes
CONF
# `ssh` in the recipe is this machine's ssh with the config above.
printf '#!/bin/sh\nexec %s -F %s "$@"\n' "$(command -v ssh)" "$WORK/ssh_config" >"$WORK/bin/ssh"
chmod +x "$WORK/bin/ssh"
for _ in $(seq 50); do "$WORK/bin/ssh" -n a true 2>/dev/null && break; sleep 0.1; done

# The recipe, from docs/merge.md, with each node's capture directory for /var/captures.
recipe=$(awk '/<!-- fanout-ssh/ {found=1; next} found && /^```sh/ {inside=1; next} inside && /^```/ {exit} inside {print}' \
    "$ROOT/docs/merge.md")
[ -n "$recipe" ] || { say "no fanout-ssh block in docs/merge.md"; exit 1; }
printf 'a\nb\n' >"$WORK/run/nodes.txt"
say "running the recipe of docs/merge.md against sshd on 127.0.0.1:$port"
status=0
(cd "$WORK/run" && PATH="$WORK/bin:$PATH" bash -euo pipefail -c "${recipe//\/var\/captures/$WORK/captures-NODE}") || status=$?
[ "$status" -eq 1 ] || { say "the recipe ended with exit $status, expected 1 (the fleet's rogue port is a finding)"; cat "$WORK/sshd.log" >&2; exit 1; }

"$BIN" audit "$ROOT/captures/fleet-a.pcap" --offset 2 --mode cluster --cores 2 --format json --output "$WORK/one.json" 2>/dev/null || [ $? -eq 1 ]
python3 - "$WORK/run/cluster.json" "$WORK/one.json" "$WORK/run/results" <<'PY'
import json, os, sys
merged, one = (json.load(open(path)) for path in sys.argv[1:3])
counts = lambda r: [(s["address"], s["port"], s["connections"], s["packets"], s["bytes"]) for s in r["services"]]
problems = []
if counts(merged) != counts(one): problems.append(f"services {counts(merged)} != one end's {counts(one)}")
if merged["coverage"]["connections"] != one["coverage"]["connections"]: problems.append("connection count")
if [p["name"] for p in merged["capture_points"]] != ["a", "b"]: problems.append(f"capture points {merged['capture_points']}")
if sorted(os.listdir(sys.argv[3])) != ["a.json", "b.json"]: problems.append(f"results {os.listdir(sys.argv[3])}")
if problems:
    sys.exit("fanout-ssh-test: FAIL: " + "; ".join(problems))
print(f"fanout-ssh-test: ok: 2 nodes over ssh, merged to {merged['coverage']['connections']} connections, each once")
PY
[ -s "$WORK/run/cluster.html" ] || { say "no cluster.html"; exit 1; }
