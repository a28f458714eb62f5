// Runs a command as Linux 3.10 (RHEL 7's kernel) would answer its system calls: every system
// call x86_64 gained after 3.10, numbered above finit_module (313: sched_setattr, renameat2,
// getrandom, memfd_create, statx, rseq, clone3, ...), fails with ENOSYS, which is what an
// older kernel returns for a number it does not know. scripts/install-test.sh runs the static
// binary's checks under it, so that a call with no fallback for older kernels (in glibc, the
// Swift runtime, libpcap or dasaudit) shows here rather than on a RHEL 7 host. What it does
// not cover: flags a newer kernel added to an old call.
//
//   linux-3.10-syscalls COMMAND [ARG...]   (COMMAND by its path)
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

enum { lastSystemCallOfLinux310 = 313 };

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s COMMAND [ARG...]\n", argv[0]);
        return 2;
    }
    struct sock_filter filter[] = {
        // Only x86_64 numbers are meant; anything else (an i386 call) is stopped outright.
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, lastSystemCallOfLinux310, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog program = {.len = sizeof filter / sizeof filter[0], .filter = filter};
    // No new privileges: required to install a filter; setuid to a lower user still works.
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) {
        fprintf(stderr, "linux-3.10-syscalls: cannot install the filter: %s\n", strerror(errno));
        return 2;
    }
    execv(argv[1], argv + 1);
    fprintf(stderr, "linux-3.10-syscalls: cannot run %s: %s\n", argv[1], strerror(errno));
    return 127;
}
