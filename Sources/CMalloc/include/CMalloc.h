#ifndef DASAUDIT_CMALLOC_H
#define DASAUDIT_CMALLOC_H

/// Serves every heap allocation of at least `bytes` from a mapping of its own, unmapped
/// when it is freed, and keeps that threshold fixed. By default glibc raises the threshold
/// to the size of each large block freed (up to 32 MiB), after which growing arrays are
/// carved from the heap and their freed copies stay resident. Returns 1 on success, 0
/// where the C library has no such setting.
int cmalloc_map_allocations_from(int bytes);

/// Bytes the allocator holds in blocks of their own mapping right now (glibc's
/// `mallinfo2().hblkhd`), 0 where the C library does not say.
unsigned long long cmalloc_mapped_bytes(void);

/// Bytes free in the allocator's heaps right now, ready to serve an allocation without a
/// new mapping (glibc's `mallinfo2().fordblks`), 0 where the C library does not say.
unsigned long long cmalloc_heap_free_bytes(void);

#endif
