#ifndef MALLOC_COUNTER_H
#define MALLOC_COUNTER_H
#include <stdint.h>

/// Heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign)
/// made by this process since it started, counted by the definitions in MallocCounter.c,
/// which take the place of the C library's in an executable linked with this target.
uint64_t malloc_counter_allocations(void);
/// Whether the interposed functions are the ones in use (false: counts mean nothing).
int malloc_counter_active(void);

#endif
