#!/usr/bin/env bash
# scripts/install-test.sh: the packages install and work on a clean Debian 12, 13 and testing without
# Swift; the static tarball in an empty root and on Debian 11, below the packages' glibc floor.
#
#   scripts/install-test.sh [--no-build]
#
#   --no-build   use the packages scripts/package.sh already wrote into dist/ (same commit)
#
# Needs root (debootstrap, chroot) and Debian's mirror (DEBIAN_MIRROR, default
# http://deb.debian.org/debian). Run by scripts/test.sh, so by CI.
#
#   1. scripts/package.sh builds the packages into dist/.
#   2. Clean roots: `debootstrap --variant=minbase bookworm` (and trixie, testing), each made once and
#      cached as .build-install/SUITE-minbase.tar (delete it to make it again); each check
#      below unpacks a fresh copy. /proc is mounted inside while it runs and always unmounted.
#   3. The .deb, on Debian 12 (bookworm), Debian 13 (trixie, whose libpcap package is
#      libpcap0.8t64) and Debian testing (whose libxml2 is 2.14, libxml2.so.16, which a
#      binary linked with Foundation's XML could not load; dasaudit reads XML itself):
#      `apt-get install ./dasaudit_*.deb` in a clean root (apt fetches
#      libpcap0.8 and the rest of Depends from the mirror), then the checks, then
#      `apt-get purge` removes every file it installed.
#   4. The tarball, in a second clean root, exactly as README's Install section says:
#      `apt-get install libpcap0.8`, then extracted into /usr/local; the same checks.
#   5. The rpm's binary (its libpcap NEEDED renamed to RHEL's libpcap.so.1) runs in the
#      second root once libpcap.so.1 names Debian's libpcap; its Requires are RHEL's names.
#   6. The static tarball, extracted into an empty root: no C library, no dynamic loader, no
#      libpcap, only its own files, /proc, /tmp, /dev/urandom and an /etc/passwd and
#      /etc/group of root and nobody; run there as Linux 3.10 (RHEL 7's kernel) would answer
#      its system calls (packaging/compat/linux-3.10-syscalls.c). --version, the bundled capture's known result and --das-home as above, a
#      live capture on the loopback interface as --user nobody (the report is nobody's and
#      holds the HTTP requests made meanwhile), and --user of an account not in /etc/passwd
#      refused (exit 2): this build never loads the host's NSS modules. Then on Debian 11
#      (bullseye, glibc 2.31, older than the packages' floor): the tarball's binary is refused
#      by the loader (GLIBC_2.34 not found), as docs/install.md says, and the static tarball,
#      extracted into /usr/local as documented, passes every check of step 4's.
#
# The checks: `dasaudit --version` names the version, the commit and the libpcap; the
# bundled capture captures/spark-cluster-offset2-lo.pcap audits to its known result (exit 1,
# the seven unexpected ports as high findings, 127.0.0.1:5432 refused), and again with
# `--das-home` on the DAS 3.2.0 configuration of Tests/Fixtures (its carbon.xml's offset 4
# and clustering read from its XML); the man page is where
# man-db looks and `man` renders it without a warning; the bash completion completes
# `dasaudit au` to `audit`; zsh's compinit, with Debian zsh's default fpath, binds `_dasaudit`
# to dasaudit; the fish completion is in its vendor directory; every docs/ page the README
# links to is installed beside it. The tarball leaves the
# host's /usr/local directories as they were (a /usr/local/bin kept 2775 root:staff stays so);
# extracted with the documented command from a shell whose umask is 027 (hardened hosts), its
# man page and completions are still found by a user who is not root; the documented removal
# leaves nothing of it. No binary of the three packages has an RPATH or RUNPATH, and root
# running a copy of the binary in /tmp does not load a libpcap.so.0.8 another user put beside it.
# Both packages recommend xz, zstd and bzip2. package.sh itself fails on a binary that names
# its build path.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
say() { echo "install-test: $*" >&2; }
die() { say "error: $*"; exit 2; }
failures=()
fail() { say "FAIL: $*"; failures+=("$*"); }

build=1
while (($#)); do
    case $1 in
        --no-build) build=0; shift ;;
        -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap and chroot)"
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi
cc=${CC:-clang}   # as scripts/package.sh: the Swift toolchain's clang, for the planted library
for tool in debootstrap chroot python3 rpm rpm2cpio objdump "$cc"; do
    command -v "$tool" >/dev/null || die "$tool is missing (scripts/setup.sh installs it)"
done
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=.build-install
mkdir -p "$cache"
started=$SECONDS

# ---------------------------------------------------------------- 1. the packages
version=$(tr -d ' \t\r\n' < VERSION)
commit=$(git rev-parse --short=12 HEAD)
if [ "$build" = 1 ]; then
    scripts/package.sh >/dev/null
fi
tarball=$(ls dist/dasaudit-"$version"-linux-"$(uname -m)".tar.gz)
deb=$(ls dist/dasaudit_"$version"_"$(dpkg --print-architecture)".deb)
rpm_file=$(ls dist/dasaudit-"$version"-1."$(uname -m)".rpm)
static_tarball=$(ls dist/dasaudit-"$version"-linux-"$(uname -m)"-static.tar.gz)
say "packages ready after $((SECONDS - started)) s"

# ---------------------------------------------------------------- 2. clean roots
roots=()
cleanup() {
    local root
    for root in "${roots[@]}"; do
        umount -R "$root/proc" 2>/dev/null || umount -l "$root/proc" 2>/dev/null || true
        # Never delete a tree with something still mounted in it.
        if grep -q " $(realpath "$root")/" /proc/self/mounts; then
            say "left $root in place: something is still mounted in it"
        else
            rm -rf "$root"
        fi
    done
}
trap cleanup EXIT

# clean_root SUITE: the cached clean root of a Debian suite, made with debootstrap if missing.
clean_root() {
    local suite=$1 base=$cache/$1-minbase.tar
    if [ ! -s "$base" ]; then
        say "debootstrap --variant=minbase $suite (cached in $base afterwards)"
        local staging=$cache/debootstrap-$suite
        rm -rf "$staging"
        roots+=("$staging")
        debootstrap --variant=minbase "$suite" "$staging" "$mirror" >"$cache/debootstrap-$suite.log" 2>&1 \
            || { tail -20 "$cache/debootstrap-$suite.log" >&2; die "debootstrap $suite failed (log: $cache/debootstrap-$suite.log)"; }
        echo "deb $mirror $suite main" > "$staging/etc/apt/sources.list"
        rm -f "$staging"/var/cache/apt/archives/*.deb
        tar -C "$staging" -cf "$base.tmp" . && mv "$base.tmp" "$base"
        rm -rf "$staging"
        say "clean $suite root cached after $((SECONDS - started)) s ($(du -m "$base" | cut -f1) MB)"
    fi
}
clean_root bookworm
clean_root trixie
clean_root testing
clean_root bullseye

# new_root DIR [SUITE]: a fresh copy of a clean root (bookworm unless named) with /proc
# mounted and the host's DNS.
new_root() {
    local root=$1 suite=${2:-bookworm}
    rm -rf "$root" && mkdir -p "$root"
    roots+=("$root")
    tar -C "$root" -xf "$cache/$suite-minbase.tar"
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    mount -t proc proc "$root/proc"
}
# in_root DIR COMMAND...: runs a command inside the root, with a plain environment.
in_root() {
    local root=$1; shift
    chroot "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/root \
        DEBIAN_FRONTEND=noninteractive "$@"
}
apt_in_root() {
    local root=$1; shift
    in_root "$root" apt-get -o Dpkg::Use-Pty=0 -q "$@" >>"$cache/apt.log" 2>&1 \
        || { tail -20 "$cache/apt.log" >&2; die "apt-get $* failed in $root (log: $cache/apt.log)"; }
}

# old_kernel_root DIR COMMAND...: runs a command inside a root that has no env of its own
# (the static tarball's), with a plain environment, as Linux 3.10 (RHEL 7's kernel) would
# answer its system calls (packaging/compat/linux-3.10-syscalls.c).
old_kernel_root() {
    local root=$1; shift
    env -i PATH=/bin:/usr/bin HOME=/ "$cache/linux-3.10-syscalls" "$(command -v chroot)" "$root" "$@"
}

# check_runs RUN ROOT BINARY LABEL: --version, the bundled capture's known result and
# --das-home, with BINARY run in ROOT by RUN (in_root or old_kernel_root).
check_runs() {
    local run=$1 root=$2 binary=$3 label=$4

    # --version: the release, the commit and the libpcap actually loaded.
    local version_text
    version_text=$("$run" "$root" "$binary" --version 2>&1) || fail "$label: dasaudit --version failed: $version_text"
    [ "$(sed -n 1p <<<"$version_text")" = "dasaudit $version (commit $commit)" ] \
        || fail "$label: --version says '$(sed -n 1p <<<"$version_text")', not 'dasaudit $version (commit $commit)'"
    [[ "$(sed -n 2p <<<"$version_text")" == "libpcap version "* ]] \
        || fail "$label: --version does not name the libpcap: $version_text"

    # The bundled capture and its known result.
    cp captures/spark-cluster-offset2-lo.pcap "$root/tmp/spark.pcap"
    local status=0
    "$run" "$root" "$binary" audit /tmp/spark.pcap --offset 2 --mode cluster --cores 2 \
        --format json --output /tmp/audit.json 2>"$root/tmp/audit.stderr" || status=$?
    [ "$status" -eq 1 ] || fail "$label: the audit exited $status, not 1: $(cat "$root/tmp/audit.stderr")"
    [ -s "$root/tmp/audit.json" ] && python3 - "$root/tmp/audit.json" <<'PY' || fail "$label: the audit's findings differ from the known result"
import json, sys
result = json.load(open(sys.argv[1]))
unexpected = sorted(f"{f['address']}:{f['port']}" for f in result["findings"] if f["kind"] == "unexpected-port")
known = ["127.0.0.1:33289", "127.0.0.1:39897", "127.0.0.1:42985", "127.0.0.1:45335",
         "127.0.0.1:54719", "127.0.0.1:56877", "127.0.0.4:31337"]
problems = []
if unexpected != known:
    problems.append(f"unexpected-port findings {unexpected}, known {known}")
if result["summary"]["findings"]["high"] != 7 or result["summary"]["compliant"]:
    problems.append(f"summary {result['summary']}")
if [f"{a['address']}:{a['port']}" for a in result["attempts"]] != ["127.0.0.1:5432"]:
    problems.append(f"attempts {result['attempts']}")
for problem in problems:
    print(problem, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

    # --das-home: the DAS configuration's XML (carbon.xml, axis2.xml, event-processor.xml, ...)
    # read by the installed binary.
    rm -rf "$root/tmp/das-home" && cp -r Tests/Fixtures/das-3.2.0-cluster-local "$root/tmp/das-home"
    status=0
    "$run" "$root" "$binary" audit /tmp/spark.pcap --das-home /tmp/das-home --cores 2 \
        --format json --output /tmp/das-home.json 2>"$root/tmp/das-home.stderr" || status=$?
    [ "$status" -eq 1 ] || fail "$label: the audit with --das-home exited $status, not 1: $(cat "$root/tmp/das-home.stderr")"
    [ -s "$root/tmp/das-home.json" ] && python3 - "$root/tmp/das-home.json" <<'PY' || fail "$label: --das-home did not read the DAS configuration's offset 4, cluster mode and clustering"
import json, sys
policy = json.load(open(sys.argv[1]))["policy"]
sys.exit(0 if (policy["offset"], policy["mode"], policy["features"]["clustering"]) == (4, "cluster", True) else 1)
PY
}

# check_installed ROOT PREFIX LABEL ZSH_DIR: the checks, on the dasaudit installed under
# PREFIX, its zsh completion in PREFIX/share/zsh/ZSH_DIR.
check_installed() {
    local root=$1 prefix=$2 label=$3 zsh_dir=$4
    local failed_before=${#failures[@]}
    check_runs in_root "$root" "$prefix/bin/dasaudit" "$label"

    # The man page where man-db looks, rendered by man itself, with nothing on stderr (groff
    # warns there of what the page gets wrong, such as "mdoc warning: Empty input line").
    local manpage=$prefix/share/man/man1/dasaudit.1.gz
    [ -s "$root$manpage" ] || fail "$label: no man page at $manpage"
    in_root "$root" MAN_DISABLE_SECCOMP=1 MANWIDTH=80 man -P cat dasaudit >"$root/tmp/man.out" 2>"$root/tmp/man.err" || true
    grep -q "dasaudit audit" "$root/tmp/man.out" || fail "$label: 'man dasaudit' does not show the audit subcommand"
    [ ! -s "$root/tmp/man.err" ] \
        || fail "$label: 'man dasaudit' warns $(wc -l <"$root/tmp/man.err") time(s): $(head -3 "$root/tmp/man.err" | tr '\n' ' ')"

    # The bash completion, loaded the way bash-completion loads it, completes a subcommand.
    local completion=$prefix/share/bash-completion/completions/dasaudit
    [ -s "$root$completion" ] || fail "$label: no bash completion at $completion"
    local completed
    completed=$(in_root "$root" bash -c "source $completion
        COMP_WORDS=(dasaudit au); COMP_CWORD=1; COMP_LINE='dasaudit au'; COMP_POINT=\${#COMP_LINE}
        \$(complete -p dasaudit | sed -E 's/.*-F ([^ ]+).*/\1/') dasaudit au dasaudit
        printf '%s\n' \"\${COMPREPLY[@]}\"" 2>&1) || true
    grep -qx "audit" <<<"$completed" || fail "$label: bash completion of 'dasaudit au' gave '$completed', not 'audit'"
    # zsh: compinit (with zsh's own default fpath, no user setup) finds the completion.
    local zsh_completion=$prefix/share/zsh/$zsh_dir/_dasaudit
    [ -s "$root$zsh_completion" ] || fail "$label: no zsh completion at $zsh_completion"
    completed=$(in_root "$root" zsh -fc 'autoload -Uz compinit && compinit -u -d /tmp/zcompdump && print -r -- ${_comps[dasaudit]}' 2>&1) || true
    [ "$completed" = _dasaudit ] || fail "$label: zsh's compinit does not load $zsh_completion (fpath: $(in_root "$root" zsh -fc 'print -r -- $fpath' 2>&1)): '$completed'"
    [ -s "$root$prefix/share/fish/vendor_completions.d/dasaudit.fish" ] || fail "$label: no fish completion"
    # The installed README's links into the manual (docs/...) lead to installed files.
    local doc=$prefix/share/doc/dasaudit link
    [ -s "$root$doc/README.md" ] || fail "$label: no README in $doc"
    for link in $(grep -o '](docs/[^)#]*' "$root$doc/README.md" | cut -c3- | sort -u); do
        [ -s "$root$doc/$link" ] || fail "$label: the README links to $link, not installed in $doc"
    done
    [ ${#failures[@]} -gt "$failed_before" ] \
        || say "$label: --version, the audit's known result, --das-home, man page and completions are right"
}

work=$cache/roots

# ---------------------------------------------------------------- 3. the .deb
# The decompressors of compressed captures, as weak dependencies of both packages.
recommends="$(dpkg-deb -f "$deb" Recommends) / $(rpm -qp --recommends "$rpm_file" 2>/dev/null | sort | tr '\n' ' ')"
[ "$recommends" = "xz-utils, zstd, bzip2 / bzip2 xz zstd " ] || fail "packages recommend '$recommends', not xz, zstd and bzip2"
for suite in bookworm trixie testing; do
    root=$work/deb-$suite
    new_root "$root" "$suite"
    # man-db and bash-completion: what a host that reads man pages and completes has.
    apt_in_root "$root" install -y --no-install-recommends man-db bash-completion zsh
    cp "$deb" "$root/tmp/"
    apt_in_root "$root" install -y --no-install-recommends "/tmp/$(basename "$deb")"
    say "installed $(basename "$deb") with apt-get on $suite after $((SECONDS - started)) s"
    check_installed "$root" /usr ".deb on $suite" vendor-completions
    apt_in_root "$root" purge -y dasaudit
    left=$(cd "$root" && ls usr/bin/dasaudit usr/share/man/man1/dasaudit.1.gz usr/share/bash-completion/completions/dasaudit 2>/dev/null || true)
    [ -z "$left" ] || fail ".deb on $suite: apt-get purge left $left"
done

# ---------------------------------------------------------------- 4. the tarball
root=$work/tarball
new_root "$root"
apt_in_root "$root" install -y --no-install-recommends libpcap0.8 man-db bash-completion zsh
# A host that lets the staff group install into /usr/local/bin (setgid, group-writable): the
# documented extraction must leave that, and every other directory already there, alone.
chgrp staff "$root/usr/local/bin" && chmod 2775 "$root/usr/local/bin"
local_dirs() { (cd "$root" && find usr/local -type d -exec stat -c '%n %a %U:%G' {} + | sort); }
dirs_before=$(local_dirs)
# Exactly as docs/install.md says, from a root shell whose umask is a hardened host's (027):
# the directories tar creates must still be readable by every user.
cp "$tarball" "$root/tmp/"
in_root "$root" sh -c "umask 027 && sh -c 'umask 022 && tar -xzf /tmp/$(basename "$tarball") -C /usr/local --strip-components=1'" \
    || fail "tarball: the documented extraction failed"
changed=$(comm -23 <(echo "$dirs_before") <(local_dirs))
[ -z "$changed" ] || fail "tarball: extracting it changed existing directories; before: $(tr '\n' ' ' <<<"$changed")"
[ "$(stat -c '%a %G' "$root/usr/local/bin")" = "2775 staff" ] \
    || fail "tarball: /usr/local/bin is $(stat -c '%a %U:%G' "$root/usr/local/bin") after extraction, not 2775 root:staff"
in_root "$root" mandb -q >/dev/null 2>&1 || true
check_installed "$root" /usr/local "tarball" site-functions
# A user who is not root finds the man page and reads the completions and the manual.
in_root "$root" useradd --no-create-home dasaudit-user
as_user=(chroot --userspec=dasaudit-user:dasaudit-user "$root" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp)
# (/usr/local/man is Debian's link to share/man: man may name the page through either.)
manpage=$("${as_user[@]}" man -w dasaudit 2>&1) || true
[[ "$manpage" =~ ^/usr/local/(share/)?man/man1/dasaudit\.1\.gz$ ]] \
    || fail "tarball: a user who is not root gets '$manpage' from man -w dasaudit"
for file in share/bash-completion/completions/dasaudit share/zsh/site-functions/_dasaudit \
    share/fish/vendor_completions.d/dasaudit.fish share/doc/dasaudit/README.md share/doc/dasaudit/docs/install.md; do
    "${as_user[@]}" head -c1 "/usr/local/$file" >/dev/null 2>&1 \
        || fail "tarball: a user who is not root cannot read /usr/local/$file ($(cd "$root/usr/local" && stat -c '%a %U' "$(dirname "$file")"))"
done

# The library search path: none in any of the three binaries, so nothing beside the binary
# is loaded. An operator who copies the binary to /tmp and runs it as root must not load a
# libpcap.so.0.8 another user planted there (its constructor would run as root).
mkdir -p "$root/tmp/rpm"
rpm2cpio "$rpm_file" | (cd "$root/tmp/rpm" && cpio -idm --quiet ./usr/bin/dasaudit)
mkdir -p "$root/tmp/deb" && dpkg-deb -x "$deb" "$root/tmp/deb"
for binary in "$root/usr/local/bin/dasaudit" "$root/tmp/deb/usr/bin/dasaudit" "$root/tmp/rpm/usr/bin/dasaudit"; do
    search_path=$(objdump -p "$binary" | awk '$1 == "RPATH" || $1 == "RUNPATH" {print $1 " " $2}')
    [ -z "$search_path" ] || fail "${binary#"$root"}: has $search_path: it loads libraries from there before the system's"
done
printf '%s\n' '#include <stdio.h>' \
    '__attribute__((constructor)) static void planted(void) { FILE *f = fopen("/tmp/planted-library-ran", "w"); if (f) fclose(f); }' \
    > "$cache/planted.c"
"$cc" -shared -fPIC -Wl,-soname,libpcap.so.0.8 -o "$root/tmp/libpcap.so.0.8" "$cache/planted.c" \
    || die "cannot compile the planted library with $cc"
chown 65534:65534 "$root/tmp/libpcap.so.0.8"
install -m 755 "$root/usr/local/bin/dasaudit" "$root/tmp/dasaudit"
planted_version=$(in_root "$root" /tmp/dasaudit --version 2>&1) || true
[ ! -e "$root/tmp/planted-library-ran" ] \
    || fail "tarball: root running /tmp/dasaudit ran the code of a libpcap.so.0.8 planted in /tmp ($(head -1 <<<"$planted_version"))"
[ "$(sed -n 1p <<<"$planted_version")" = "dasaudit $version (commit $commit)" ] \
    || fail "tarball: /tmp/dasaudit beside a planted libpcap.so.0.8 says '$planted_version'"
rm -f "$root/tmp/dasaudit" "$root/tmp/libpcap.so.0.8"

# The documented removal leaves nothing of dasaudit under /usr/local, and its directories as
# they were.
in_root "$root" sh -c "cd /usr/local && tar -tzf /tmp/$(basename "$tarball") | cut -d/ -f2- | grep -v '/\$' | xargs rm -f -- && rm -rf share/doc/dasaudit" \
    || fail "tarball: the documented removal failed"
left=$(cd "$root/usr/local" && find . -name '*dasaudit*' | sort | tr '\n' ' ')
[ -z "$left" ] || fail "tarball: the documented removal left $left"
changed=$(comm -23 <(echo "$dirs_before") <(local_dirs))
[ -z "$changed" ] || fail "tarball: removing it changed existing directories; before: $(tr '\n' ' ' <<<"$changed")"

# ---------------------------------------------------------------- 5. the rpm
requires=$(rpm -qpR "$rpm_file" 2>/dev/null)
grep -q '^libpcap.so.1()(64bit)$\|^libpcap.so.1$' <<<"$requires" || fail "rpm: does not require libpcap.so.1: $requires"
! grep -q 'libpcap.so.0.8' <<<"$requires" || fail "rpm: requires Debian's libpcap.so.0.8: $requires"
files=$(rpm -qpl "$rpm_file" 2>/dev/null)
for file in /usr/bin/dasaudit /usr/share/man/man1/dasaudit.1.gz /usr/share/bash-completion/completions/dasaudit; do
    grep -qx "$file" <<<"$files" || fail "rpm: does not install $file"
done
library=$(cd "$root" && ls usr/lib/*-linux-gnu/libpcap.so.1.* | head -1)
ln -sf "$(basename "$library")" "$root/$(dirname "$library")/libpcap.so.1"
rpm_version=$(in_root "$root" /tmp/rpm/usr/bin/dasaudit --version 2>&1) \
    && [ "$(sed -n 1p <<<"$rpm_version")" = "dasaudit $version (commit $commit)" ] \
    || fail "rpm: its binary does not run against libpcap.so.1: $rpm_version"
say "rpm: requires $(grep -v '^rpmlib' <<<"$requires" | sed 's/(.*//' | sort -u | tr '\n' ' ')"

# ---------------------------------------------------------------- 6. the static tarball
root=$work/static
rm -rf "$root" && mkdir -p "$root/proc" "$root/tmp" "$root/etc" "$root/dev"
roots+=("$root")
chmod 1777 "$root/tmp"
# Before getrandom (Linux 3.17) the Swift runtime reads its random seed from /dev/urandom,
# which every host has.
mknod -m 444 "$root/dev/urandom" c 1 9
"$cc" -O2 -o "$cache/linux-3.10-syscalls" packaging/compat/linux-3.10-syscalls.c \
    || die "cannot compile packaging/compat/linux-3.10-syscalls.c with $cc"
"$cache/linux-3.10-syscalls" /usr/bin/python3 -c 'import os; os.getrandom(1)' 2>/dev/null \
    && die "packaging/compat/linux-3.10-syscalls.c lets getrandom (Linux 3.17) through"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
tar -xzf "$static_tarball" -C "$root" --strip-components=1
mount -t proc proc "$root/proc"
others=$(cd "$root" && find . -path ./proc -prune -o ! -type d -print | grep -v -E '^\./(bin/dasaudit|share/.*|etc/(passwd|group)|dev/urandom)$' || true)
[ -z "$others" ] || fail "static: the root holds more than the tarball: $others"
[ ! -e "$root/lib" ] && [ ! -e "$root/lib64" ] && [ ! -e "$root/usr" ] || fail "static: the root has a library directory"
failed_before=${#failures[@]}
check_runs old_kernel_root "$root" /bin/dasaudit "static tarball in an empty root"

# Live, on the loopback interface, as nobody once the device is open: an HTTP server on the
# host's loopback answers three requests made while it captures.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$root/share" >/dev/null 2>&1 &
server=$!
old_kernel_root "$root" /bin/dasaudit live --interface lo --duration 4 --user nobody --format json \
    --output /tmp/live.json 2>"$root/live.stderr" &
capture=$!
for _ in $(seq 50); do grep -q 'capturing on lo' "$root/live.stderr" 2>/dev/null && break; sleep 0.1; done
for _ in 1 2 3; do python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/').read()" || true; done
status=0
wait "$capture" || status=$?
kill "$server" 2>/dev/null || true
[ "$status" -le 1 ] || fail "static: dasaudit live exited $status: $(cat "$root/live.stderr")"
[ "$(stat -c %u "$root/tmp/live.json" 2>/dev/null)" = 65534 ] || fail "static: the live report is not nobody's (--user nobody)"
python3 - "$root/tmp/live.json" "$port" <<'PY' || fail "static: the live audit did not see the three HTTP requests to port $port"
import json, sys
result, port = json.load(open(sys.argv[1])), int(sys.argv[2])
served = [s for s in result["services"] if s["address"] == "127.0.0.1" and s["port"] == port]
sys.exit(0 if served and served[0]["connections"] >= 3 and served[0]["protocol"] == "http" else 1)
PY
status=0
refusal=$(old_kernel_root "$root" /bin/dasaudit live --interface lo --duration 1 --user no-such-account \
    --format json --output /tmp/refused.json 2>&1) || status=$?
[ "$status" = 2 ] && grep -q 'no such user in /etc/passwd' <<<"$refusal" \
    || fail "static: --user of an account not in /etc/passwd gave exit $status: $refusal"
old_kernel_root "$root" /bin/dasaudit live --help 2>&1 | tr -s ' \n' ' ' | grep -q 'reads local accounts only' \
    || fail "static: live --help does not say that --user reads local accounts only"
[ ${#failures[@]} -gt "$failed_before" ] \
    || say "static tarball in an empty root: --version, the known result, --das-home, live as nobody are right"

# On a host older than the packages' glibc floor: Debian 11's glibc 2.31.
root=$work/static-bullseye
new_root "$root" bullseye
apt_in_root "$root" install -y --no-install-recommends libpcap0.8 man-db bash-completion zsh
cp "$tarball" "$static_tarball" "$root/tmp/"
mkdir -p "$root/tmp/dynamic" && tar -xzf "$tarball" -C "$root/tmp/dynamic" --strip-components=1
refused=$(in_root "$root" /tmp/dynamic/bin/dasaudit --version 2>&1) \
    && fail "bullseye: the tarball's binary ran on glibc 2.31, below its documented floor: $refused"
grep -q "GLIBC_2.34' not found" <<<"$refused" || fail "bullseye: the tarball's binary failed otherwise than for its glibc: $refused"
in_root "$root" sh -c "umask 022 && tar -xzf /tmp/$(basename "$static_tarball") -C /usr/local --strip-components=1" \
    || fail "bullseye: the documented extraction of the static tarball failed"
in_root "$root" mandb -q >/dev/null 2>&1 || true
check_installed "$root" /usr/local "static tarball on bullseye" site-functions
in_root "$root" MANWIDTH=200 man -P cat dasaudit 2>/dev/null | grep -q 'This static build reads local accounts only' \
    || fail "static tarball on bullseye: its man page does not say that --user reads local accounts only"

say "took $((SECONDS - started)) s"
if [ ${#failures[@]} -gt 0 ]; then
    say "${#failures[@]} check(s) failed"
    exit 1
fi
say "every check passed"
