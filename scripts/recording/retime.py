"""Rewrites the packet times of a classic pcap (microsecond, little-endian, as tcpdump writes)
and writes the same packets again: retime.py IN OUT MODE [ARG...]
MODE shift-at FRAME SECONDS   : packets from FRAME (1-based) on moved by SECONDS (float)
     set-start EPOCH          : whole capture moved so its first packet is at EPOCH seconds
     zero                     : every time 0
     same EPOCH               : every time EPOCH
     swap-adjacent            : every pair of packets (2k+1, 2k+2) written in the other order, times kept
     gap-at FRAME SECONDS     : as shift-at (silence inside one file)
Output options via env: BE=1 big-endian file, NS=1 nanosecond magic, PCAPNG=1 pcapng with
TSOFFSET=<seconds> (if_tsoffset) subtracted from the times written."""
import struct, sys
inp, out, mode, *args = sys.argv[1:]
import os
data = open(inp,'rb').read()
magic, vmaj, vmin, tz, sig, snap, lt = struct.unpack('<IHHiIII', data[:24])
assert magic == 0xa1b2c3d4
pk = []; off = 24
while off < len(data):
    s, us, incl, orig = struct.unpack('<IIII', data[off:off+16]); off += 16
    pk.append([s*10**9 + us*1000, data[off:off+incl], orig]); off += incl
if mode in ('shift-at','gap-at'):
    f, sec = int(args[0]), float(args[1])
    for p in pk[f-1:]: p[0] += int(round(sec*1e9))
elif mode == 'set-start':
    d = int(round(float(args[0])*1e9)) - pk[0][0]
    for p in pk: p[0] += d
elif mode == 'split-set':
    f, e1, e2 = int(args[0]), int(float(args[1])*1e9), int(float(args[2])*1e9)
    d1 = e1 - pk[0][0]; d2 = e2 - pk[f-1][0]
    for i, p in enumerate(pk): p[0] += d1 if i < f-1 else d2
elif mode == 'zero':
    for p in pk: p[0] = 0
elif mode == 'same':
    for p in pk: p[0] = int(round(float(args[0])*1e9))
elif mode == 'swap-adjacent':
    for i in range(0, len(pk)-1, 2): pk[i], pk[i+1] = pk[i+1], pk[i]
else: raise SystemExit('mode?')
e = '>' if os.environ.get('BE') else '<'
ns = bool(os.environ.get('NS'))
with open(out,'wb') as o:
    if os.environ.get('PCAPNG'):
        tsoff = int(os.environ.get('TSOFFSET','0'))
        def block(t, body):
            body += b'\0' * (-len(body) % 4)
            n = 12 + len(body)
            return struct.pack('<II', t, n) + body + struct.pack('<I', n)
        o.write(block(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 1, 0, -1)))
        opts = struct.pack('<HH', 9, 1) + b'\x09\0\0\0'  # if_tsresol 10^-9
        opts += struct.pack('<HHq', 14, 8, tsoff)        # if_tsoffset
        opts += struct.pack('<HH', 0, 0)
        o.write(block(1, struct.pack('<HHI', lt, 0, snap) + opts))
        for t, b, orig in pk:
            t2 = (t - tsoff*10**9) % 2**64
            o.write(block(6, struct.pack('<IIIII', 0, t2 >> 32, t2 & 0xffffffff, len(b), orig) + b))
    else:
        o.write(struct.pack(e+'IHHiIII', 0xa1b23c4d if ns else 0xa1b2c3d4, 2, 4, 0, 0, snap, lt))
        for t, b, orig in pk:
            sec, frac = divmod(t, 10**9)
            if not ns: frac //= 1000
            o.write(struct.pack(e+'IIII', sec % 2**32, frac, len(b), orig) + b)
print(out, len(pk), 'packets')
