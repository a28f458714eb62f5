/*
 * bigcap.c: build a large benchmark capture from a small real one.
 *
 *   cc -O2 -o bigcap bigcap.c -lpcap
 *   ./bigcap SRC OUT PACKETS SNAPLEN       (SNAPLEN 0 keeps the source's)
 *
 * Used by make-big-capture.sh; see docs/performance.md.
 *
 * The source capture is repeated ("copies") until PACKETS packets have been
 * written. Copy k is the source shifted in time by k * PERIOD, where PERIOD is
 * the source's duration plus one second, rounded up to whole seconds, so the
 * output stays in time order and copies never overlap. Copy 0 is the source
 * itself (apart from truncation). In copies k >= 1 every TCP connection gets a
 * new client port, so that each copy's connections are new connections with
 * their own handshakes, as in a long real capture:
 *
 *   - the client side of a connection is the sender of its SYN (or the
 *     receiver of its SYN-ACK); for connections without either, the side
 *     whose port is not a known server port, then the side whose port is in
 *     the ephemeral range 32768-60999, then the higher port;
 *   - the new client port of connection i (in order of first appearance,
 *     0 <= i < C) in copy k is POOL[((k-1) * C + i) mod |POOL|], where POOL is
 *     32768-60999 minus every server port and every client port of the
 *     source. The source's own ports are never reused, server ports are never
 *     changed, and a client port comes back only after |POOL| / C copies
 *     (about 690 copies, five hours of capture time, for the Spark capture).
 *
 * The TCP checksum is adjusted incrementally (RFC 1624) when it lies within
 * the captured bytes, so it is exactly as right or wrong as in the source
 * (loopback captures usually carry partial, offloaded checksums). Packets that
 * are not TCP are copied with the time shift only.
 *
 * The output is a classic pcap file in host byte order with the source's link
 * type and timestamp precision (microseconds or nanoseconds; nanoseconds for a
 * pcapng source). It depends only on the source bytes, PACKETS and SNAPLEN:
 * the same arguments give the same bytes.
 */
#include <pcap/pcap.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPH_LO 32768u
#define EPH_HI 60999u

static void die(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "bigcap: ");
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (p == NULL)
        die("%s%s", "out of memory", "");
    return p;
}

static inline unsigned rd16(const u_char *p) { return (unsigned)p[0] << 8 | p[1]; }

/* ---- a small open-addressing hash table over fixed-length byte keys ---- */

typedef struct {
    size_t keylen, cap, n;
    unsigned char *keys;
    int *vals;              /* -1: empty */
} table_t;

static void table_init(table_t *t, size_t keylen, size_t max_entries)
{
    size_t cap = 64;
    while (cap < 2 * max_entries + 16)
        cap <<= 1;
    t->keylen = keylen;
    t->cap = cap;
    t->n = 0;
    t->keys = xrealloc(NULL, keylen * cap);
    t->vals = xrealloc(NULL, sizeof(int) * cap);
    for (size_t i = 0; i < cap; i++)
        t->vals[i] = -1;
}

/* Returns the slot of key; *found says whether it holds key (else it is empty). */
static size_t table_slot(const table_t *t, const unsigned char *key, int *found)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < t->keylen; i++)
        h = (h ^ key[i]) * 1099511628211ull;
    size_t s = (size_t)h & (t->cap - 1);
    for (;;) {
        if (t->vals[s] < 0) {
            *found = 0;
            return s;
        }
        if (memcmp(t->keys + s * t->keylen, key, t->keylen) == 0) {
            *found = 1;
            return s;
        }
        s = (s + 1) & (t->cap - 1);
    }
}

static int table_get(const table_t *t, const unsigned char *key)
{
    int found;
    size_t s = table_slot(t, key, &found);
    return found ? t->vals[s] : -1;
}

static int table_put(table_t *t, const unsigned char *key, int val) /* returns existing or val */
{
    int found;
    size_t s = table_slot(t, key, &found);
    if (found)
        return t->vals[s];
    memcpy(t->keys + s * t->keylen, key, t->keylen);
    t->vals[s] = val;
    t->n++;
    return val;
}

/* ---- packets of the source ---- */

/* An endpoint key: family (4 or 6), 16 address bytes, port (big endian). */
#define EPLEN 19

typedef struct {
    uint64_t ts_ns;
    uint32_t caplen, len;
    size_t data;            /* offset into the data buffer */
    uint32_t tcp;           /* offset of the TCP header in the packet; 0: not TCP */
    int conn;               /* connection index or -1 */
    int src_is_a;           /* the source endpoint is the connection's side A */
    unsigned flags;         /* TCP flags, if present */
    int has_flags;
    unsigned char src[EPLEN], dst[EPLEN];
} pkt_t;

typedef struct {
    unsigned char a[EPLEN], b[EPLEN]; /* a < b (memcmp) */
    int client;             /* 0: a, 1: b, -1: not decided yet */
} conn_t;

/*
 * Finds the TCP header in a packet. Returns its offset, or 0 if the packet is
 * not a TCP segment with at least its two ports captured.
 */
static uint32_t find_tcp(int dlt, const u_char *d, uint32_t cap, unsigned char *src, unsigned char *dst)
{
    uint32_t off;
    unsigned et;
    switch (dlt) {
    case DLT_EN10MB:
        if (cap < 14)
            return 0;
        et = rd16(d + 12);
        off = 14;
        if (et == 0x8100 || et == 0x88a8) {
            if (cap < 18)
                return 0;
            et = rd16(d + 16);
            off = 18;
        }
        break;
    case DLT_LINUX_SLL2:
        if (cap < 20)
            return 0;
        et = rd16(d);
        off = 20;
        break;
    case DLT_LINUX_SLL:
        if (cap < 16)
            return 0;
        et = rd16(d + 14);
        off = 16;
        break;
    case DLT_RAW: case DLT_IPV4: case DLT_IPV6:
        if (cap < 1)
            return 0;
        et = (d[0] >> 4) == 4 ? 0x0800 : (d[0] >> 4) == 6 ? 0x86dd : 0;
        off = 0;
        break;
    default:
        return 0;
    }
    const u_char *ip = d + off;
    uint32_t len = cap - off, t;
    memset(src, 0, EPLEN);
    memset(dst, 0, EPLEN);
    if (et == 0x0800) {
        if (len < 20 || (ip[0] >> 4) != 4 || ip[9] != 6)
            return 0;
        uint32_t ihl = (uint32_t)(ip[0] & 0x0f) * 4;
        if (ihl < 20 || (rd16(ip + 6) & 0x1fff) != 0 || len < ihl + 4)
            return 0;
        src[0] = dst[0] = 4;
        memcpy(src + 1, ip + 12, 4);
        memcpy(dst + 1, ip + 16, 4);
        t = ihl;
    } else if (et == 0x86dd) {
        if (len < 40 || (ip[0] >> 4) != 6)
            return 0;
        unsigned nh = ip[6];
        t = 40;
        for (int i = 0; i < 8 && nh != 6; i++) {
            if (len < t + 8)
                return 0;
            if (nh == 0 || nh == 43 || nh == 60) {
                nh = ip[t];
                t += ((uint32_t)ip[t + 1] + 1) * 8;
            } else if (nh == 44) {
                if ((rd16(ip + t + 2) & 0xfff8) != 0)
                    return 0;
                nh = ip[t];
                t += 8;
            } else if (nh == 51) {
                nh = ip[t];
                t += ((uint32_t)ip[t + 1] + 2) * 4;
            } else {
                return 0;
            }
        }
        if (nh != 6 || len < t + 4)
            return 0;
        src[0] = dst[0] = 6;
        memcpy(src + 1, ip + 8, 16);
        memcpy(dst + 1, ip + 24, 16);
    } else {
        return 0;
    }
    memcpy(src + 17, ip + t, 2);
    memcpy(dst + 17, ip + t + 2, 2);
    return off + t;
}

static inline unsigned ep_port(const unsigned char *ep) { return rd16(ep + 17); }

/* RFC 1624: the checksum after a 16-bit word of the summed data changes from m to m2. */
static inline unsigned csum_adjust(unsigned hc, unsigned m, unsigned m2)
{
    uint32_t s = (~hc & 0xffffu) + (~m & 0xffffu) + m2;
    s = (s & 0xffffu) + (s >> 16);
    s = (s & 0xffffu) + (s >> 16);
    return ~s & 0xffffu;
}

static int detect_nano(const char *path)
{
    unsigned char m[4];
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        die("%s: %s", path, strerror(errno));
    size_t n = fread(m, 1, 4, f);
    fclose(f);
    if (n == 4 && ((m[0] == 0xa1 && m[1] == 0xb2 && m[2] == 0xc3 && m[3] == 0xd4) ||
                   (m[0] == 0xd4 && m[1] == 0xc3 && m[2] == 0xb2 && m[3] == 0xa1)))
        return 0;  /* classic pcap, microseconds */
    return 1;      /* nanosecond pcap, or pcapng */
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s SRC OUT PACKETS SNAPLEN   (SNAPLEN 0: keep the source's)\n", argv[0]);
        return 2;
    }
    const char *srcpath = argv[1], *outpath = argv[2];
    char *end;
    errno = 0;
    unsigned long long want = strtoull(argv[3], &end, 10);
    if (errno || *end || argv[3][0] == '-' || argv[3][0] == '\0')
        die("bad PACKETS: %s%s", argv[3], "");
    unsigned long snaplen = strtoul(argv[4], &end, 10);
    if (errno || *end || argv[4][0] == '-' || argv[4][0] == '\0' || snaplen > 0x7fffffffUL)
        die("bad SNAPLEN: %s%s", argv[4], "");

    int nano = detect_nano(srcpath);
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *in = pcap_open_offline_with_tstamp_precision(srcpath, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (in == NULL)
        die("%s%s", errbuf, "");
    int dlt = pcap_datalink(in);
    if (snaplen == 0)
        snaplen = (unsigned long)pcap_snapshot(in);

    /* Read the whole source. */
    pkt_t *pk = NULL;
    size_t npk = 0, capk = 0;
    unsigned char *data = NULL;
    size_t ndata = 0, capdata = 0;
    struct pcap_pkthdr *h;
    const u_char *d;
    int rc;
    while ((rc = pcap_next_ex(in, &h, &d)) == 1) {
        if (npk == capk) {
            capk = capk ? capk * 2 : 1024;
            pk = xrealloc(pk, capk * sizeof *pk);
        }
        if (ndata + h->caplen > capdata) {
            while (ndata + h->caplen > capdata)
                capdata = capdata ? capdata * 2 : 1 << 20;
            data = xrealloc(data, capdata);
        }
        pkt_t *p = &pk[npk++];
        memset(p, 0, sizeof *p);
        p->ts_ns = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec;
        p->caplen = h->caplen;
        p->len = h->len;
        p->data = ndata;
        memcpy(data + ndata, d, h->caplen);
        ndata += h->caplen;
    }
    if (rc == -1)
        die("%s: %s", srcpath, pcap_geterr(in));
    if (npk == 0)
        die("%s: no packets%s", srcpath, "");

    /* Connections and their client sides. */
    table_t conns_by_key, servers;
    table_init(&conns_by_key, 2 * EPLEN, npk);
    table_init(&servers, EPLEN, 2 * npk);
    conn_t *conns = xrealloc(NULL, npk * sizeof *conns);
    int nconn = 0;
    static unsigned char server_port[65536], client_port[65536];
    uint64_t ntcp = 0;
    for (size_t i = 0; i < npk; i++) {
        pkt_t *p = &pk[i];
        const u_char *pd = data + p->data;
        p->conn = -1;
        p->tcp = find_tcp(dlt, pd, p->caplen, p->src, p->dst);
        if (p->tcp == 0)
            continue;
        ntcp++;
        if (p->caplen >= p->tcp + 14) {
            p->flags = pd[p->tcp + 13];
            p->has_flags = 1;
        }
        unsigned char key[2 * EPLEN];
        p->src_is_a = memcmp(p->src, p->dst, EPLEN) <= 0;
        memcpy(key, p->src_is_a ? p->src : p->dst, EPLEN);
        memcpy(key + EPLEN, p->src_is_a ? p->dst : p->src, EPLEN);
        int c = table_put(&conns_by_key, key, nconn);
        if (c == nconn) {
            memcpy(conns[c].a, key, EPLEN);
            memcpy(conns[c].b, key + EPLEN, EPLEN);
            conns[c].client = -1;
            nconn++;
        }
        p->conn = c;
        if (p->has_flags && (p->flags & 0x02)) {               /* SYN */
            int ack = (p->flags & 0x10) != 0;
            const unsigned char *server = ack ? p->src : p->dst;
            table_put(&servers, server, 1);
            server_port[ep_port(server)] = 1;
            if (conns[c].client < 0)                       /* SYN: sender is the client; SYN-ACK: receiver */
                conns[c].client = (p->src_is_a == !ack) ? 0 : 1;
        }
    }
    for (int c = 0; c < nconn; c++) {
        conn_t *k = &conns[c];
        if (k->client < 0) {
            unsigned pa = ep_port(k->a), pb = ep_port(k->b);
            int sa = table_get(&servers, k->a) >= 0, sb = table_get(&servers, k->b) >= 0;
            int ea = pa >= EPH_LO && pa <= EPH_HI, eb = pb >= EPH_LO && pb <= EPH_HI;
            if (sa != sb)
                k->client = sa ? 1 : 0;
            else if (ea != eb)
                k->client = ea ? 0 : 1;
            else
                k->client = pa > pb ? 0 : 1;
            server_port[k->client ? pa : pb] = 1;
        }
        client_port[ep_port(k->client ? k->b : k->a)] = 1;
    }
    unsigned *pool = xrealloc(NULL, sizeof(unsigned) * (EPH_HI - EPH_LO + 1));
    size_t npool = 0;
    for (unsigned port = EPH_LO; port <= EPH_HI; port++)
        if (!server_port[port] && !client_port[port])
            pool[npool++] = port;
    if (nconn > 0 && npool < (size_t)nconn)
        die("%s: too many connections for the client port pool%s", srcpath, "");

    /* The output template: one copy of the source, truncated, in pcap records. */
    size_t *rec_end = xrealloc(NULL, npk * sizeof *rec_end);  /* end of record i in the template */
    size_t ntpl = 0;
    for (size_t i = 0; i < npk; i++) {
        ntpl += 16 + (pk[i].caplen < snaplen ? pk[i].caplen : snaplen);
        rec_end[i] = ntpl;
    }
    unsigned char *tpl = xrealloc(NULL, ntpl);
    typedef struct { size_t hdr; long port, csum; unsigned orig_port, orig_csum; int conn; } patch_t;
    patch_t *patch = xrealloc(NULL, npk * sizeof *patch);
    uint64_t t_first = pk[0].ts_ns, t_last = pk[0].ts_ns;
    for (size_t i = 0, o = 0; i < npk; i++) {
        pkt_t *p = &pk[i];
        uint32_t cl = p->caplen < snaplen ? p->caplen : (uint32_t)snaplen;
        uint32_t hdr[4] = { 0, 0, cl, p->len };
        memcpy(tpl + o, hdr, 16);
        memcpy(tpl + o + 16, data + p->data, cl);
        patch[i].hdr = o;
        patch[i].port = patch[i].csum = -1;
        patch[i].conn = p->conn;
        if (p->conn >= 0) {
            conn_t *k = &conns[p->conn];
            int src_is_client = p->src_is_a == (k->client == 0);
            uint32_t po = p->tcp + (src_is_client ? 0 : 2);
            if (po + 2 <= cl) {
                patch[i].port = (long)(o + 16 + po);
                patch[i].orig_port = rd16(tpl + o + 16 + po);
                if (p->tcp + 18 <= cl) {
                    patch[i].csum = (long)(o + 16 + p->tcp + 16);
                    patch[i].orig_csum = rd16(tpl + o + 16 + p->tcp + 16);
                }
            }
        }
        if (p->ts_ns < t_first)
            t_first = p->ts_ns;
        if (p->ts_ns > t_last)
            t_last = p->ts_ns;
        o += 16 + cl;
    }
    const uint64_t NS = 1000000000ull;
    uint64_t period = ((t_last - t_first + NS + NS - 1) / NS) * NS;

    /* The file header, written by libpcap so the link type is mapped right. */
    pcap_t *dead = pcap_open_dead_with_tstamp_precision(dlt, (int)snaplen,
        nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
    if (dead == NULL)
        die("pcap_open_dead failed%s%s", "", "");
    pcap_dumper_t *dumper = pcap_dump_open(dead, outpath);
    if (dumper == NULL)
        die("%s: %s", outpath, pcap_geterr(dead));
    FILE *out = pcap_dump_file(dumper); /* records of one copy are written with one fwrite */

    uint64_t written = 0, copies = 0;
    for (uint64_t k = 0; written < want; k++, copies++) {
        uint64_t shift = k * period;
        for (size_t i = 0; i < npk; i++) {
            uint64_t ts = pk[i].ts_ns + shift;
            uint64_t sec = ts / NS, frac = ts % NS;
            if (sec > 0xffffffffull)
                die("timestamps overflow 32 bits%s%s", "", "");
            uint32_t hv[2] = { (uint32_t)sec, (uint32_t)(nano ? frac : frac / 1000) };
            memcpy(tpl + patch[i].hdr, hv, 8);
            if (k > 0 && patch[i].port >= 0) {
                unsigned np = pool[(((k - 1) % npool) * (uint64_t)nconn + (uint64_t)patch[i].conn) % npool];
                tpl[patch[i].port] = (unsigned char)(np >> 8);
                tpl[patch[i].port + 1] = (unsigned char)np;
                if (patch[i].csum >= 0) {
                    unsigned cs = csum_adjust(patch[i].orig_csum, patch[i].orig_port, np);
                    tpl[patch[i].csum] = (unsigned char)(cs >> 8);
                    tpl[patch[i].csum + 1] = (unsigned char)cs;
                }
            }
        }
        uint64_t n = want - written < npk ? want - written : npk;
        size_t bytes = rec_end[n - 1];
        if (fwrite(tpl, 1, bytes, out) != bytes)
            die("%s: write failed: %s", outpath, strerror(errno));
        written += n;
    }
    if (fflush(out) != 0 || ferror(out))
        die("%s: write failed: %s", outpath, strerror(errno));
    pcap_dump_close(dumper);

    fprintf(stderr,
            "bigcap: source %zu packets (%llu TCP, %d connections), period %llu s; "
            "wrote %llu packets in %llu copies, snaplen %lu, %s timestamps; "
            "client ports recur after %zu copies\n",
            npk, (unsigned long long)ntcp, nconn, (unsigned long long)(period / NS),
            (unsigned long long)written, (unsigned long long)copies, snaplen,
            nano ? "ns" : "us", nconn ? npool / (size_t)nconn : 0);
    return 0;
}
