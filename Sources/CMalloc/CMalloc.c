#include "CMalloc.h"
#include <stdlib.h>  // defines __GLIBC__ where the C library is glibc

#if defined(__GLIBC__)
#include <malloc.h>

int cmalloc_map_allocations_from(int bytes) {
    return mallopt(M_MMAP_THRESHOLD, bytes);
}

unsigned long long cmalloc_mapped_bytes(void) {
    return mallinfo2().hblkhd;
}

unsigned long long cmalloc_heap_free_bytes(void) {
    return mallinfo2().fordblks;
}
#else
int cmalloc_map_allocations_from(int bytes) {
    (void)bytes;
    return 0;
}

unsigned long long cmalloc_mapped_bytes(void) {
    return 0;
}

unsigned long long cmalloc_heap_free_bytes(void) {
    return 0;
}
#endif
