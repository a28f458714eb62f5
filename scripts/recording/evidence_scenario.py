#!/usr/bin/python3
"""The real peers of captures/protocol-evidence-lo.pcap, for scripts/recording/record-evidence.sh:
the protocols that OpenSSL, python3-thrift and OpenJDK's JMX could not record for
record-protocols.sh. Each command runs under the interpreter that has its library (the
caller makes one virtual environment per pinned PyPI package):

  ssl3 HOST PORT CERT KEY   an SSL 3.0 server and client, both tlslite-ng (pure Python,
                            SSL 3.0 to TLS 1.3); one connection, an HTTP/1.0 request and answer
  listen HOST PORT          a TCP listener that accepts, reads until the peer is quiet for
                            2 s, and closes; it never answers. The stand-in for a Hazelcast
                            member, whose Java jar no reachable registry ships
  hazelcast5 HOST PORT      hazelcast-python-client 5.x connecting (header "CP2", then its
                            authentication frame); it gives up when no member answers
  hazelcast3 HOST PORT      hazelcast-python-client 3.12 (header "CB2", the 3.x client
                            protocol); the same

Traffic goes to loopback only.
"""
import socket
import sys
import threading


def ssl3(host, port, cert_path, key_path):
    from tlslite.api import HandshakeSettings, TLSConnection, X509CertChain, parsePEMKey

    chain = X509CertChain()
    with open(cert_path) as f:
        chain.parsePemList(f.read())
    with open(key_path) as f:
        key = parsePEMKey(f.read(), private=True)

    def settings():
        s = HandshakeSettings()
        s.minVersion = s.maxVersion = (3, 0)  # SSL 3.0 only
        return s

    listener = socket.create_server((host, port))

    def serve():
        conn, _ = listener.accept()
        tls = TLSConnection(conn)
        tls.handshakeServer(certChain=chain, privateKey=key, settings=settings())
        tls.read()
        tls.write(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
        tls.close()

    server = threading.Thread(target=serve)
    server.start()
    tls = TLSConnection(socket.create_connection((host, port)))
    tls.handshakeClientCert(settings=settings())
    print("ssl3: negotiated", tls.version, tls.getCipherName())
    tls.write(b"GET / HTTP/1.0\r\n\r\n")
    tls.read()
    tls.close()
    server.join(10)
    listener.close()


def listen(host, port):
    listener = socket.create_server((host, port))
    print("listening", flush=True)
    while True:
        conn, _ = listener.accept()
        conn.settimeout(2)
        try:
            while conn.recv(4096):
                pass
        except OSError:
            pass
        conn.close()


def hazelcast5(host, port):
    import hazelcast

    try:
        hazelcast.HazelcastClient(cluster_members=["%s:%d" % (host, port)], cluster_connect_timeout=3,
                                  connection_timeout=2)
    except Exception as error:  # no member answers: expected
        print("hazelcast5: gave up:", type(error).__name__)


def hazelcast3(host, port):
    # hazelcast-python-client 3.12 imports ABCs from `collections`, which Python 3.10
    # moved to `collections.abc` only; the aliases let the unmodified client load.
    import collections
    import collections.abc
    for name in ("Sequence", "Iterable", "Mapping", "MutableMapping", "Set", "Callable"):
        setattr(collections, name, getattr(collections.abc, name))
    import hazelcast

    config = hazelcast.ClientConfig()
    config.network_config.addresses.append("%s:%d" % (host, port))
    config.network_config.connection_attempt_limit = 1
    config.network_config.connection_timeout = 2
    try:
        hazelcast.HazelcastClient(config)
    except Exception as error:  # no member answers: expected
        print("hazelcast3: gave up:", type(error).__name__)


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "ssl3":
        ssl3(args[0], int(args[1]), args[2], args[3])
    elif command == "listen":
        listen(args[0], int(args[1]))
    elif command in ("hazelcast5", "hazelcast3"):
        globals()[command](args[0], int(args[1]))
    else:
        sys.exit("usage: evidence_scenario.py ssl3|listen|hazelcast5|hazelcast3 HOST PORT [CERT KEY]")
