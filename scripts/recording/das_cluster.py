#!/usr/bin/python3
"""Real servers and clients for the dasaudit capture "das-cluster-offset4".

Run with Debian's /usr/bin/python3 (it sees apt's python3-thrift). It reuses the
Thrift, echo and client code of das_scenario.py; the entry points are the same:

  das_cluster.py serve KIND HOST PORT [--certdir DIR] [--name NAME]
      one real listening server process; prints "READY" once it listens.
      KIND: thrift-tls (Apache Thrift over TLS, client certificate required),
            http (http.server), https (http.server over TLS), echo (TCP echo).

  das_cluster.py run --out FILE --certdir DIR [--quick]
      starts tcpdump -i lo, then every server as its own process, runs the
      clients one after another, and stops tcpdump (SIGINT) a second after the
      last client. Every connection is closed (FIN both ways) before that,
      except the two refused connects to 7615.

  das_cluster.py check FILE
      compares a recording with EXPECTED (server endpoint -> state -> count).

The scenario is a DAS 3.1-style cluster (Spark 1.6) at port offset 4, Spark
cluster mode, 2 cores per node:

  das1 127.0.0.1  master + driver + receiver
      spark.master.port 7081, spark.master.webui.port 8085 (HTTP),
      thrift TCP 7615 (expected, but NOTHING listens: 2 refused connects),
      thrift SSL 7715 (TLS), spark.driver.port 13004, the Spark 1.6 driver actor
      system 13005 (driver port + 1), spark.ui.port 4044 (HTTP), executors
      12004-12006, management console HTTPS 9447 (9443+4), Hazelcast 4000
      (not shifted by the offset)
  das2 127.0.0.2  worker + presenter
      spark.worker.port 11004, spark.worker.webui.port 11504 (HTTP), executors
      12004, 12005 and 12007 (outside the worker's 12004-12005), spark.executor.port
      13504; connects to 127.0.0.1:4000
  das3 127.0.0.3  worker, misconfigured with offset 7 instead of 4
      11007, 11507 (HTTP), 12007; connects to 127.0.0.1:4000
  rogue 127.0.0.1:9090 (HTTP), in no catalog
"""
import argparse
import os
import signal
import socket
import ssl
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import das_scenario as base   # noqa: E402  (servers and clients of das-offset3)

OFFSET = 4
MISCONFIGURED_OFFSET = 7
CORES = 2
DAS1, DAS2, DAS3 = "127.0.0.1", "127.0.0.2", "127.0.0.3"

MASTER = 7077 + OFFSET            # 7081  spark.master.port
MASTER_UI = 8081 + OFFSET         # 8085  spark.master.webui.port
THRIFT = 7611 + OFFSET            # 7615  thrift TCP receiver: nothing listens
THRIFT_SSL = 7711 + OFFSET        # 7715  thrift SSL receiver
DRIVER = 13000 + OFFSET           # 13004 spark.driver.port
DRIVER_ACTOR = DRIVER + 1         # 13005 sparkDriverActorSystem (Spark 1.6)
SPARK_UI = 4040 + OFFSET          # 4044  spark.ui.port
BM = 12000 + OFFSET               # 12004 spark.blockManager.port
MASTER_EXECS = [BM, BM + 1, BM + 2]   # 12004-12006: driver + 2 executors (2 cores)
WORKER_EXECS = [BM, BM + 1]           # 12004-12005: 2 executors (2 cores)
EXEC_OUT = BM + 3                 # 12007 outside the worker's range
WORKER = 11000 + OFFSET           # 11004 spark.worker.port (= HA presenter 11000+4)
WORKER_UI = 11500 + OFFSET        # 11504 spark.worker.webui.port
EXECUTOR = 13500 + OFFSET         # 13504 spark.executor.port
CONSOLE = 9443 + OFFSET           # 9447  management console HTTPS
HAZELCAST = 4000                  # not shifted by the offset
BAD = MISCONFIGURED_OFFSET
DAS3_WORKER = 11000 + BAD         # 11007
DAS3_WORKER_UI = 11500 + BAD      # 11507
DAS3_BM = 12000 + BAD             # 12007
ROGUE = (DAS1, 9090)

# (kind, host, port, name) of every server process; name = the HTTP Server header
SERVERS = [
    ("echo", DAS1, MASTER, ""),
    ("http", DAS1, MASTER_UI, "das1-spark-master-ui"),
    ("thrift-tls", DAS1, THRIFT_SSL, ""),
    ("echo", DAS1, DRIVER, ""),
    ("echo", DAS1, DRIVER_ACTOR, ""),
    ("http", DAS1, SPARK_UI, "das1-spark-ui"),
] + [("echo", DAS1, p, "") for p in MASTER_EXECS] + [
    ("https", DAS1, CONSOLE, "das1-carbon-console"),
    ("echo", DAS1, HAZELCAST, ""),
    ("echo", DAS2, WORKER, ""),
    ("http", DAS2, WORKER_UI, "das2-spark-worker-ui"),
] + [("echo", DAS2, p, "") for p in WORKER_EXECS] + [
    ("echo", DAS2, EXEC_OUT, ""),
    ("echo", DAS2, EXECUTOR, ""),
    ("echo", DAS3, DAS3_WORKER, ""),
    ("http", DAS3, DAS3_WORKER_UI, "das3-spark-worker-ui"),
    ("echo", DAS3, DAS3_BM, ""),
    ("http", ROGUE[0], ROGUE[1], "rogue"),
]

# what summarize.py must find in a recording of this scenario:
# server address:port -> {state: connections}
EXPECTED = {
    "127.0.0.1:4000": {"closed": 2},
    "127.0.0.1:4044": {"closed": 1},
    "127.0.0.1:7081": {"closed": 2},
    "127.0.0.1:7615": {"refused": 2},
    "127.0.0.1:7715": {"closed": 1},
    "127.0.0.1:8085": {"closed": 1},
    "127.0.0.1:9090": {"closed": 1},
    "127.0.0.1:9447": {"closed": 1},
    "127.0.0.1:12004": {"closed": 1},
    "127.0.0.1:12005": {"closed": 1},
    "127.0.0.1:12006": {"closed": 1},
    "127.0.0.1:13004": {"closed": 2},
    "127.0.0.1:13005": {"closed": 1},
    "127.0.0.2:11004": {"closed": 1},
    "127.0.0.2:11504": {"closed": 1},
    "127.0.0.2:12004": {"closed": 1},
    "127.0.0.2:12005": {"closed": 1},
    "127.0.0.2:12007": {"closed": 1},
    "127.0.0.2:13504": {"closed": 1},
    "127.0.0.3:11007": {"closed": 2},
    "127.0.0.3:11507": {"closed": 1},
    "127.0.0.3:12007": {"closed": 2},
}
# the client address of every connection, checked too: server -> sorted clients
EXPECTED_CLIENTS = {
    "127.0.0.1:4000": [DAS2, DAS3],
    "127.0.0.1:7081": [DAS1, DAS2],
    "127.0.0.1:13004": [DAS1, DAS2],
    "127.0.0.1:13005": [DAS2],
    "127.0.0.1:12004": [DAS2],
    "127.0.0.1:12005": [DAS2],
    "127.0.0.1:12006": [DAS2],
}                                  # every other connection comes from 127.0.0.1
ALL_PORTS = sorted({p for _, _, p, _ in SERVERS} | {THRIFT})


# ----------------------------------------------------------------- servers

def serve_http(host, port, name, certdir=None):
    """http.server; over TLS when certdir is given (the management console).

    Each connection ends the same way: the server answers (HTTP/1.0, so
    one request per connection), sends its FIN, reads until the client's FIN
    (for TLS this swallows curl's close_notify) and only then closes; so no
    byte ever reaches a closed socket and no RST is sent.
    """
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        server_version = name or "BaseHTTP"

        def do_GET(self):
            body = ("<html><head><title>%s</title></head><body>%s %s</body></html>\n"
                    % (name, self.path, time.strftime("%H:%M:%S"))).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def shutdown_request(self, request):
            try:
                request.shutdown(socket.SHUT_WR)   # on TLS: drops TLS, sends FIN
                request.settimeout(5)
                while request.recv(65536):
                    pass
            except OSError:
                pass
            request.close()

    httpd = Server((host, port), Handler)
    if certdir:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(os.path.join(certdir, "server.crt"),
                            os.path.join(certdir, "server.key"))
        httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    print("READY", flush=True)
    httpd.serve_forever()


# ----------------------------------------------------------------- clients

def curl(url, source, cacert=None):
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    cmd = ["curl", "-sS", "--noproxy", "*", "--interface", source,
           "-o", "/dev/null", "-w", "%{http_code}"]
    if cacert:
        cmd += ["--cacert", cacert]
    out = subprocess.run(cmd + [url], check=True, capture_output=True, text=True,
                         env=env).stdout
    if out != "200":
        raise RuntimeError("%s answered %s" % (url, out))


def echo(host, port, source, *messages):
    base.echo_client(host, port, list(messages), source=source)


def run(args):
    busy = base.listening_ports() & set(ALL_PORTS)
    if busy:
        sys.exit("ports already listening, stop their servers first: %s" % sorted(busy))
    pause = 0.05 if args.quick else 0.15

    bpf = "tcp and net 127.0.0.0/8 and (%s)" % " or ".join("port %d" % p for p in ALL_PORTS)
    if os.path.exists(args.out):
        os.unlink(args.out)
    tcpdump_cmd = ["tcpdump", "-i", "lo", "-U", "-w", args.out, bpf]
    base.log("$", " ".join(tcpdump_cmd[:-1]), "'%s'" % bpf)
    tcpdump = subprocess.Popen(tcpdump_cmd, stderr=subprocess.PIPE, text=True)
    line = tcpdump.stderr.readline()
    while line and "listening on" not in line:
        base.log("tcpdump:", line.rstrip())
        line = tcpdump.stderr.readline()
    if "listening on" not in line:
        sys.exit("tcpdump did not start")
    base.log("tcpdump:", line.rstrip())

    procs = []
    cacert = os.path.join(args.certdir, "server.crt")
    try:
        for kind, host, port, name in SERVERS:
            p = subprocess.Popen([sys.executable, os.path.abspath(__file__), "serve",
                                  kind, host, str(port), "--certdir", args.certdir,
                                  "--name", name],
                                 stdout=subprocess.PIPE, text=True)
            procs.append(p)
            if p.stdout.readline().strip() != "READY":
                sys.exit("server %s %s:%d did not start" % (kind, host, port))
        base.log("servers listening:",
                 ", ".join("%s %s:%d" % s[:3] for s in SERVERS))

        # Hazelcast membership (4000, not shifted): das2 and das3 join das1
        echo(DAS1, HAZELCAST, DAS2, b"HZC join das2 127.0.0.2:4000\n", b"member-list?\n")
        echo(DAS1, HAZELCAST, DAS3, b"HZC join das3 127.0.0.3:4000\n", b"member-list?\n")
        time.sleep(pause)
        # Spark master 7081: das2's worker registers, then das1's driver (the
        # application client) registers its application; master web UI 8085
        echo(DAS1, MASTER, DAS2, b"RegisterWorker worker-das2 127.0.0.2:11004 cores=2\n")
        echo(DAS1, MASTER, DAS1, b"RegisterApplication CarbonAnalytics\n")
        curl("http://%s:%d/" % (DAS1, MASTER_UI), DAS1)
        time.sleep(pause)
        # the master (das1) talks to das2's worker (11004) and web UI (11504)
        echo(DAS2, WORKER, DAS1, b"LaunchExecutor app-0 exec-1 cores=2\n")
        curl("http://%s:%d/" % (DAS2, WORKER_UI), DAS1)
        time.sleep(pause)
        # ... and to das3's, which run at offset 7: 11007, 11507, 12007
        for i in range(2):
            echo(DAS3, DAS3_WORKER, DAS1, b"LaunchExecutor app-0 exec-%d cores=2\n" % (i + 2))
        curl("http://%s:%d/" % (DAS3, DAS3_WORKER_UI), DAS1)
        for i in range(2):
            echo(DAS3, DAS3_BM, DAS1, b"FetchBlock rdd_3_%d\n" % i, b"v" * 700)
        time.sleep(pause)
        # the thrift receivers of das1: TCP 7615 is expected but nothing listens
        # (two refused connects); SSL 7715 takes one TLS connection
        for _ in range(2):
            base.attempt_refused((DAS1, THRIFT))
        base.thrift_client(DAS1, THRIFT_SSL, 2, certdir=args.certdir)
        time.sleep(pause)
        # the driver on das1: executors connect to 13004 (das1's and das2's),
        # das2's executor also to the Spark 1.6 driver actor system 13005
        echo(DAS1, DRIVER, DAS1, b"RegisterExecutor exec-0 127.0.0.1\n", b"Heartbeat\n")
        echo(DAS1, DRIVER, DAS2, b"RegisterExecutor exec-1 127.0.0.2\n", b"Heartbeat\n")
        echo(DAS1, DRIVER_ACTOR, DAS2,
             b"akka.tcp://sparkDriverActorSystem@127.0.0.1:13005 Identify\n")
        curl("http://%s:%d/jobs/" % (DAS1, SPARK_UI), DAS1)
        time.sleep(pause)
        # block managers: das2 fetches from das1's 12004-12006, das1 from das2's
        # 12004, 12005 and from 12007 (an executor outside the worker's range)
        for i, p in enumerate(MASTER_EXECS):
            echo(DAS1, p, DAS2, b"FetchBlock broadcast_%d\n" % i, b"x" * 1500)
        for i, p in enumerate(WORKER_EXECS + [EXEC_OUT]):
            echo(DAS2, p, DAS1, b"FetchBlock shuffle_0_%d_0\n" % i, b"y" * 1200)
        # the driver reaches das2's executor (spark.executor.port 13504)
        echo(DAS2, EXECUTOR, DAS1, b"LaunchTask task-0.0\n", b"z" * 900)
        time.sleep(pause)
        # management console (HTTPS 9447) and a rogue HTTP server (9090)
        curl("https://%s:%d/carbon/admin/login.jsp" % (DAS1, CONSOLE), DAS1, cacert)
        curl("http://%s:%d/" % ROGUE, DAS1)
        time.sleep(1.0)                           # a second after the last client
    finally:
        tcpdump.send_signal(signal.SIGINT)
        rest = tcpdump.communicate(timeout=10)[1]
        for line in rest.splitlines():
            base.log("tcpdump:", line)
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=10)
    base.log("wrote", args.out)


def check(path):
    """Compare a recording with EXPECTED and EXPECTED_CLIENTS; exit non-zero on
    any difference."""
    import summarize
    rows = summarize.summarize(path)
    got = {srv: dict(c) for srv, c in summarize.server_table(rows).items()}
    bad = False
    for srv in sorted(set(got) | set(EXPECTED)):
        if got.get(srv) != EXPECTED.get(srv):
            base.log("MISMATCH %s: expected %s, recorded %s"
                     % (srv, EXPECTED.get(srv), got.get(srv)))
            bad = True
    for srv in EXPECTED:
        clients = sorted(r["client"][0] for r in rows
                         if summarize.fmt(*r["server"]) == srv)
        want = EXPECTED_CLIENTS.get(srv, [DAS1] * sum(EXPECTED[srv].values()))
        if clients != want:
            base.log("MISMATCH %s: clients %s, expected %s" % (srv, clients, want))
            bad = True
    if bad:
        sys.exit("%s does not match the scenario" % path)
    base.log("%s: all %d server endpoints and their clients as expected"
             % (path, len(EXPECTED)))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("kind", choices=["thrift-tls", "http", "https", "echo"])
    s.add_argument("host")
    s.add_argument("port", type=int)
    s.add_argument("--certdir")
    s.add_argument("--name", default="")
    r = sub.add_parser("run")
    r.add_argument("--out", required=True)
    r.add_argument("--certdir", required=True)
    r.add_argument("--quick", action="store_true")
    c = sub.add_parser("check")
    c.add_argument("file")
    a = ap.parse_args()
    if a.cmd == "serve":
        signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
        if a.kind == "thrift-tls":
            base.serve_thrift(a.host, a.port, a.certdir, tls=True)
        elif a.kind in ("http", "https"):
            serve_http(a.host, a.port, a.name, a.certdir if a.kind == "https" else None)
        else:
            base.serve_echo(a.host, a.port)
    elif a.cmd == "check":
        check(a.file)
    else:
        run(a)


if __name__ == "__main__":
    main()
