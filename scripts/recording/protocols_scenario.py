#!/usr/bin/python3
"""Real traffic of every protocol dasaudit recognizes, on loopback, for
scripts/recording/record-protocols.sh. Run with Debian's /usr/bin/python3 (apt's
python3-thrift). Every server and client is the real component:

  protocols   Apache Thrift (python3-thrift: compact buffered, binary framed strict,
              binary buffered old style), TLS 1.0 / 1.1 / 1.2 / 1.3 (openssl s_server and
              s_client), HTTP (python http.server, curl), HTTP/2 prior knowledge (curl),
              SSH (openssh-server), JMX remote (OpenJDK, a javac-compiled client).
  misconfigured
              Two DAS receiver nodes at offset 0. das1 (127.0.0.1) is right: thrift on
              7611, thrift over TLS on 7711, the management console on 9443 with TLS 1.3.
              das2 (127.0.0.2) is not: HTTP on 7611, thrift in the clear on 7711, TLS 1.0
              on 9443.

Usage: protocols_scenario.py SCENARIO WORKDIR (the caller records lo with tcpdump).
"""
import os
import subprocess
import sys
import threading
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "gen_py"))
warnings.simplefilter("ignore", DeprecationWarning)

SECLEVEL0 = "DEFAULT:@SECLEVEL=0"


def start(args, ready=None, **kw):
    """Starts a server process; waits for the line `ready` on its output, or a moment."""
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    if ready:
        for line in p.stdout:
            if ready in line:
                break
    else:
        time.sleep(0.6)
    threading.Thread(target=lambda: p.stdout.read(), daemon=True).start()
    return p


def run(args, stdin=None):
    subprocess.run(args, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60,
                   text=True)


# ------------------------------------------------------------------ thrift

def thrift_server(host, port, protocol, framed, tls=None):
    from thrift.protocol import TBinaryProtocol, TCompactProtocol
    from thrift.server import TServer
    from thrift.transport import TSocket, TSSLSocket, TTransport
    from dasevents import EventReceiver

    class Handler:
        def connect(self, userName, password):
            return userName + "-1"

        def publish(self, sessionId, events):
            return len(events)

        def disconnect(self, sessionId):
            pass

    if tls:
        transport = TSSLSocket.TSSLServerSocket(host=host, port=port, certfile=tls[0], keyfile=tls[1])
    else:
        transport = TSocket.TServerSocket(host=host, port=port)
    factory = TTransport.TFramedTransportFactory() if framed else TTransport.TBufferedTransportFactory()
    if protocol == "compact":
        proto = TCompactProtocol.TCompactProtocolFactory()
    else:
        # Servers answer in the strict form (python3-thrift cannot write old-style replies).
        proto = TBinaryProtocol.TBinaryProtocolFactory(strictRead=False, strictWrite=True)
    server = TServer.TThreadedServer(EventReceiver.Processor(Handler()), transport, factory, proto, daemon=True)
    threading.Thread(target=server.serve, daemon=True).start()
    time.sleep(0.3)


def thrift_client(host, port, protocol, framed, tls=False):
    from thrift.protocol import TBinaryProtocol, TCompactProtocol
    from thrift.transport import TSocket, TSSLSocket, TTransport
    from dasevents import EventReceiver

    sock = TSSLSocket.TSSLSocket(host=host, port=port, validate=False) if tls else TSocket.TSocket(host=host, port=port)
    transport = TTransport.TFramedTransport(sock) if framed else TTransport.TBufferedTransport(sock)
    if protocol == "compact":
        proto = TCompactProtocol.TCompactProtocol(transport)
    else:
        proto = TBinaryProtocol.TBinaryProtocol(transport, strictRead=False, strictWrite=(protocol == "binary"))
    client = EventReceiver.Client(proto)
    transport.open()
    sid = client.connect("admin", "admin")
    client.publish(sid, ['{"stream":"org.wso2.test:1.0.0","payload":[%d]}' % i for i in range(3)])
    client.disconnect(sid)
    transport.close()


# ------------------------------------------------------------------ others

def tls_server(host, port, cert, key, version):
    return start(["openssl", "s_server", "-accept", "%s:%d" % (host, port), "-cert", cert, "-key", key,
                  "-" + version, "-cipher", SECLEVEL0, "-www"], ready="ACCEPT")


def tls_client(host, port, version):
    run(["openssl", "s_client", "-connect", "%s:%d" % (host, port), "-" + version, "-cipher", SECLEVEL0,
         "-quiet"], stdin="GET / HTTP/1.0\r\n\r\n")


def http_server(host, port):
    return start([sys.executable, "-m", "http.server", "--bind", host, str(port), "--directory", HERE])


def protocols(work):
    cert, key = os.path.join(work, "server.crt"), os.path.join(work, "server.key")
    host = "127.0.0.1"
    procs = []
    try:
        thrift_server(host, 17611, "compact", framed=False)
        thrift_client(host, 17611, "compact", framed=False)
        thrift_server(host, 17612, "binary", framed=True)
        thrift_client(host, 17612, "binary", framed=True)
        thrift_server(host, 17613, "binary-old", framed=False)
        try:
            # python3-thrift's server cannot read old-style names (it reads them as bytes
            # and fails); the client's old-style request is what this connection is for.
            thrift_client(host, 17613, "binary-old", framed=False)
        except Exception:
            pass
        for port, version in [(18441, "tls1"), (18442, "tls1_1"), (18443, "tls1_2"), (18444, "tls1_3")]:
            procs.append(tls_server(host, port, cert, key, version))
            tls_client(host, port, version)
        procs.append(http_server(host, 18080))
        run(["curl", "-s", "-o", "/dev/null", "http://%s:18080/" % host])
        run(["curl", "-s", "-o", "/dev/null", "--http2-prior-knowledge", "http://%s:18080/" % host])
        os.makedirs("/run/sshd", exist_ok=True)
        procs.append(start(["/usr/sbin/sshd", "-D", "-e", "-p", "18022", "-o", "ListenAddress=%s" % host,
                            "-h", os.path.join(work, "ssh_host_ed25519_key")]))
        run(["ssh", "-p", "18022", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
             "-o", "UserKnownHostsFile=/dev/null", "nobody@%s" % host, "true"])
        jmx = os.path.join(work, "jmx")
        procs.append(start(["java", "-cp", jmx, "-Dcom.sun.management.jmxremote.port=19999",
                            "-Dcom.sun.management.jmxremote.rmi.port=19999",
                            "-Dcom.sun.management.jmxremote.authenticate=false",
                            "-Dcom.sun.management.jmxremote.ssl=false",
                            "-Djava.rmi.server.hostname=%s" % host, "JmxIdle"], ready="READY"))
        run(["java", "-cp", jmx, "JmxQuery", host, "19999"])
    finally:
        for p in procs:
            p.terminate()
            p.wait()


def misconfigured(work):
    cert, key = os.path.join(work, "server.crt"), os.path.join(work, "server.key")
    good, bad = "127.0.0.1", "127.0.0.2"
    procs = []
    try:
        # das1: as the catalog says.
        thrift_server(good, 7611, "binary", framed=True)
        thrift_server(good, 7711, "binary", framed=True, tls=(cert, key))
        procs.append(tls_server(good, 9443, cert, key, "tls1_3"))
        # das2: HTTP on the thrift port, thrift in the clear on the SSL port, TLS 1.0 console.
        procs.append(http_server(bad, 7611))
        thrift_server(bad, 7711, "binary", framed=True)
        procs.append(tls_server(bad, 9443, cert, key, "tls1"))
        for host in (good, bad):
            if host == good:
                thrift_client(host, 7611, "binary", framed=True)
                thrift_client(host, 7711, "binary", framed=True, tls=True)
                tls_client(host, 9443, "tls1_3")
            else:
                run(["curl", "-s", "-o", "/dev/null", "http://%s:7611/" % host])
                thrift_client(host, 7711, "binary", framed=True)
                tls_client(host, 9443, "tls1")
    finally:
        for p in procs:
            p.terminate()
            p.wait()


if __name__ == "__main__":
    {"protocols": protocols, "misconfigured": misconfigured}[sys.argv[1]](sys.argv[2])
