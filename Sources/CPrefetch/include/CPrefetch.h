#ifndef DASAUDIT_CPREFETCH_H
#define DASAUDIT_CPREFETCH_H

/// Asks the CPU to bring the cache line at `address` in, for reading, without waiting
/// (a hint: never faults, even on an address no longer valid). Swift has no prefetch of
/// its own; this inlines into the caller.
static inline __attribute__((always_inline)) void dasaudit_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
