/*
 * floor.c: the performance floor for dasaudit (see docs/performance.md).
 *
 * The least work any tool must do to audit a capture: read every packet with
 * libpcap's pcap_next_ex and find the TCP destination port. dasaudit's audit
 * of the same file is measured against this program in the same run.
 *
 *   cc -O2 -o floor floor.c -lpcap
 *   ./floor FILE
 *   ./floor --in-place FILE
 *
 * With --in-place, libpcap opens the file and checks its header as before, but the
 * records of a classic pcap file are then read a megabyte at a time and walked where they
 * lie, as dasaudit reads them (docs/design.md, "Reading a classic pcap file's records in
 * place"): the least work a reader that does not copy each packet must do. A record cut
 * short or longer than 262,144 bytes is an error, as in libpcap.
 *
 * Link types: Ethernet (DLT_EN10MB, one optional 802.1Q tag), Linux SLL2
 * (and SLL), raw IP (DLT_RAW, DLT_IPV4, DLT_IPV6). IPv4 and IPv6 (common
 * extension headers skipped); non-first fragments carry no TCP header and are
 * not counted. Prints one line:
 *
 *   floor: packets=N tcp=N dst_ports=N
 *
 * Exit status: 0 on success, 1 on a read error or an unsupported link type,
 * 2 on a usage error.
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t counts[65536];

static inline unsigned rd16(const u_char *p) { return (unsigned)p[0] << 8 | p[1]; }

/* Destination port of a TCP segment in the IP packet at ip[0..len), or -1. */
static inline int tcp_dport(const u_char *ip, uint32_t len, unsigned ethertype)
{
    if (ethertype == 0x0800) {
        if (len < 20 || (ip[0] >> 4) != 4 || ip[9] != 6)
            return -1;
        uint32_t ihl = (uint32_t)(ip[0] & 0x0f) * 4;
        if (ihl < 20 || (rd16(ip + 6) & 0x1fff) != 0 || len < ihl + 4)
            return -1;
        return (int)rd16(ip + ihl + 2);
    }
    if (ethertype == 0x86dd) {
        if (len < 40 || (ip[0] >> 4) != 6)
            return -1;
        unsigned nh = ip[6];
        uint32_t off = 40;
        for (int i = 0; i < 8 && nh != 6; i++) {
            if (len < off + 8)
                return -1;
            switch (nh) {
            case 0: case 43: case 60:   /* hop-by-hop, routing, destination options */
                nh = ip[off];
                off += ((uint32_t)ip[off + 1] + 1) * 8;
                break;
            case 44:                    /* fragment */
                if ((rd16(ip + off + 2) & 0xfff8) != 0)
                    return -1;
                nh = ip[off];
                off += 8;
                break;
            case 51:                    /* authentication header */
                nh = ip[off];
                off += ((uint32_t)ip[off + 1] + 2) * 4;
                break;
            default:
                return -1;
            }
        }
        if (nh != 6 || len < off + 4)
            return -1;
        return (int)rd16(ip + off + 2);
    }
    return -1;
}

static uint64_t packets, tcp;

/* Counts one packet's TCP destination port. */
static inline void count(int dlt, const u_char *d, uint32_t cap)
{
    uint32_t off;
    unsigned et;
    packets++;
    switch (dlt) {
    case DLT_EN10MB:
        if (cap < 14)
            return;
        et = rd16(d + 12);
        off = 14;
        if (et == 0x8100) {
            if (cap < 18)
                return;
            et = rd16(d + 16);
            off = 18;
        }
        break;
    case DLT_LINUX_SLL2:
        if (cap < 20)
            return;
        et = rd16(d);
        off = 20;
        break;
    case DLT_LINUX_SLL:
        if (cap < 16)
            return;
        et = rd16(d + 14);
        off = 16;
        break;
    default: /* raw IP */
        if (cap < 1)
            return;
        et = (d[0] >> 4) == 4 ? 0x0800 : (d[0] >> 4) == 6 ? 0x86dd : 0;
        off = 0;
        break;
    }
    int port = tcp_dport(d + off, cap - off, et);
    if (port >= 0) {
        counts[port]++;
        tcp++;
    }
}

/* Reads the records after the file header from libpcap's stream, a megabyte at a time;
 * NULL at the end, else what went wrong. */
static const char *read_in_place(pcap_t *p, int dlt)
{
    enum { WINDOW = 1 << 20 };
    static u_char window[WINDOW];
    FILE *f = pcap_file(p);
    int swapped = pcap_is_swapped(p);
    uint32_t snap = (uint32_t)pcap_snapshot(p);
    size_t start = 0, end = 0;
    int exhausted = 0;
    for (;;) {
        if (end - start < 16 + 262144 && !exhausted) {
            memmove(window, window + start, end - start);
            end -= start;
            start = 0;
            size_t got = fread(window + end, 1, WINDOW - end, f);
            exhausted = got < WINDOW - end;
            end += got;
        }
        if (end - start < 16)
            return end == start ? NULL : "a record header cut short";
        uint32_t cap;
        memcpy(&cap, window + start + 8, 4);
        if (swapped)
            cap = __builtin_bswap32(cap);
        if (cap > 262144)
            return "a record longer than 262144 bytes";
        if (end - start < 16 + (size_t)cap)
            return "a record cut short";
        count(dlt, window + start + 16, cap < snap ? cap : snap);
        start += 16 + (size_t)cap;
    }
}

int main(int argc, char **argv)
{
    int in_place = argc == 3 && strcmp(argv[1], "--in-place") == 0;
    if (argc != 2 + in_place) {
        fprintf(stderr, "usage: %s [--in-place] CAPTURE\n", argv[0]);
        return 2;
    }
    const char *path = argv[argc - 1];
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (p == NULL) {
        fprintf(stderr, "floor: %s\n", errbuf);
        return 1;
    }
    int dlt = pcap_datalink(p);
    switch (dlt) {
    case DLT_EN10MB: case DLT_LINUX_SLL: case DLT_LINUX_SLL2:
    case DLT_RAW: case DLT_IPV4: case DLT_IPV6:
        break;
    default:
        fprintf(stderr, "floor: %s: unsupported link type %d (%s)\n", path, dlt,
                pcap_datalink_val_to_name(dlt) ? pcap_datalink_val_to_name(dlt) : "?");
        return 1;
    }

    if (in_place) {
        if (pcap_major_version(p) != 2) {
            fprintf(stderr, "floor: %s: --in-place reads classic pcap files only\n", path);
            return 1;
        }
        const char *problem = read_in_place(p, dlt);
        if (problem) {
            fprintf(stderr, "floor: %s: %s (after %llu packets)\n", path, problem, (unsigned long long)packets);
            return 1;
        }
    } else {
        struct pcap_pkthdr *h;
        const u_char *d;
        int rc;
        while ((rc = pcap_next_ex(p, &h, &d)) == 1)
            count(dlt, d, h->caplen);
        if (rc == -1) {
            fprintf(stderr, "floor: %s: %s (after %llu packets)\n", path, pcap_geterr(p),
                    (unsigned long long)packets);
            return 1;
        }
    }
    unsigned ports = 0;
    for (unsigned i = 0; i < 65536; i++)
        ports += counts[i] != 0;
    printf("floor: packets=%llu tcp=%llu dst_ports=%u\n",
           (unsigned long long)packets, (unsigned long long)tcp, ports);
    pcap_close(p);
    return 0;
}
