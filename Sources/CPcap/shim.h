#ifndef DASAUDIT_CPCAP_SHIM_H
#define DASAUDIT_CPCAP_SHIM_H
#include <pcap/pcap.h>
#include <stdio.h>
#if defined(__linux__)
#include <stdio_ext.h>
#endif

/// Makes stdio skip its per-call lock on `file`: libpcap reads a capture with two `fread`
/// calls per packet, and in a multithreaded process glibc locks the stream for each one.
/// Safe only while one thread at a time uses `file`.
static inline void cpcap_unlocked_stream(FILE *file) {
#if defined(__linux__)
    __fsetlocking(file, FSETLOCKING_BYCALLER);
#else
    (void)file;
#endif
}

/// Asks the CPU to bring the cache line holding `address` into its caches, ahead of a
/// write to it, without waiting for it: the connection table's batch loop
/// (`FlowTable.add(_:samples:)`) asks for the index slots and records of the segments a few
/// places ahead, so that their misses overlap. A hint only: it never faults, so a stale or
/// wild address costs nothing but the hint. (Swift has no prefetch of its own; this
/// inlines into the Swift loop as one prefetch instruction, `prefetcht0` on x86-64.)
static inline void cpcap_prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}
#endif
