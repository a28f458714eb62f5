#include "CMalloc.h"
#include <stdlib.h>  // defines __GLIBC__ where the C library is glibc

#if defined(__GLIBC__)
#include <malloc.h>

int cmalloc_map_allocations_from(int bytes) {
    return mallopt(M_MMAP_THRESHOLD, bytes);
}
#else
int cmalloc_map_allocations_from(int bytes) {
    (void)bytes;
    return 0;
}
#endif
