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

#if defined(__linux__)
#include <sys/types.h>
/// glibc's `cookie_io_functions_t`: a stream whose reads, seeks and close are the caller's.
typedef struct {
    ssize_t (*read)(void *cookie, char *buffer, size_t size);
    ssize_t (*write)(void *cookie, const char *buffer, size_t size);
    int (*seek)(void *cookie, long long *offset, int whence);
    int (*close)(void *cookie);
} cpcap_cookie_functions;

/// glibc's `fopencookie`, which <stdio.h> declares only under _GNU_SOURCE: a stream libpcap
/// reads whose bytes pass through the caller's `read` (`PcapngBlockTap`).
FILE *cpcap_fopencookie(void *cookie, const char *mode, cpcap_cookie_functions functions) __asm__("fopencookie");
#endif
#endif
