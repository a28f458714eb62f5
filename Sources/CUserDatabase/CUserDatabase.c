#include "CUserDatabase.h"

#if __has_include(<nss.h>)
#include <nss.h>
#define HAS_NSS 1
#endif

int cuserdb_use_local_files(void) {
#if defined(HAS_NSS)
    return __nss_configure_lookup("passwd", "files") == 0
        && __nss_configure_lookup("group", "files") == 0
        && __nss_configure_lookup("initgroups", "files") == 0;
#else
    return 0;
#endif
}
