/* dump-flush.c IN OUT flush|buffered
 *
 * The cost of flushing each packet to an evidence file, as `dasaudit live --write` does:
 * reads IN with pcap_next_ex and writes every packet to OUT with pcap_dump, calling
 * pcap_dump_flush after each packet ("flush") or only at the end ("buffered", stdio's
 * 4 KiB buffer). Prints packets, seconds and nanoseconds per packet (docs/live.md).
 *
 *   cc -O2 -o dump-flush scripts/bench/dump-flush.c -lpcap
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s IN OUT flush|buffered\n", argv[0]); return 2; }
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *in = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!in) { fprintf(stderr, "%s\n", errbuf); return 1; }
    pcap_dumper_t *out = pcap_dump_open(in, argv[2]);
    if (!out) { fprintf(stderr, "%s\n", pcap_geterr(in)); return 1; }
    int flush = strcmp(argv[3], "flush") == 0;
    struct pcap_pkthdr *header;
    const u_char *data;
    long packets = 0;
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (pcap_next_ex(in, &header, &data) == 1) {
        pcap_dump((u_char *)out, header, data);
        if (flush && pcap_dump_flush(out) != 0) { perror("flush"); return 1; }
        packets++;
    }
    pcap_dump_close(out);
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    printf("%s: %ld packets in %.3f s, %.0f ns per packet\n", argv[3], packets, seconds, seconds * 1e9 / packets);
    return 0;
}
