#!/usr/bin/python3
"""Real servers and clients for the dasaudit captures "diff-baseline" and "diff-rogue":
the same small cluster recorded twice, the second time with a rogue service added, for
the tests of `dasaudit diff` (Tests/EndToEndTests/DiffCommandTests.swift).

  diff_pair.py run --baseline FILE --current FILE

A Spark standalone-like cluster at port offset 5, cluster mode, 2 cores per node (the
DAS profile); every server is a real listening process (das_scenario.py's echo and
HTTP servers), every client a real connect over loopback:

  127.0.0.1 master + driver: spark.master.port 7082, spark.master.webui.port 8086
      (HTTP), spark.driver.port 13005, spark.ui.port 4045 (HTTP), executors 12005, 12006
  127.0.0.2 worker: spark.worker.port 11005, spark.worker.webui.port 11505 (HTTP),
      executor 12005
  current only: a rogue HTTP server on 127.0.0.9:31338, in no catalog, fetched twice

Each recording is `tcpdump -i lo` filtered to the scenario's ports; the servers run for
both recordings, so the baseline's servers are the same processes in both.
"""
import argparse
import os
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import das_scenario as base   # noqa: E402

MASTER, WORKER, ROGUE = "127.0.0.1", "127.0.0.2", "127.0.0.9"
SERVERS = [("echo", MASTER, 7082), ("http", MASTER, 8086), ("echo", MASTER, 13005), ("http", MASTER, 4045),
           ("echo", MASTER, 12005), ("echo", MASTER, 12006),
           ("echo", WORKER, 11005), ("http", WORKER, 11505), ("echo", WORKER, 12005)]
ROGUE_SERVER = ("http", ROGUE, 31338)


def start(kind, host, port):
    p = subprocess.Popen([sys.executable, os.path.join(HERE, "das_scenario.py"), "serve", kind, host, str(port)],
                         stdout=subprocess.PIPE, text=True)
    if p.stdout.readline().strip() != "READY":
        raise RuntimeError("%s server on %s:%d did not start" % (kind, host, port))
    return p


def clients(with_rogue):
    base.echo_client(MASTER, 7082, [b"RegisterWorker worker-1 127.0.0.2:11005"], source=WORKER)
    base.echo_client(MASTER, 7082, [b"RegisterApplication app-1"], source=MASTER)
    base.curl("http://%s:8086/" % MASTER)
    base.echo_client(MASTER, 13005, [b"RegisterExecutor 1"], source=WORKER)
    base.curl("http://%s:4045/jobs/" % MASTER)
    base.echo_client(MASTER, 12005, [b"block fetch 1"], source=WORKER)
    base.echo_client(MASTER, 12006, [b"block fetch 2"], source=WORKER)
    base.echo_client(WORKER, 11005, [b"LaunchExecutor app-1 1"], source=MASTER)
    base.curl("http://%s:11505/" % WORKER)
    base.echo_client(WORKER, 12005, [b"block put 1"], source=MASTER)
    if with_rogue:
        base.curl("http://%s:31338/" % ROGUE)
        base.curl("http://%s:31338/admin" % ROGUE)


def record(path, with_rogue):
    ports = sorted({port for _, _, port in SERVERS + [ROGUE_SERVER]})
    bpf = "tcp and net 127.0.0.0/8 and (%s)" % " or ".join("port %d" % p for p in ports)
    dump = subprocess.Popen(["tcpdump", "-i", "lo", "-U", "-w", path, bpf], stderr=subprocess.PIPE, text=True)
    while "listening on" not in dump.stderr.readline():
        pass
    clients(with_rogue)
    time.sleep(1)
    dump.send_signal(signal.SIGINT)
    dump.wait()


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--baseline", required=True)
    r.add_argument("--current", required=True)
    a = ap.parse_args()
    servers = [start(*s) for s in SERVERS]
    try:
        record(a.baseline, with_rogue=False)
        servers.append(start(*ROGUE_SERVER))
        record(a.current, with_rogue=True)
    finally:
        for p in servers:
            p.terminate()
            p.wait()


if __name__ == "__main__":
    main()
