# A python3-thrift peer for record-protocol-sides.sh: a server that answers one call per
# connection, or a client that makes one (through TMultiplexedProtocol with `mux`).
# usage: thrift_peer.py server|client host port proto(binary|binary-nonstrict|compact) transport(framed|buffered) [mux]
import sys
from thrift.transport import TSocket, TTransport
from thrift.protocol import TBinaryProtocol, TCompactProtocol, TMultiplexedProtocol
from thrift.Thrift import TMessageType, TType
role, host, port, proto, trans = sys.argv[1:6]
mux = len(sys.argv) > 6
def mkproto(t):
    if proto == 'binary': return TBinaryProtocol.TBinaryProtocol(t, strictRead=False, strictWrite=True)
    if proto == 'binary-nonstrict': return TBinaryProtocol.TBinaryProtocol(t, strictRead=False, strictWrite=False)
    return TCompactProtocol.TCompactProtocol(t)
def mktrans(s):
    return TTransport.TFramedTransport(s) if trans == 'framed' else TTransport.TBufferedTransport(s)
if role == 'server':
    ss = TSocket.TServerSocket(host=host, port=int(port)); ss.listen()
    while True:
        c = ss.accept(); t = mktrans(c); p = mkproto(t)
        try:
            name, typ, seq = p.readMessageBegin()
            p.skip(TType.STRUCT); p.readMessageEnd()
            p.writeMessageBegin(name, TMessageType.REPLY, seq)
            p.writeStructBegin('r'); p.writeFieldStop(); p.writeStructEnd()
            p.writeMessageEnd(); t.flush()
        except Exception as e: print('srv', e, file=sys.stderr)
        c.close()
else:
    s = TSocket.TSocket(host, int(port)); t = mktrans(s); t.open(); p = mkproto(t)
    if mux: p = TMultiplexedProtocol.TMultiplexedProtocol(p, 'ThriftEventTransmissionService')
    p.writeMessageBegin('connect', TMessageType.CALL, 1)
    p.writeStructBegin('a'); p.writeFieldBegin('u', TType.STRING, 1); p.writeString('admin'); p.writeFieldEnd()
    p.writeFieldStop(); p.writeStructEnd(); p.writeMessageEnd(); t.flush()
    try: s.handle.recv(100)
    except Exception as e: print('cli', e)
    t.close()
