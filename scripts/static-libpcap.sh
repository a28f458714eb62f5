#!/usr/bin/env bash
# scripts/static-libpcap.sh: libpcap as a static library for the static binary
# (scripts/package.sh), from Debian's copy of the upstream source.
#
#   scripts/static-libpcap.sh DIR
#
# Downloads libpcap_1.10.3.orig.tar.gz (the upstream release Debian 12's libpcap0.8 is built
# from) from Debian's mirror (DEBIAN_MIRROR, default http://deb.debian.org/debian), checks it
# against the SHA-256 Debian's .dsc lists for it, and builds it into DIR (DIR/lib/libpcap.a,
# DIR/include, DIR/lib/pkgconfig/libpcap.pc); does nothing when DIR/lib/libpcap.a is there.
#
# Why not Debian's own libpcap.a: it is built with D-Bus capture, which needs libdbus-1.a
# and, through it, a libsystemd.a Debian does not ship. This one captures from network
# interfaces only, which is all dasaudit opens: no D-Bus, USB, Bluetooth, RDMA or netmap
# capture sources, no libnl (802.11 monitor mode). Needs a C compiler, make, flex and bison.
set -euo pipefail
say() { echo "static-libpcap: $*" >&2; }
die() { say "error: $*"; exit 2; }

[ $# -eq 1 ] || die "usage: scripts/static-libpcap.sh DIR"
prefix=$(mkdir -p "$1" && cd "$1" && pwd)
[ -f "$prefix/lib/libpcap.a" ] && exit 0

version=1.10.3
tarball=libpcap_$version.orig.tar.gz
sha256=2a8885c403516cf7b0933ed4b14d6caa30e02052489ebd414dc75ac52e7559e6
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
for tool in curl make flex bison "${CC:-cc}"; do
    command -v "$tool" >/dev/null || die "$tool is missing (scripts/setup.sh installs it)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/dasaudit-libpcap.XXXXXX")
trap 'rm -rf "$work"' EXIT
say "downloading $tarball from $mirror"
curl -fsS --retry 3 -o "$work/$tarball" "$mirror/pool/main/libp/libpcap/$tarball" \
    || die "cannot download $mirror/pool/main/libp/libpcap/$tarball"
echo "$sha256  $work/$tarball" | sha256sum -c --quiet - \
    || die "$tarball does not have the SHA-256 Debian lists for it ($sha256)"
tar -xzf "$work/$tarball" -C "$work"
say "building libpcap $version into $prefix"
(
    cd "$work/libpcap-$version"
    ./configure -q --prefix="$prefix" --disable-shared --disable-usb --disable-netmap \
        --disable-bluetooth --disable-dbus --disable-rdma --without-libnl \
        CFLAGS="-O2 -fPIC -ffile-prefix-map=$work=."
    make -s -j"$(nproc)"
    make -s install
) > "$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; die "the libpcap build failed"; }
[ -f "$prefix/lib/libpcap.a" ] || die "the build wrote no $prefix/lib/libpcap.a"
