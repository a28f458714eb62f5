/*
 * ndpi-flows.c: what linking Debian's nDPI (libndpi-dev 4.2) would cost dasaudit and
 * what it would name (docs/design.md, "Protocol naming: own recognizers, not nDPI").
 *
 * Reads a capture with pcap_next_ex (Ethernet, one optional 802.1Q tag; IPv4 and IPv6;
 * TCP only), keeps a table of connections as dasaudit does, and hands each connection's
 * packets to ndpi_detection_process_packet until nDPI has named it and needs no more
 * (ndpi_extra_dissection_possible), or for at most 32 packets; connections still unnamed
 * at the end go to ndpi_detection_giveup (which may guess by port). With --no-dpi the
 * same loop and table run without nDPI: the difference is nDPI's cost.
 *
 *   cc -O2 -o ndpi-flows ndpi-flows.c -lndpi -lpcap
 *   ./ndpi-flows FILE [--no-dpi] [--names]
 *
 * Prints one line "packets=N flows=N dpi_packets=N flow_struct_bytes=N ndpi_heap_bytes=N
 * cpu_seconds=S", and with --names one line per connection: client, server, protocol,
 * and "by-port" where nDPI only guessed from the port.
 * Exit status: 0; 1 on a read error; 2 on a usage error.
 */
#include <ndpi/ndpi_api.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#define TABLE_BITS 21
#define TABLE_SIZE (1u << TABLE_BITS)
#define MAX_DPI_PACKETS 32

struct conn {
    uint8_t used, family, done;
    uint8_t a[16], b[16];      /* the two endpoints' addresses, a the SYN's sender when seen first */
    uint16_t pa, pb;
    uint32_t dpi_packets;
    struct ndpi_flow_struct *flow;
    ndpi_protocol proto;
};

static struct conn *table;

static uint64_t hash(const uint8_t *x, const uint8_t *y, int len, uint16_t px, uint16_t py) {
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < len; i++) h = (h ^ (x[i] + y[i])) * 1099511628211ull;
    return (h ^ (uint64_t)(px + py)) * 0x9E3779B97F4A7C15ull;
}

static struct conn *lookup(int family, const uint8_t *src, const uint8_t *dst, uint16_t ps, uint16_t pd) {
    int len = family == 4 ? 4 : 16;
    for (uint64_t i = hash(src, dst, len, ps, pd) >> (64 - TABLE_BITS);; i = (i + 1) & (TABLE_SIZE - 1)) {
        struct conn *c = &table[i];
        if (!c->used) {
            c->used = 1; c->family = family;
            memcpy(c->a, src, len); memcpy(c->b, dst, len); c->pa = ps; c->pb = pd;
            return c;
        }
        if (c->family == family && ((c->pa == ps && c->pb == pd && !memcmp(c->a, src, len) && !memcmp(c->b, dst, len))
                                    || (c->pa == pd && c->pb == ps && !memcmp(c->a, dst, len) && !memcmp(c->b, src, len))))
            return c;
    }
}

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    int dpi = 1, names = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--no-dpi")) dpi = 0;
        else if (!strcmp(argv[i], "--names")) names = 1;
        else if (!path) path = argv[i];
        else { fprintf(stderr, "usage: %s FILE [--no-dpi] [--names]\n", argv[0]); return 2; }
    }
    if (!path) { fprintf(stderr, "usage: %s FILE [--no-dpi] [--names]\n", argv[0]); return 2; }
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *pcap = pcap_open_offline(path, err);
    if (!pcap) { fprintf(stderr, "ndpi-flows: %s\n", err); return 1; }
    if (pcap_datalink(pcap) != DLT_EN10MB) { fprintf(stderr, "ndpi-flows: %s: not Ethernet\n", path); return 1; }
    table = calloc(TABLE_SIZE, sizeof *table);
    struct ndpi_detection_module_struct *ndpi = NULL;
    if (dpi) {
        ndpi = ndpi_init_detection_module(ndpi_no_prefs);
        NDPI_PROTOCOL_BITMASK all;
        NDPI_BITMASK_SET_ALL(all);
        ndpi_set_protocol_detection_bitmask2(ndpi, &all);
        ndpi_finalize_initialization(ndpi);
    }
    uint64_t packets = 0, flows = 0, dpi_packets = 0;
    double start = cpu_seconds();
    struct pcap_pkthdr *header;
    const u_char *data;
    int rc;
    while ((rc = pcap_next_ex(pcap, &header, &data)) == 1) {
        packets++;
        const u_char *p = data, *end = data + header->caplen;
        if (end - p < 14) continue;
        unsigned type = p[12] << 8 | p[13];
        p += 14;
        if (type == 0x8100 && end - p >= 4) { type = p[2] << 8 | p[3]; p += 4; }
        const u_char *ip = p, *tcp;
        int family;
        const uint8_t *src, *dst;
        if (type == 0x0800 && end - p >= 20 && p[9] == 6) {
            family = 4; src = p + 12; dst = p + 16; tcp = p + (p[0] & 15) * 4;
        } else if (type == 0x86DD && end - p >= 40 && p[6] == 6) {
            family = 6; src = p + 8; dst = p + 24; tcp = p + 40;
        } else continue;
        if (end - tcp < 4) continue;
        uint16_t ps = tcp[0] << 8 | tcp[1], pd = tcp[2] << 8 | tcp[3];
        struct conn *c = lookup(family, src, dst, ps, pd);
        if (!c->flow && !c->done) {
            flows++;
            if (dpi) c->flow = calloc(1, ndpi_detection_get_sizeof_ndpi_flow_struct());
            else c->done = 1;
        }
        if (!c->flow || c->done) continue;
        uint64_t ms = (uint64_t)header->ts.tv_sec * 1000 + header->ts.tv_usec / 1000;
        c->proto = ndpi_detection_process_packet(ndpi, c->flow, ip, (unsigned short)(end - ip), ms);
        dpi_packets++;
        c->dpi_packets++;
        int named = c->proto.app_protocol != NDPI_PROTOCOL_UNKNOWN || c->proto.master_protocol != NDPI_PROTOCOL_UNKNOWN;
        if ((named && !ndpi_extra_dissection_possible(ndpi, c->flow)) || c->dpi_packets >= MAX_DPI_PACKETS) c->done = 1;
    }
    if (rc == -1) { fprintf(stderr, "ndpi-flows: %s: %s\n", path, pcap_geterr(pcap)); return 1; }
    for (uint32_t i = 0; dpi && i < TABLE_SIZE; i++) {
        struct conn *c = &table[i];
        if (!c->flow) continue;
        uint8_t guessed = 0;
        if (c->proto.app_protocol == NDPI_PROTOCOL_UNKNOWN && c->proto.master_protocol == NDPI_PROTOCOL_UNKNOWN)
            c->proto = ndpi_detection_giveup(ndpi, c->flow, 1, &guessed);
        if (names) {
            char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
            inet_ntop(c->family == 4 ? AF_INET : AF_INET6, c->a, a, sizeof a);
            inet_ntop(c->family == 4 ? AF_INET : AF_INET6, c->b, b, sizeof b);
            uint16_t id = c->proto.app_protocol ? c->proto.app_protocol : c->proto.master_protocol;
            printf("%s:%u %s:%u %s%s\n", a, c->pa, b, c->pb, ndpi_get_proto_name(ndpi, id), guessed ? " by-port" : "");
        }
    }
    double cpu = cpu_seconds() - start;
    printf("packets=%llu flows=%llu dpi_packets=%llu flow_struct_bytes=%u ndpi_heap_bytes=%u cpu_seconds=%.3f\n",
           (unsigned long long)packets, (unsigned long long)flows, (unsigned long long)dpi_packets,
           dpi ? ndpi_detection_get_sizeof_ndpi_flow_struct() : 0, dpi ? ndpi_get_tot_allocated_memory() : 0, cpu);
    return 0;
}
