import struct, sys, os, re, collections
def payloads(path):
    d = open(path,'rb').read()
    magic = struct.unpack('<I', d[:4])[0]
    assert magic == 0xa1b2c3d4, hex(magic)
    linktype = struct.unpack('<I', d[20:24])[0]
    off = 24; out = []
    while off < len(d):
        ts, us, incl, orig = struct.unpack('<IIII', d[off:off+16]); off += 16
        pkt = d[off:off+incl]; off += incl
        assert linktype == 1
        eth = pkt[14:]
        ihl = (eth[0] & 15) * 4
        src = '.'.join(map(str, eth[12:16]))
        udp = eth[ihl:]
        ulen = struct.unpack('>H', udp[4:6])[0]
        out.append((src, udp[8:ulen]))
    return out
for m in sys.argv[1:]:
    ps = payloads('/tmp/wire-cap/%s.pcap' % m)
    c = collections.Counter()
    for src, p in ps:
        t = re.search(rb'\(0\)t=([^,]*),', p).group(1).decode()
        c[t] += 1
    print(m, len(ps), dict(c), set(len(p) for s,p in ps).__len__(), 'nul-terminated:', sum(p.endswith(b'\0') for s,p in ps))

def select(m, status_keep, per_type):
    ps = payloads('/tmp/wire-cap/%s.pcap' % m)
    seen = collections.Counter(); n = 0
    for src, p in ps:
        t = re.search(rb'\(0\)t=([^,]*),', p).group(1).decode()
        lim = status_keep if t == 'status' else per_type
        if seen[t] >= lim: continue
        seen[t] += 1; n += 1
        name = '/work/wt/wire/tests/data/wire/%s-%02d-%s.bin' % (m, n, t.replace('_','-').lower())
        open(name, 'wb').write(p)
    print(m, n)
if os.environ.get('WRITE'):
    select('sha1', 10, 99); select('md5', 4, 1); select('crc', 4, 1)
