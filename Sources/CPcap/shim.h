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
#endif
