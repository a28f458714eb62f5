/*
 * Keeps the release binary runnable on RHEL 9 (glibc 2.34, the libstdc++ of GCC 11).
 *
 * Linked against Debian 12, three references of the statically linked Swift runtime bind
 * to symbol versions newer than RHEL 9 has, although older versions of the same functions
 * exist everywhere:
 *   - hypot, hypotf: glibc 2.35 added new versions (hypot@GLIBC_2.35); the references come
 *     from Foundation's CGFloat and the Glibc overlay, which dasaudit never calls;
 *   - std::condition_variable::wait(std::unique_lock<std::mutex>&): GCC 12's libstdc++
 *     added a version (GLIBCXX_3.4.30) that lets a thread cancellation unwind through it;
 *     dasaudit cancels no thread, and the GLIBCXX_3.4.11 version does the same wait.
 * scripts/package.sh links this file with `--wrap=SYMBOL` for each, so those references go
 * to the __wrap_ functions below, which call the older versions: same behaviour, and the
 * binary's floor drops to GLIBC_2.34 and GLIBCXX_3.4.29.
 *
 * The older versions are looked up with dlvsym on first use. A `.symver` alias does not
 * work here: gold, the linker Swift uses, applies `--wrap=hypot` to `hypot@GLIBC_2.2.5`
 * as well, and the wrapper would call itself.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#if defined(__x86_64__)
#define GLIBC_BASE "GLIBC_2.2.5"
#elif defined(__aarch64__)
#define GLIBC_BASE "GLIBC_2.17"
#else
#error "no known base glibc version for this architecture"
#endif

/* NAME at VERSION in the libraries loaded after the executable, looked up once into *cache. */
static void *older_version(void **cache, const char *name, const char *version) {
    void *function = __atomic_load_n(cache, __ATOMIC_ACQUIRE);
    if (function == NULL) {
        function = dlvsym(RTLD_NEXT, name, version);
        if (function == NULL) {
            fprintf(stderr, "dasaudit: %s@%s is missing: %s\n", name, version, dlerror());
            abort();
        }
        __atomic_store_n(cache, function, __ATOMIC_RELEASE);
    }
    return function;
}

double __wrap_hypot(double x, double y) {
    static void *cache;
    return ((double (*)(double, double))older_version(&cache, "hypot", GLIBC_BASE))(x, y);
}

float __wrap_hypotf(float x, float y) {
    static void *cache;
    return ((float (*)(float, float))older_version(&cache, "hypotf", GLIBC_BASE))(x, y);
}

/* void std::condition_variable::wait(std::unique_lock<std::mutex>&): `this`, then the lock. */
#define CONDITION_WAIT "_ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE"
void __wrap__ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE(void *condition, void *lock) {
    static void *cache;
    ((void (*)(void *, void *))older_version(&cache, CONDITION_WAIT, "GLIBCXX_3.4.11"))(condition, lock);
}
