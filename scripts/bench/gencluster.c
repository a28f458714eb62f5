/*
 * gencluster.c: a deterministic synthetic capture of a WSO2 DAS / Apache Spark cluster.
 *
 *   cc -O2 -o gencluster gencluster.c
 *   ./gencluster OUT PACKETS [SNAPLEN] [--offset N] [--cores N] [--workers N]
 *                [--publishers N] [--rate PPS] [--seed N] [--start UNIXTIME]
 *
 * Writes PACKETS packets (Ethernet, IPv4, TCP) to OUT as a nanosecond pcap file. SNAPLEN
 * (default 0) cuts every record to that many bytes, as `tcpdump -s SNAPLEN` would (the IP
 * length fields keep the full length); 0 keeps whole packets (up to 1514 bytes).
 *
 * The same arguments give the same bytes: all randomness comes from a SplitMix64
 * generator seeded with --seed (default 1), and no clock or address of this machine is used.
 *
 * The cluster (port offset --offset, default 2; --cores per node, default 2):
 *
 *   10.10.0.1            Spark master and DAS analyzer node (driver)
 *   10.10.0.2 ...        --workers Spark workers (default 6), each running an executor
 *   10.10.1.1, 10.10.1.2 DAS receiver nodes (Thrift), an HA pair
 *   10.10.2.1 ...        --publishers event publishers and operators (default 8)
 *
 * Long-lived connections, opened at the start and never closed (state "established"):
 * each worker to the master's spark.master.port (7077+offset), and the driver to each
 * executor's spark.executor.port (13500+offset), with a heartbeat exchange every 10 s.
 *
 * Short connections, each with a full handshake (SYN with MSS option, SYN-ACK, ACK),
 * request/response data with ACKs, and a FIN teardown (or what the kind says), drawn at
 * random (weights in percent):
 *
 *   27  worker -> worker 12000+offset+k, k < cores     block fetch (executor, allowed)
 *    3  worker -> worker 12001+offset+cores+k, k < 2   block fetch (executor-out-of-range)
 *   18  worker -> master 13000+offset                  driver RPC
 *    5  worker -> master 14000+offset                  file server download
 *   15  publisher -> receiver 7611+offset / 7711+off.  Thrift events (TCP / SSL)
 *    5  publisher -> master 8081+offset                master web UI
 *    4  publisher -> master 4040+offset                application UI
 *    5  receiver -> receiver 11224+off. / 10005+off.   HA event sync / management
 *    3  publisher -> worker 31337, receiver 8888       unexpected services
 *    5  publisher -> worker 5000-5099                  refused (SYN, RST-ACK)
 *    3  publisher -> master 3306                       unanswered (SYN, SYN retransmitted)
 *    4  worker -> master 7077+offset                   reset after some data
 *    3  publisher -> receiver 7611+offset              left open at the end
 *
 * Up to 256 short connections are in flight at once, their packets interleaved; packets
 * are --rate per second on average (default 5000), so the capture spans PACKETS/rate
 * seconds. Client ports count up from 32768 per client host and wrap at 60999.
 *
 * Prints a summary (connections per kind, time span) on stderr. Exit status 0; 1 on an
 * I/O error; 2 on a usage error.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- randomness ---------------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t next_random(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint32_t below(uint32_t n) { return (uint32_t)(next_random() % n); }

/* ---- output -------------------------------------------------------------------- */

static FILE *out;
static uint32_t snaplen;
static uint64_t written;
static const char *out_path;

static void fail_io(void)
{
    fprintf(stderr, "gencluster: %s: %s\n", out_path, strerror(errno));
    exit(1);
}

static void put(const void *bytes, size_t n)
{
    if (n && fwrite(bytes, 1, n, out) != n)
        fail_io();
}

static void put32(uint32_t v) { put(&v, 4); }
static void put16(uint16_t v) { put(&v, 2); }

/* ---- packets ------------------------------------------------------------------- */

#define FIN 0x01
#define SYN 0x02
#define RST 0x04
#define PSH 0x08
#define ACK 0x10
#define MSS 1448

static uint16_t checksum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static uint32_t sum_bytes(const uint8_t *p, size_t n, uint32_t sum)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    if (n & 1)
        sum += (uint32_t)p[n - 1] << 8;
    return sum;
}

static uint64_t now_ns;            /* the capture clock */
static uint16_t ip_ids[1024];      /* next IP id per host (low byte of the address pair) */
static const uint8_t zeros[1500];

/* One TCP segment from src to dst. The payload is zeros (so it adds nothing to the TCP
 * checksum); only SNAPLEN bytes of the frame are written. */
static void emit(uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport, uint8_t flags,
                 uint32_t seq, uint32_t ack, uint16_t payload)
{
    uint8_t h[14 + 20 + 24];
    int options = (flags & SYN) ? 4 : 0;
    int tcp_len = 20 + options;
    uint32_t frame = 14 + 20 + tcp_len + payload;
    uint32_t ip_total = 20 + tcp_len + payload;
    uint16_t id = ip_ids[(src ^ (src >> 8)) & 1023]++;

    /* Ethernet: locally administered MACs derived from the addresses */
    const uint8_t dmac[6] = {0x02, 0x42, 0x0a, (uint8_t)(dst >> 16), (uint8_t)(dst >> 8), (uint8_t)dst};
    const uint8_t smac[6] = {0x02, 0x42, 0x0a, (uint8_t)(src >> 16), (uint8_t)(src >> 8), (uint8_t)src};
    memcpy(h, dmac, 6);
    memcpy(h + 6, smac, 6);
    h[12] = 0x08, h[13] = 0x00;

    uint8_t *ip = h + 14;
    ip[0] = 0x45, ip[1] = 0;
    ip[2] = (uint8_t)(ip_total >> 8), ip[3] = (uint8_t)ip_total;
    ip[4] = (uint8_t)(id >> 8), ip[5] = (uint8_t)id;
    ip[6] = 0x40, ip[7] = 0; /* DF */
    ip[8] = 64, ip[9] = 6;
    ip[10] = ip[11] = 0;
    for (int i = 0; i < 4; i++) {
        ip[12 + i] = (uint8_t)(src >> (24 - 8 * i));
        ip[16 + i] = (uint8_t)(dst >> (24 - 8 * i));
    }
    uint16_t ipsum = checksum_fold(sum_bytes(ip, 20, 0));
    ip[10] = (uint8_t)(ipsum >> 8), ip[11] = (uint8_t)ipsum;

    uint8_t *tcp = ip + 20;
    tcp[0] = (uint8_t)(sport >> 8), tcp[1] = (uint8_t)sport;
    tcp[2] = (uint8_t)(dport >> 8), tcp[3] = (uint8_t)dport;
    for (int i = 0; i < 4; i++) {
        tcp[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
        tcp[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
    }
    tcp[12] = (uint8_t)((tcp_len / 4) << 4);
    tcp[13] = flags;
    tcp[14] = 0xfa, tcp[15] = 0xf0; /* window 64240 */
    tcp[16] = tcp[17] = 0;
    tcp[18] = tcp[19] = 0;
    if (options) {
        tcp[20] = 2, tcp[21] = 4, tcp[22] = MSS >> 8, tcp[23] = MSS & 0xff;
    }
    uint32_t sum = sum_bytes(ip + 12, 8, 0) + 6 + (uint32_t)(tcp_len + payload);
    uint16_t tcpsum = checksum_fold(sum_bytes(tcp, (size_t)tcp_len, sum));
    tcp[16] = (uint8_t)(tcpsum >> 8), tcp[17] = (uint8_t)tcpsum;

    uint32_t caplen = snaplen && frame > snaplen ? snaplen : frame;
    put32((uint32_t)(now_ns / 1000000000ull));
    put32((uint32_t)(now_ns % 1000000000ull));
    put32(caplen);
    put32(frame);
    uint32_t head = (uint32_t)(14 + 20 + tcp_len);
    put(h, caplen < head ? caplen : head);
    if (caplen > head)
        put(zeros, caplen - head);
    written++;
}

/* ---- connections --------------------------------------------------------------- */

enum kind {
    K_EXECUTOR, K_EXECUTOR_OUT, K_DRIVER, K_FILESERVER, K_THRIFT, K_MASTER_UI, K_APP_UI, K_HA,
    K_UNEXPECTED, K_REFUSED, K_UNANSWERED, K_RESET, K_LEFT_OPEN, K_COUNT
};
static const int weights[K_COUNT] = {27, 3, 18, 5, 15, 5, 4, 5, 3, 5, 3, 4, 3};
static const char *names[K_COUNT] = {
    "executor block fetch (allowed)", "executor block fetch (out of range)", "driver RPC",
    "driver file server", "thrift events", "master web UI", "application UI", "HA sync/management",
    "unexpected service", "refused", "unanswered", "reset", "left open",
};
static uint64_t made[K_COUNT];

/* A step of a connection's script: who sends, flags, payload. */
struct step { uint8_t from_server, flags; uint16_t payload; };

#define MAX_STEPS 160

struct conn {
    uint32_t client, server;
    uint16_t cport, sport;
    uint32_t cseq, sseq; /* next sequence number of each side */
    int kind;
    int nsteps, at;
    struct step steps[MAX_STEPS];
};

static int offset = 2, cores = 2, workers = 6, publishers = 8;
static uint16_t next_port[1024];

static uint32_t master(void) { return 0x0A0A0001; }
static uint32_t worker(int i) { return 0x0A0A0002 + (uint32_t)i; }
static uint32_t receiver(int i) { return 0x0A0A0101 + (uint32_t)i; }
static uint32_t publisher(int i) { return 0x0A0A0201 + (uint32_t)i; }

static uint16_t client_port(uint32_t host)
{
    uint16_t *p = &next_port[(host ^ (host >> 8)) & 1023];
    if (*p < 32768 || *p >= 60999)
        *p = 32768;
    return (*p)++;
}

static void add(struct conn *c, int from_server, uint8_t flags, uint16_t payload)
{
    if (c->nsteps < MAX_STEPS)
        c->steps[c->nsteps++] = (struct step){(uint8_t)from_server, flags, payload};
}

static void handshake(struct conn *c)
{
    add(c, 0, SYN, 0);
    add(c, 1, SYN | ACK, 0);
    add(c, 0, ACK, 0);
}

/* `exchanges` requests of `request` bytes, each answered by `response` bytes in MSS-sized
 * segments, the client acknowledging every second segment and the last. */
static void exchange(struct conn *c, int exchanges, uint16_t request, uint32_t response)
{
    for (int e = 0; e < exchanges; e++) {
        add(c, 0, PSH | ACK, request);
        uint32_t left = response;
        int segment = 0;
        while (left > 0 && c->nsteps < MAX_STEPS - 8) {
            uint16_t n = (uint16_t)(left > MSS ? MSS : left);
            left -= n;
            add(c, 1, (uint8_t)(left ? ACK : PSH | ACK), n);
            if (++segment % 2 == 0 || left == 0)
                add(c, 0, ACK, 0);
        }
    }
}

static void teardown(struct conn *c, int server_first)
{
    add(c, server_first, FIN | ACK, 0);
    add(c, !server_first, FIN | ACK, 0);
    add(c, server_first, ACK, 0);
}

static int pick_kind(void)
{
    int r = (int)below(100);
    for (int k = 0; k < K_COUNT; k++) {
        if (r < weights[k])
            return k;
        r -= weights[k];
    }
    return K_DRIVER;
}

static void new_connection(struct conn *c)
{
    memset(c, 0, offsetof(struct conn, steps));
    int k = pick_kind();
    int w = (int)below((uint32_t)workers), w2 = (int)((w + 1 + below((uint32_t)workers - 1)) % workers);
    int p = (int)below((uint32_t)publishers), r = (int)below(2);
    c->kind = k;
    switch (k) {
    case K_EXECUTOR:
        c->client = worker(w), c->server = worker(w2), c->sport = (uint16_t)(12000 + offset + (int)below((uint32_t)cores));
        handshake(c), exchange(c, 1 + (int)below(3), 120, 2000 + below(40000)), teardown(c, 0);
        break;
    case K_EXECUTOR_OUT:
        c->client = worker(w), c->server = worker(w2), c->sport = (uint16_t)(12000 + offset + cores + 1 + (int)below(2));
        handshake(c), exchange(c, 1 + (int)below(2), 120, 2000 + below(30000)), teardown(c, 0);
        break;
    case K_DRIVER:
        c->client = worker(w), c->server = master(), c->sport = (uint16_t)(13000 + offset);
        handshake(c), exchange(c, 1 + (int)below(4), (uint16_t)(100 + below(400)), 100 + below(900)), teardown(c, 0);
        break;
    case K_FILESERVER:
        c->client = worker(w), c->server = master(), c->sport = (uint16_t)(14000 + offset);
        handshake(c), exchange(c, 1, 200, 20000 + below(60000)), teardown(c, 1);
        break;
    case K_THRIFT:
        c->client = publisher(p), c->server = receiver(r), c->sport = (uint16_t)((below(3) ? 7611 : 7711) + offset);
        handshake(c), exchange(c, 2 + (int)below(12), (uint16_t)(200 + below(1000)), 40), teardown(c, 0);
        break;
    case K_MASTER_UI:
        c->client = publisher(p), c->server = master(), c->sport = (uint16_t)(8081 + offset);
        handshake(c), exchange(c, 1 + (int)below(3), 400, 3000 + below(12000)), teardown(c, 1);
        break;
    case K_APP_UI:
        c->client = publisher(p), c->server = master(), c->sport = (uint16_t)(4040 + offset);
        handshake(c), exchange(c, 1 + (int)below(3), 400, 3000 + below(12000)), teardown(c, 1);
        break;
    case K_HA:
        c->client = receiver(r), c->server = receiver(1 - r), c->sport = (uint16_t)((below(2) ? 11224 : 10005) + offset);
        handshake(c), exchange(c, 1 + (int)below(6), (uint16_t)(100 + below(1200)), 20), teardown(c, 0);
        break;
    case K_UNEXPECTED:
        if (below(2))
            c->client = publisher(p), c->server = worker(w), c->sport = 31337;
        else
            c->client = publisher(p), c->server = receiver(r), c->sport = 8888;
        handshake(c), exchange(c, 1, 300, 800 + below(3000)), teardown(c, 1);
        break;
    case K_REFUSED:
        c->client = publisher(p), c->server = worker(w), c->sport = (uint16_t)(5000 + below(100));
        add(c, 0, SYN, 0), add(c, 1, RST | ACK, 0);
        break;
    case K_UNANSWERED:
        c->client = publisher(p), c->server = master(), c->sport = 3306;
        add(c, 0, SYN, 0), add(c, 0, SYN, 0);
        break;
    case K_RESET:
        c->client = worker(w), c->server = master(), c->sport = (uint16_t)(7077 + offset);
        handshake(c), exchange(c, 1, 200, 500), add(c, 0, RST | ACK, 0);
        break;
    case K_LEFT_OPEN:
        c->client = publisher(p), c->server = receiver(r), c->sport = (uint16_t)(7611 + offset);
        handshake(c), exchange(c, 1 + (int)below(3), 300, 40);
        break;
    }
    c->cport = client_port(c->client);
    c->cseq = (uint32_t)next_random(), c->sseq = (uint32_t)next_random();
    made[k]++;
}

/* Sends the connection's next step; returns 0 when it has none left. */
static int step(struct conn *c)
{
    if (c->at >= c->nsteps)
        return 0;
    struct step s = c->steps[c->at++];
    uint32_t *seq = s.from_server ? &c->sseq : &c->cseq;
    /* a retransmitted SYN (not the connection's first step) reuses its sequence number */
    if (s.flags == SYN && c->at > 1)
        *seq -= 1;
    uint32_t ack = (s.flags & ACK) ? (s.from_server ? c->cseq : c->sseq) : 0;
    if (s.from_server)
        emit(c->server, c->sport, c->client, c->cport, s.flags, *seq, ack, s.payload);
    else
        emit(c->client, c->cport, c->server, c->sport, s.flags, *seq, ack, s.payload);
    *seq += s.payload + ((s.flags & (SYN | FIN)) ? 1 : 0);
    return c->at < c->nsteps;
}

/* A long-lived connection: opened at the start, a heartbeat now and then. */
struct persistent {
    struct conn c;
    uint64_t next_beat;
    int opened;
};

static void usage(const char *argv0)
{
    fprintf(stderr,
            "usage: %s OUT PACKETS [SNAPLEN] [--offset N] [--cores N] [--workers N] [--publishers N]\n"
            "       [--rate PPS] [--seed N] [--start UNIXTIME]\n",
            argv0);
    exit(2);
}

static long number(const char *text, const char *argv0)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || *end || v < 0)
        usage(argv0);
    return v;
}

#define IN_FLIGHT 256

int main(int argc, char **argv)
{
    if (argc < 3)
        usage(argv[0]);
    out_path = argv[1];
    uint64_t packets = (uint64_t)number(argv[2], argv[0]);
    int i = 3;
    if (i < argc && argv[i][0] != '-')
        snaplen = (uint32_t)number(argv[i++], argv[0]);
    uint64_t seed = 1, rate = 5000, start = 1767225600; /* 2026-01-01 00:00:00 UTC */
    for (; i < argc; i++) {
        if (i + 1 >= argc)
            usage(argv[0]);
        long v = number(argv[i + 1], argv[0]);
        if (!strcmp(argv[i], "--offset")) offset = (int)v;
        else if (!strcmp(argv[i], "--cores")) cores = (int)v;
        else if (!strcmp(argv[i], "--workers")) workers = (int)v;
        else if (!strcmp(argv[i], "--publishers")) publishers = (int)v;
        else if (!strcmp(argv[i], "--rate")) rate = (uint64_t)v;
        else if (!strcmp(argv[i], "--seed")) seed = (uint64_t)v;
        else if (!strcmp(argv[i], "--start")) start = (uint64_t)v;
        else usage(argv[0]);
        i++;
    }
    if (offset > 40000 || cores < 1 || cores > 64 || workers < 2 || workers > 250 || publishers < 1 ||
        publishers > 250 || rate < 1)
        usage(argv[0]);
    rng_state = seed;
    now_ns = start * 1000000000ull;

    out = fopen(out_path, "wb");
    if (!out)
        fail_io();
    static char buffer[1 << 20];
    setvbuf(out, buffer, _IOFBF, sizeof buffer);
    /* pcap file header, nanosecond resolution, Ethernet */
    put32(0xa1b23c4d);
    put16(2), put16(4);
    put32(0), put32(0);
    put32(snaplen ? snaplen : 65535);
    put32(1);

    /* long-lived connections: worker -> master RPC, driver -> executor RPC */
    int npersistent = 2 * workers;
    struct persistent *lived = calloc((size_t)npersistent, sizeof *lived);
    for (int w = 0; w < workers; w++) {
        struct conn *a = &lived[2 * w].c, *b = &lived[2 * w + 1].c;
        a->client = worker(w), a->server = master(), a->sport = (uint16_t)(7077 + offset);
        b->client = master(), b->server = worker(w), b->sport = (uint16_t)(13500 + offset);
        for (int j = 0; j < 2; j++) {
            struct conn *c = j ? b : a;
            c->cport = client_port(c->client);
            c->cseq = (uint32_t)next_random(), c->sseq = (uint32_t)next_random();
            lived[2 * w + j].next_beat = now_ns + (uint64_t)below(1000) * 1000000ull;
        }
    }

    struct conn *flight = calloc(IN_FLIGHT, sizeof *flight);
    for (int j = 0; j < IN_FLIGHT; j++)
        new_connection(&flight[j]);

    uint64_t mean_gap = 1000000000ull / rate;
    while (written < packets) {
        now_ns += mean_gap / 2 + next_random() % (mean_gap + 1);
        /* a heartbeat due? */
        int beat = 0;
        for (int j = 0; j < npersistent; j++) {
            struct persistent *p = &lived[j];
            if (now_ns < p->next_beat)
                continue;
            if (!p->opened) {
                p->c.nsteps = p->c.at = 0;
                handshake(&p->c);
                p->opened = 1;
            } else if (p->c.at >= p->c.nsteps) {
                p->c.nsteps = p->c.at = 0;
                exchange(&p->c, 1, 180, 90);
            }
            if (!step(&p->c))
                p->next_beat = now_ns + 10000000000ull; /* next exchange in 10 s */
            beat = 1;
            break;
        }
        if (beat)
            continue;
        struct conn *c = &flight[below(IN_FLIGHT)];
        if (!step(c))
            new_connection(c);
    }

    if (fflush(out) || fclose(out))
        fail_io();
    uint64_t total = 0;
    for (int k = 0; k < K_COUNT; k++)
        total += made[k];
    fprintf(stderr, "gencluster: %llu packets, %.1f s, offset %d, cores %d, %d workers, %d publishers, "
                    "%llu short connections started (%d in flight at the end) and %d long-lived:\n",
            (unsigned long long)written, (double)(now_ns - start * 1000000000ull) / 1e9, offset, cores, workers,
            publishers, (unsigned long long)total, IN_FLIGHT, npersistent);
    for (int k = 0; k < K_COUNT; k++)
        fprintf(stderr, "  %-40s %llu\n", names[k], (unsigned long long)made[k]);
    free(flight);
    free(lived);
    return 0;
}
