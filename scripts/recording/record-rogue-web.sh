#!/bin/bash
# Records captures/rogue-web-lo-s96.pcap: 300 rogue HTTP services on one host, each asked once,
# the capture a scan-free flood of unexplained ports (what docs/design.md, "Offset
# mismatch", is tested on: at offset 0 a few of these ports line up with catalog ports at
# some other offset by chance, which must not make an offset-mismatch of them). Python's
# asyncio serves 127.0.0.1:20000-20299 (each answers any request with a short HTTP/1.0
# reply) and a client asks each port once with `GET /`, 20 at a time, from 127.0.1.1-50.
# Needs root (tcpdump); run it in a network namespace of its own:
#   ip netns add rec; ip netns exec rec ip link set lo up
#   ip netns exec rec scripts/recording/record-rogue-web.sh [OUTDIR]; ip netns del rec
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../captures}
# work (a temporary directory) and pids (the processes to stop), cleaned up on exit; no
# namespace of its own, as it runs in the caller's.
NAMESPACES=()
# shellcheck source=scripts/recording/namespaces.sh
source "$here/namespaces.sh"
command -v tcpdump >/dev/null || apt-get install -y tcpdump >/dev/null

cat > "$work/servers.py" <<'PY'
import asyncio, sys
async def handle(reader, writer):
    await reader.read(100)
    writer.write(b'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok'); await writer.drain(); writer.close()
async def main():
    servers = [await asyncio.start_server(handle, '127.0.0.1', port) for port in range(20000, 20300)]
    open(sys.argv[1], 'w').write('ready')
    await asyncio.sleep(120)
asyncio.run(main())
PY
cat > "$work/clients.py" <<'PY'
import asyncio
async def ask(port, gate):
    async with gate:
        reader, writer = await asyncio.open_connection('127.0.0.1', port, local_addr=('127.0.1.%d' % (1 + port % 50), 0))
        writer.write(b'GET / HTTP/1.0\r\n\r\n'); await writer.drain(); await reader.read(); writer.close()
async def main():
    gate = asyncio.Semaphore(20)
    await asyncio.gather(*[ask(port, gate) for port in range(20000, 20300)])
asyncio.run(main())
PY
/usr/bin/python3 "$work/servers.py" "$work/ready" & pids+=($!)
for _ in $(seq 100); do [ -e "$work/ready" ] && break; sleep 0.1; done
tcpdump -i lo -s 96 -U -w "$out/rogue-web-lo-s96.pcap" tcp 2>"$work/tcpdump.err" & pids+=($!)
sleep 1
/usr/bin/python3 "$work/clients.py"
sleep 1
kill -INT "${pids[1]}"; wait "${pids[1]}" || true
cat "$work/tcpdump.err" >&2
