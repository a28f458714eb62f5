#!/usr/bin/env python3
"""Summarize the TCP connections of a capture, using tshark's field output.

Usage: summarize.py FILE

For every TCP stream (tshark's tcp.stream) it decides the server side from the
handshake (receiver of a SYN without ACK, else sender of a SYN-ACK, else
"mid-stream") and a state in the spirit of Zeek's conn_state:

  unanswered   SYN(s) only, no reply
  refused      SYN answered by RST (no SYN-ACK)
  closed       handshake, FIN from both sides, no RST
  reset        handshake, then an RST (by=client|server)
  established  handshake, neither FIN nor RST from both sides at the end
  half-closed  handshake, FIN from only one side, no RST
  mid-stream   no SYN seen

It prints one line per stream and then a table server address:port -> counts
per state. Only the standard library and tshark are needed.
"""
import collections
import subprocess
import sys

FIELDS = ["tcp.stream", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst",
          "tcp.srcport", "tcp.dstport", "tcp.flags", "tcp.len"]

SYN, ACK, FIN, RST = 0x02, 0x10, 0x01, 0x04


def fmt(addr, port):
    return f"[{addr}]:{port}" if ":" in addr else f"{addr}:{port}"


def load(path):
    cmd = ["tshark", "-r", path, "-Y", "tcp", "-T", "fields", "-E", "separator=\t"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    streams = collections.OrderedDict()
    for line in out.splitlines():
        s, s4, s6, d4, d6, sp, dp, flags, ln = line.split("\t")
        src, dst = (s4 or s6), (d4 or d6)
        streams.setdefault(int(s), []).append(
            ((src, int(sp)), (dst, int(dp)), int(flags, 16), int(ln or 0)))
    return streams


def classify(pkts):
    server = client = None
    basis = "mid-stream"
    for src, dst, fl, _ in pkts:
        if fl & SYN and not fl & ACK:
            server, client, basis = dst, src, "SYN"
            break
    if server is None:
        for src, dst, fl, _ in pkts:
            if fl & SYN and fl & ACK:
                server, client, basis = src, dst, "SYN-ACK"
                break
    if server is None:
        # no handshake: report the first packet's receiver, marked mid-stream
        server, client = pkts[0][1], pkts[0][0]
    syn = sum(1 for s, d, f, _ in pkts if f & SYN and not f & ACK)
    synack = sum(1 for s, d, f, _ in pkts if f & SYN and f & ACK)
    fin_c = any(f & FIN for s, d, f, _ in pkts if s == client)
    fin_s = any(f & FIN for s, d, f, _ in pkts if s == server)
    rst_c = sum(1 for s, d, f, _ in pkts if f & RST and s == client)
    rst_s = sum(1 for s, d, f, _ in pkts if f & RST and s == server)
    data_c = sum(l for s, d, f, l in pkts if s == client)
    data_s = sum(l for s, d, f, l in pkts if s == server)
    if basis == "mid-stream":
        state = "mid-stream"
    elif synack == 0 and rst_s:
        state = "refused"
    elif synack == 0:
        state = "unanswered"
    elif rst_c or rst_s:
        state = "reset(by " + ("client" if rst_c and not rst_s else
                               "server" if rst_s and not rst_c else "both") + ")"
    elif fin_c and fin_s:
        state = "closed"
    elif fin_c or fin_s:
        state = "half-closed(" + ("client" if fin_c else "server") + " FIN)"
    else:
        state = "established"
    return dict(server=server, client=client, basis=basis, state=state,
                packets=len(pkts), syn=syn, synack=synack,
                rst_c=rst_c, rst_s=rst_s, data_c=data_c, data_s=data_s)


def summarize(path):
    return [dict(stream=k, **classify(v)) for k, v in load(path).items()]


def server_table(rows):
    """server address:port -> Counter(state -> connections), sorted by server."""
    table = collections.OrderedDict()
    for r in sorted(rows, key=lambda r: (":" in r['server'][0], r['server'][0],
                                         r['server'][1])):
        table.setdefault(fmt(*r['server']), collections.Counter())[r['state']] += 1
    return table


def main():
    path = sys.argv[1]
    rows = summarize(path)
    print(f"# {path}: {len(rows)} TCP streams")
    print(f"{'stream':>6} {'client':<24} {'server':<24} {'basis':<10} {'state':<22}"
          f" {'pkts':>5} {'c->s':>8} {'s->c':>8}")
    for r in rows:
        print(f"{r['stream']:>6} {fmt(*r['client']):<24} {fmt(*r['server']):<24}"
              f" {r['basis']:<10} {r['state']:<22} {r['packets']:>5}"
              f" {r['data_c']:>8} {r['data_s']:>8}")
    table = server_table(rows)
    print()
    print("| server | connections | states |")
    print("|---|---:|---|")
    for srv, c in table.items():
        states = ", ".join(f"{n} {st}" for st, n in sorted(c.items()))
        print(f"| {srv} | {sum(c.values())} | {states} |")


if __name__ == "__main__":
    main()
