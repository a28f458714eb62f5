#!/usr/bin/python3
"""Real servers and clients for the dasaudit capture "das-offset3".

Run with Debian's /usr/bin/python3 (it sees apt's python3-thrift). Two entry points:

  das_scenario.py serve KIND HOST PORT [--certdir DIR]
      one real listening server process; prints "READY" once it listens.
      KIND: thrift (Apache Thrift, TFramedTransport + TBinaryProtocol over TSocket),
            thrift-tls (the same over TSSLServerSocket, client certificate required),
            http (http.server), echo (a TCP echo server).

  das_scenario.py run --iface lo|any --out FILE --certdir DIR [--quick]
      starts tcpdump, then every server as its own process, runs the clients,
      stops tcpdump (SIGINT) one second after the last client finished while one
      connection is still open, then closes that connection and stops the servers.

The scenario is a DAS-like node set at port offset 3, local Spark mode, 1 core:
  node A 127.0.0.1 (and ::1): thrift 7614, thrift SSL 7714, Spark UI 4043,
      driver 13003, block manager 12003 (driver) and 12004 (executor)
  node B 127.0.0.2: executor 12003 (allowed), 12006 (outside the allowed range)
  rogue: 127.0.0.5:8888 (HTTP), 127.0.0.1:40123 (ephemeral-range listener)
  attempts: 127.0.0.1:5432 refused, 127.0.0.3:9999 unanswered (a firewall rule,
      set up by record-captures.sh, drops its SYNs)
"""
import argparse
import os
import signal
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time
import warnings



def quiet_thrift_ssl():
    # thrift 0.17's TSSLSocket turns DeprecationWarnings back on at import; its
    # ssl.PROTOCOL_TLS and ssl.match_hostname warnings are noise here
    from thrift.transport import TSSLSocket  # noqa: F401
    warnings.simplefilter("ignore", DeprecationWarning)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "gen_py"))

OFFSET = 3
THRIFT = 7611 + OFFSET          # 7614  thrift TCP receiver
THRIFT_SSL = 7711 + OFFSET      # 7714  thrift SSL receiver
SPARK_UI = 4040 + OFFSET        # 4043  spark.ui.port
DRIVER = 13000 + OFFSET         # 13003 spark.driver.port
BM = 12000 + OFFSET             # 12003 spark.blockManager.port (driver)
EXEC1 = BM + 1                  # 12004 the one executor on the master (1 core)
EXEC_OUT = BM + 3               # 12006 outside the allowed range on a worker
NODE_A, NODE_B = "127.0.0.1", "127.0.0.2"
ROGUE_HTTP = ("127.0.0.5", 8888)
EPHEMERAL_LISTENER = (NODE_A, 40123)
REFUSED = (NODE_A, 5432)
UNANSWERED = ("127.0.0.3", 9999)

# (kind, host, port) of every server process
SERVERS = [
    ("thrift", NODE_A, THRIFT),
    ("thrift", "::1", THRIFT),
    ("thrift-tls", NODE_A, THRIFT_SSL),
    ("http", NODE_A, SPARK_UI),
    ("echo", NODE_A, DRIVER),
    ("echo", NODE_A, BM),
    ("echo", NODE_A, EXEC1),
    ("echo", NODE_B, BM),
    ("echo", NODE_B, EXEC_OUT),
    ("http", ROGUE_HTTP[0], ROGUE_HTTP[1]),
    ("echo", EPHEMERAL_LISTENER[0], EPHEMERAL_LISTENER[1]),
]
# what summarize.py must find in a recording of this scenario:
# server address:port -> {state: connections}
EXPECTED = {
    "127.0.0.1:7614": {"closed": 3},
    "[::1]:7614": {"closed": 1},
    "127.0.0.1:7714": {"closed": 2},
    "127.0.0.1:4043": {"closed": 2},
    "127.0.0.1:13003": {"closed": 2, "established": 1},
    "127.0.0.1:12003": {"closed": 2},
    "127.0.0.1:12004": {"closed": 1},
    "127.0.0.2:12003": {"closed": 2},
    "127.0.0.2:12006": {"closed": 1, "reset(by client)": 1},
    "127.0.0.5:8888": {"closed": 2},
    "127.0.0.1:40123": {"closed": 1},
    "127.0.0.1:5432": {"refused": 1},
    "127.0.0.3:9999": {"unanswered": 1},
}
# every server port plus the attempted ones: the capture filter
ALL_PORTS = sorted({p for _, _, p in SERVERS} | {REFUSED[1], UNANSWERED[1]})


def log(*a):
    print("[scenario]", *a, file=sys.stderr, flush=True)


# ----------------------------------------------------------------- servers

def serve_thrift(host, port, certdir, tls):
    from thrift.protocol import TBinaryProtocol
    from thrift.server import TServer
    from thrift.transport import TSocket, TSSLSocket, TTransport
    from dasevents import EventReceiver
    from dasevents.ttypes import ReceiverError
    quiet_thrift_ssl()

    class Handler:
        def __init__(self):
            self.sessions = {}
            self.lock = threading.Lock()

        def connect(self, userName, password):
            with self.lock:
                sid = "%s-%d" % (userName, len(self.sessions) + 1)
                self.sessions[sid] = 0
            return sid

        def publish(self, sessionId, events):
            with self.lock:
                if sessionId not in self.sessions:
                    raise ReceiverError("unknown session %s" % sessionId)
                self.sessions[sessionId] += len(events)
            return len(events)

        def disconnect(self, sessionId):
            with self.lock:
                self.sessions.pop(sessionId, None)

    if tls:
        transport = TSSLSocket.TSSLServerSocket(
            host=host, port=port,
            certfile=os.path.join(certdir, "server.crt"),
            keyfile=os.path.join(certdir, "server.key"),
            ca_certs=os.path.join(certdir, "client.crt"),
            cert_reqs=ssl.CERT_REQUIRED)   # the client is authenticated
    else:
        transport = TSocket.TServerSocket(host=host, port=port)
    transport.listen()
    transport.listen = lambda: None       # serve() would listen a second time
    server = TServer.TThreadedServer(
        EventReceiver.Processor(Handler()), transport,
        TTransport.TFramedTransportFactory(),
        TBinaryProtocol.TBinaryProtocolFactory(), daemon=True)
    print("READY", flush=True)
    server.serve()


def serve_http(host, port):
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        server_version = "SparkUI/1.6.2" if port == SPARK_UI else "rogue/0.1"

        def do_GET(self):
            body = ("<html><head><title>%s</title></head><body>%s %s</body></html>\n"
                    % (self.server_version, self.path, time.strftime("%H:%M:%S"))).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    ThreadingHTTPServer.daemon_threads = True
    httpd = ThreadingHTTPServer((host, port), Handler)
    print("READY", flush=True)
    httpd.serve_forever()


def serve_echo(host, port):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((host, port))
    ls.listen(16)
    print("READY", flush=True)

    def handle(c):
        try:
            while True:
                data = c.recv(65536)
                if not data:
                    break
                c.sendall(data)
        except OSError:
            pass                     # e.g. the client reset the connection
        finally:
            c.close()

    while True:
        c, _ = ls.accept()
        threading.Thread(target=handle, args=(c,), daemon=True).start()


# ----------------------------------------------------------------- clients

def thrift_client(host, port, n_calls, certdir=None):
    from thrift.protocol import TBinaryProtocol
    from thrift.transport import TSocket, TSSLSocket, TTransport
    from dasevents import EventReceiver
    quiet_thrift_ssl()

    if certdir:
        sock = TSSLSocket.TSSLSocket(
            host=host, port=port, server_hostname="localhost",
            ca_certs=os.path.join(certdir, "server.crt"),
            certfile=os.path.join(certdir, "client.crt"),
            keyfile=os.path.join(certdir, "client.key"),
            cert_reqs=ssl.CERT_REQUIRED)
    else:
        sock = TSocket.TSocket(host=host, port=port)
    transport = TTransport.TFramedTransport(sock)
    client = EventReceiver.Client(TBinaryProtocol.TBinaryProtocol(transport))
    transport.open()
    sid = client.connect("admin", "admin")
    total = 0
    for i in range(n_calls):
        events = ['{"stream":"org.wso2.test:1.0.0","ts":%d,"payload":[%d,"event-%d"]}'
                  % (int(time.time() * 1000), i, j) for j in range(3)]
        total += client.publish(sid, events)
    client.disconnect(sid)
    transport.close()
    return total


def echo_client(host, port, messages, source=None, reset=False, hold=False):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    if source:
        s.bind((source, 0))
    s.settimeout(5)
    s.connect((host, port))
    for m in messages:
        s.sendall(m)
        got = b""
        while len(got) < len(m):
            chunk = s.recv(65536)
            if not chunk:
                raise RuntimeError("echo server closed early")
            got += chunk
        assert got == m
    if hold:
        return s
    if reset:
        # SO_LINGER on with a zero timeout: close() sends RST instead of FIN
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
        return None
    s.shutdown(socket.SHUT_WR)
    while s.recv(65536):
        pass                         # wait for the server's FIN
    s.close()
    return None


def curl(url):
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    out = subprocess.run(["curl", "-sS", "--noproxy", "*", "-o", "/dev/null",
                          "-w", "%{http_code}", url],
                         check=True, capture_output=True, text=True, env=env).stdout
    if out != "200":
        raise RuntimeError("%s answered %s" % (url, out))


def attempt_refused(addr):
    s = socket.socket()
    try:
        s.settimeout(3)
        s.connect(addr)
    except ConnectionRefusedError:
        return "refused"
    finally:
        s.close()
    raise RuntimeError("%s:%d accepted a connection; it must be closed" % addr)


def attempt_unanswered(addr, wait):
    s = socket.socket()
    try:
        s.settimeout(wait)
        s.connect(addr)
    except socket.timeout:
        return "unanswered"
    except ConnectionRefusedError:
        raise RuntimeError("%s:%d refused: the DROP rule is missing" % addr)
    finally:
        s.close()                    # in SYN_SENT: no packet is sent
    raise RuntimeError("%s:%d answered" % addr)


# ----------------------------------------------------------------- orchestration

def listening_ports():
    out = subprocess.run(["ss", "-Htln"], capture_output=True, text=True).stdout
    found = set()
    for line in out.splitlines():
        local = line.split()[3]
        found.add(int(local.rsplit(":", 1)[1]))
    return found


def run(args):
    busy = listening_ports() & set(ALL_PORTS)
    if busy:
        sys.exit("ports already listening, stop their servers first: %s" % sorted(busy))
    pause = 0.05 if args.quick else 0.25

    port_filter = " or ".join("port %d" % p for p in ALL_PORTS)
    bpf = "tcp and (%s)" % port_filter
    if args.iface == "any":
        bpf = "tcp and (net 127.0.0.0/8 or ip6 host ::1) and (%s)" % port_filter
    if os.path.exists(args.out):
        os.unlink(args.out)
    tcpdump_cmd = ["tcpdump", "-i", args.iface, "-U", "-w", args.out, bpf]
    log("$", " ".join(tcpdump_cmd[:-1]), "'%s'" % bpf)
    tcpdump = subprocess.Popen(tcpdump_cmd, stderr=subprocess.PIPE, text=True)
    line = tcpdump.stderr.readline()
    while line and "listening on" not in line:
        log("tcpdump:", line.rstrip())
        line = tcpdump.stderr.readline()
    if "listening on" not in line:
        sys.exit("tcpdump did not start")
    log("tcpdump:", line.rstrip())

    procs = []
    long_lived = None
    try:
        for kind, host, port in SERVERS:
            p = subprocess.Popen([sys.executable, os.path.abspath(__file__), "serve",
                                  kind, host, str(port), "--certdir", args.certdir],
                                 stdout=subprocess.PIPE, text=True)
            procs.append(p)
            if p.stdout.readline().strip() != "READY":
                sys.exit("server %s %s:%d did not start" % (kind, host, port))
        log("servers listening:", ", ".join("%s %s:%d" % s for s in SERVERS))

        # the unanswered attempt runs in the background (its SYN is retransmitted
        # once after 1 s; the client gives up after 2.5 s without sending anything)
        results = {}
        t = threading.Thread(target=lambda: results.__setitem__(
            "unanswered", attempt_unanswered(UNANSWERED, 2.5)))
        if not args.no_unanswered:
            t.start()

        # node A: thrift receiver, 3 connections of a few calls, then one over IPv6
        for n in (2, 3, 4):
            thrift_client(NODE_A, THRIFT, n)
            time.sleep(pause)
        thrift_client("::1", THRIFT, 2)
        time.sleep(pause)
        # node A: thrift SSL receiver, 2 TLS connections with a client certificate
        for n in (1, 2):
            thrift_client(NODE_A, THRIFT_SSL, n, certdir=args.certdir)
            time.sleep(pause)
        # node A: Spark UI, 2 GET requests (one connection each)
        curl("http://%s:%d/jobs/" % (NODE_A, SPARK_UI))
        curl("http://%s:%d/executors/" % (NODE_A, SPARK_UI))
        time.sleep(pause)
        # node A: driver, 2 short connections, and the executor on node B that
        # connects to the driver and stays connected (still open at the end)
        for i in range(2):
            echo_client(NODE_A, DRIVER, [b"RegisterBlockManager %d\n" % i, b"Heartbeat\n"])
            time.sleep(pause)
        long_lived = echo_client(NODE_A, DRIVER, [b"RegisterExecutor 1 127.0.0.2\n"],
                                 source=NODE_B, hold=True)
        time.sleep(pause)
        # node A: block manager of the driver (12003) and of its executor (12004)
        for i in range(2):
            echo_client(NODE_A, BM, [b"FetchBlock rdd_0_%d\n" % i, b"x" * 2000])
        echo_client(NODE_A, EXEC1, [b"UploadBlock broadcast_0\n", b"y" * 3000])
        time.sleep(pause)
        # node B: executor port 12003 (allowed), 12006 (outside the range; the
        # second connection is reset by the client after data)
        for i in range(2):
            echo_client(NODE_B, BM, [b"FetchBlock shuffle_0_%d_0\n" % i, b"z" * 1500])
        echo_client(NODE_B, EXEC_OUT, [b"FetchBlock shuffle_1_0_0\n"])
        echo_client(NODE_B, EXEC_OUT, [b"FetchBlock shuffle_1_1_0\n", b"w" * 500],
                    reset=True)
        time.sleep(pause)
        # rogue services
        curl("http://%s:%d/" % ROGUE_HTTP)
        curl("http://%s:%d/admin" % ROGUE_HTTP)
        echo_client(EPHEMERAL_LISTENER[0], EPHEMERAL_LISTENER[1], [b"hello from a client\n"])
        time.sleep(pause)
        # attempts
        results["refused"] = attempt_refused(REFUSED)
        if not args.no_unanswered:
            t.join()
            if "unanswered" not in results:
                raise RuntimeError("the unanswered attempt failed (see above)")
        long_lived.sendall(b"Heartbeat 1\n")      # the open connection is still alive
        long_lived.recv(100)
        log("attempts:", results)
        time.sleep(1.0)                           # a second after the last client
    finally:
        tcpdump.send_signal(signal.SIGINT)
        rest = tcpdump.communicate(timeout=10)[1]
        for line in rest.splitlines():
            log("tcpdump:", line)
        if long_lived is not None:
            long_lived.close()                    # after the capture stopped
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=10)
    log("wrote", args.out)


def check(path, no_unanswered=False):
    """Compare a recording with EXPECTED; exit non-zero on any difference."""
    import summarize
    table = summarize.server_table(summarize.summarize(path))
    expected = dict(EXPECTED)
    if no_unanswered:
        expected.pop("127.0.0.3:9999")
    got = {srv: dict(c) for srv, c in table.items()}
    if got != expected:
        for srv in sorted(set(got) | set(expected)):
            if got.get(srv) != expected.get(srv):
                log("MISMATCH %s: expected %s, recorded %s"
                    % (srv, expected.get(srv), got.get(srv)))
        sys.exit("%s does not match the scenario" % path)
    log("%s: all %d server endpoints as expected" % (path, len(expected)))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("kind", choices=["thrift", "thrift-tls", "http", "echo"])
    s.add_argument("host")
    s.add_argument("port", type=int)
    s.add_argument("--certdir")
    r = sub.add_parser("run")
    r.add_argument("--iface", default="lo")
    r.add_argument("--out", required=True)
    r.add_argument("--certdir", required=True)
    r.add_argument("--quick", action="store_true")
    r.add_argument("--no-unanswered", action="store_true",
                   help="skip 127.0.0.3:9999 (no firewall to drop its SYNs)")
    c = sub.add_parser("check")
    c.add_argument("file")
    c.add_argument("--no-unanswered", action="store_true")
    a = ap.parse_args()
    if a.cmd == "serve":
        signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
        if a.kind in ("thrift", "thrift-tls"):
            serve_thrift(a.host, a.port, a.certdir, a.kind == "thrift-tls")
        elif a.kind == "http":
            serve_http(a.host, a.port)
        else:
            serve_echo(a.host, a.port)
    elif a.cmd == "check":
        check(a.file, a.no_unanswered)
    else:
        run(a)


if __name__ == "__main__":
    main()
