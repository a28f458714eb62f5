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
 */
#if defined(__x86_64__)
#define GLIBC_BASE "GLIBC_2.2.5"
#elif defined(__aarch64__)
#define GLIBC_BASE "GLIBC_2.17"
#else
#error "no known base glibc version for this architecture"
#endif

double dasaudit_hypot_base(double x, double y);
float dasaudit_hypotf_base(float x, float y);
__asm__(".symver dasaudit_hypot_base, hypot@" GLIBC_BASE);
__asm__(".symver dasaudit_hypotf_base, hypotf@" GLIBC_BASE);

double __wrap_hypot(double x, double y) { return dasaudit_hypot_base(x, y); }
float __wrap_hypotf(float x, float y) { return dasaudit_hypotf_base(x, y); }

/* void std::condition_variable::wait(std::unique_lock<std::mutex>&): `this`, then the lock. */
void dasaudit_condition_wait_base(void *condition, void *lock);
__asm__(".symver dasaudit_condition_wait_base, _ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE@GLIBCXX_3.4.11");

void __wrap__ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE(void *condition, void *lock) {
    dasaudit_condition_wait_base(condition, lock);
}
