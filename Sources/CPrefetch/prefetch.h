#ifndef DASAUDIT_CPREFETCH_H
#define DASAUDIT_CPREFETCH_H

/// Asks the CPU to bring the cache line holding `address` into its caches, ahead of a
/// write to it, without waiting for it: the connection table's batch loop
/// (`FlowTable.add(_:samples:)`) asks for the index slots and records of the segments a few
/// places ahead, so that their misses overlap. A hint only: it never faults, so a stale or
/// wild address costs nothing but the hint. (Swift has no prefetch of its own; this
/// inlines into the Swift loop as one prefetch instruction, `prefetcht0` on x86-64.)
static inline void prefetch_for_write(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
