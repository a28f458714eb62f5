#!/usr/bin/env bash
# scripts/package.sh: the release packages, for hosts without a Swift toolchain.
#
#   scripts/package.sh [--out DIR] [--no-build]
#
#   --out DIR    where the packages go (default dist/)
#   --no-build   package the release binary already in .build-release (after a first run)
#
# Builds dasaudit in release mode with the Swift runtime linked in (--static-swift-stdlib),
# in its own scratch path .build-release so the debug build in .build is left alone, strips
# it, and writes:
#   DIR/dasaudit-VERSION-linux-ARCH.tar.gz   bin/, share/man, share/*completions, share/doc
#                                            (the README, and the manual under docs/)
#                                            (extract into /usr/local with --strip-components=1;
#                                            files only, so existing directories keep their mode)
#   DIR/dasaudit_VERSION_DEBARCH.deb         Depends from dpkg-shlibdeps on the binary itself
#   DIR/dasaudit-VERSION-1.ARCH.rpm          for RHEL-family hosts, built with rpmbuild
#   DIR/dasaudit-VERSION-linux-ARCH-static.tar.gz
#                                            the tarball's layout, its binary static: the C
#                                            library and libpcap linked in (-static-executable,
#                                            libpcap from scripts/static-libpcap.sh, in
#                                            .build-static), for any Linux kernel 3.2 or newer,
#                                            whatever its glibc (RHEL 7 and 8 among them)
#   DIR/SHA256SUMS
# The version comes from VERSION (the one source, read by Plugins/VersionStamp at build
# time); the commit is embedded through DASAUDIT_COMMIT. The man page comes from the
# command definitions (the tool of swift-argument-parser's generate-manual plugin), the bash, zsh and
# fish completions from `dasaudit --generate-completion-script`. Packaging is reproducible
# (file times are the commit's, owners root): the same binary gives the same bytes. The build
# maps its own path to "." (-ffile-prefix-map), so the binary names no build directory.
# Details: docs/install.md.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
root=$PWD
say() { echo "package: $*" >&2; }
die() { say "error: $*"; exit 2; }

out=dist build=1
while (($#)); do
    case $1 in
        --out) [ -n "${2:-}" ] || die "--out needs a directory"; out=$2; shift 2 ;;
        --no-build) build=0; shift ;;
        -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done

if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi
for tool in swift dpkg-deb dpkg-shlibdeps rpmbuild objdump strip strings patchelf gzip; do
    command -v "$tool" >/dev/null || die "$tool is missing (scripts/setup.sh installs it)"
done

# ---------------------------------------------------------------- version and commit
# (the build checks VERSION's form: Plugins/VersionStamp)
version=$(tr -d ' \t\r\n' < VERSION)
commit=$(git rev-parse --short=12 HEAD 2>/dev/null) || die "not a git checkout: the commit cannot be embedded"
if ! git diff --quiet HEAD -- 2>/dev/null; then
    say "warning: the work tree has uncommitted changes; the binary says commit $commit all the same"
fi
# Every file time in the packages: the commit's, so the same commit gives the same bytes.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct HEAD)}
date_of_commit=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)
arch=$(uname -m)                           # x86_64, aarch64: the tarball's and the rpm's name
debarch=$(dpkg --print-architecture)       # amd64, arm64: the .deb's
scratch=.build-release
binary=$scratch/release/dasaudit

# ---------------------------------------------------------------- build
# The symbols to bind to older versions, so the floor stays at RHEL 9's glibc and
# libstdc++ (packaging/compat/older-symbols.c says why each).
older_symbols=(hypot hypotf _ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE)
link_flags=(-Xlinker "$root/$scratch/older-symbols.o")
for symbol in "${older_symbols[@]}"; do link_flags+=(-Xlinker "--wrap=$symbol"); done
# The checkout's path out of the binary: C's __FILE__ (BoringSSL's asserts and error queue in
# swift-crypto, some 200 strings) and Swift's #filePath would otherwise carry
# /where/it/was/built/.build-release/checkouts/..., so a rebuild elsewhere differs.
prefix_map=(-Xcc "-ffile-prefix-map=$root=." -Xswiftc -file-prefix-map -Xswiftc "$root=.")
# Both builds take the same flags, so neither makes the other recompile.
# --disable-local-rpath: SwiftPM otherwise gives every Linux executable the RUNPATH $ORIGIN,
# so the binary would look for libpcap and libstdc++ in its own directory before the
# system's: root running a copy in /tmp (or any directory others may add files to) would load
# a libpcap.so.0.8 planted beside it. Every library it needs is in the system's directories.
release_build() {
    swift build -c release --scratch-path "$scratch" --static-swift-stdlib --disable-local-rpath \
        "${prefix_map[@]}" "${link_flags[@]}" "$@"
}
# The static binary: its own scratch path (other Swift flags), libpcap found through the
# pkg-config file of the static one, which comes first (scripts/static-libpcap.sh says why
# Debian's libpcap.a cannot be linked in). DASAUDIT_STATIC_EXECUTABLE: `--user` reads local
# accounts only (Sources/dasaudit/UserSwitch.swift).
static_scratch=.build-static
static_binary=$static_scratch/release/dasaudit
static_build() {
    PKG_CONFIG_PATH="$root/$static_scratch/libpcap/lib/pkgconfig" \
        swift build -c release --scratch-path "$static_scratch" --disable-local-rpath \
        -Xswiftc -static-executable -Xswiftc -DDASAUDIT_STATIC_EXECUTABLE "${prefix_map[@]}" "$@"
}
export DASAUDIT_COMMIT=$commit
manual_dir=$scratch/manual static_manual_dir=$static_scratch/manual
if [ "$build" = 1 ]; then
    mkdir -p "$scratch" "$manual_dir"
    say "building release $version ($commit) in $scratch"
    "${CC:-clang}" -O2 -fPIC -c packaging/compat/older-symbols.c -o "$scratch/older-symbols.o" \
        || die "cannot compile packaging/compat/older-symbols.c"
    # The wrappers, linked as the release build links them, reach the older versions.
    "${CXX:-clang++}" -O2 -fuse-ld=gold packaging/compat/older-symbols-check.cpp "${link_flags[@]}" \
        -pthread -o "$scratch/older-symbols-check" \
        || die "cannot build packaging/compat/older-symbols-check.cpp"
    timeout 20 "$scratch/older-symbols-check" \
        || die "packaging/compat/older-symbols.c: the wrapped functions do not work (exit $?)"
    ! objdump -T "$scratch/older-symbols-check" | grep -E 'GLIBC_2\.3[5-9]|GLIBCXX_3\.4\.3' \
        || die "packaging/compat/older-symbols.c: the check program still references the versions above"
    release_build --product dasaudit >"$scratch/package-build.log" 2>&1 \
        || { tail -30 "$scratch/package-build.log" >&2; die "release build failed (log: $scratch/package-build.log)"; }
    # The man page, from the binary's own command definitions, by the tool behind
    # swift-argument-parser's generate-manual plugin (`swift package plugin generate-manual`
    # runs the same tool, after a second release build of every product without these flags).
    release_build --product generate-manual >"$scratch/package-manual.log" 2>&1 \
        || { tail -30 "$scratch/package-manual.log" >&2; die "building generate-manual failed (log: $scratch/package-manual.log)"; }
    scripts/static-libpcap.sh "$static_scratch/libpcap" \
        || die "cannot build the static libpcap"
    static_build --product dasaudit >"$static_scratch/package-build.log" 2>&1 \
        || { grep -v "warning: Using '" "$static_scratch/package-build.log" | tail -30 >&2
             die "static build failed (log: $static_scratch/package-build.log)"; }
    # One page per binary: the static one's help says where --user finds users.
    for pair in "$binary $manual_dir" "$static_binary $static_manual_dir"; do
        set -- $pair
        mkdir -p "$2" && rm -f "$2"/*
        "$scratch/release/generate-manual" "$1" --output-directory "$2" \
            --date "$date_of_commit" --authors "dasaudit maintainers" >>"$scratch/package-manual.log" 2>&1 \
            || { tail -30 "$scratch/package-manual.log" >&2; die "generate-manual $1 failed (log: $scratch/package-manual.log)"; }
    done
fi
[ -x "$binary" ] || die "$binary is missing: run without --no-build"
manual=$manual_dir/dasaudit.1 static_manual=$static_manual_dir/dasaudit.1
[ -f "$manual" ] && [ -f "$static_manual" ] || die "the man pages were not generated: run without --no-build"
stamp=$("$binary" --version | head -1)
[ "$stamp" = "dasaudit $version (commit $commit)" ] \
    || die "the binary says '$stamp', not 'dasaudit $version (commit $commit)': rebuild without --no-build"
[ -x "$static_binary" ] || die "$static_binary is missing: run without --no-build"
static_stamp=$("$static_binary" --version | head -1)
[ "$static_stamp" = "$stamp" ] || die "the static binary says '$static_stamp', not '$stamp': rebuild without --no-build"

# ---------------------------------------------------------------- the installed tree
# One staged tree under a /usr-like prefix; the tarball, the .deb and the rpm all copy it.
work=$(mktemp -d "${TMPDIR:-/tmp}/dasaudit-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
tree=$work/tree
install -d "$tree/bin" "$tree/share/man/man1" "$tree/share/bash-completion/completions" \
    "$tree/share/zsh/vendor-completions" "$tree/share/fish/vendor_completions.d" "$tree/share/doc/dasaudit/docs"
install -m 755 "$binary" "$tree/bin/dasaudit"
strip --strip-all "$tree/bin/dasaudit"
# The generator leaves blank lines between the paragraphs of a discussion; groff's mdoc
# warns "Empty input line" for each when `man dasaudit` renders it. .Pp is mdoc's paragraph.
sed 's/^$/.Pp/' "$manual" | gzip -9n > "$tree/share/man/man1/dasaudit.1.gz"
"$tree/bin/dasaudit" --generate-completion-script bash > "$tree/share/bash-completion/completions/dasaudit"
"$tree/bin/dasaudit" --generate-completion-script zsh > "$tree/share/zsh/vendor-completions/_dasaudit"
"$tree/bin/dasaudit" --generate-completion-script fish > "$tree/share/fish/vendor_completions.d/dasaudit.fish"
install -m 644 README.md LICENSE CHANGELOG.md "$tree/share/doc/dasaudit/"
# The manual the README links to (docs/...), so that its links work where it is installed.
install -m 644 docs/*.md docs/result-schema.json "$tree/share/doc/dasaudit/docs/"
install -d "$tree/share/doc/dasaudit/docs/example-report"
install -m 644 docs/example-report/* "$tree/share/doc/dasaudit/docs/example-report/"
find "$tree/share" -type f -exec chmod 644 {} +
find "$tree/share" -type d -exec chmod 755 {} +
find "$tree" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

# What the binary needs from the host: libraries, and the newest glibc and libstdc++ symbol
# versions. The limits are RHEL 9's (glibc 2.34, GCC 11's libstdc++), the floor README's
# Install section states; a newer one is a regression to look into.
needed=$(objdump -p "$tree/bin/dasaudit" | awk '/NEEDED/ {print $2}' | tr '\n' ' ')
newest_version() { objdump -T "$tree/bin/dasaudit" | grep -o "$1_[0-9.]*" | sort -uV | tail -1; }
glibc_floor=$(newest_version GLIBC) glibcxx_floor=$(newest_version GLIBCXX)
# No build path in the binary (prefix_map above; docs/security.md says what else differs
# between builds in two directories).
# refuse_build_path STRIPPED BUILT: fails when the stripped binary names the build directory.
refuse_build_path() {
    local count
    count=$(strings "$1" | grep -c -F "$root") || true
    [ "$count" = 0 ] || die "$2 holds $count strings with the build path $root: strings $2 | grep $root"
}
refuse_build_path "$tree/bin/dasaudit" "$binary"
# No RPATH or RUNPATH: the loader must take the libraries from the system's directories only,
# never from one beside the binary (release_build says why).
search_path=$(objdump -p "$tree/bin/dasaudit" | awk '$1 == "RPATH" || $1 == "RUNPATH" {print $1 " " $2}')
[ -z "$search_path" ] \
    || die "the binary has $search_path: it would load libraries from there before the system's: objdump -p $binary | grep PATH"
# No libxml2: its soname changed with 2.14 (libxml2.so.2 to .16, Debian's libxml2 to
# libxml2-16), so a binary that needs it installs on some distributions only. dasaudit reads
# XML with its own reader (Sources/ConfigurationXML); Foundation's FoundationXML, the one
# thing that would bring libxml2 back, must stay out of the sources.
! grep -q 'libxml2' <<<"$needed" \
    || die "the binary needs libxml2 ($needed): something imports FoundationXML again; readelf -d $binary | grep NEEDED"
say "binary: $(stat -c %s "$tree/bin/dasaudit") bytes stripped; needs ${needed}; newest symbol versions $glibc_floor, $glibcxx_floor"
for pair in "$glibc_floor GLIBC_2.34" "$glibcxx_floor GLIBCXX_3.4.29"; do
    set -- $pair
    [ "$(printf '%s\n' "$1" "$2" | sort -V | tail -1)" = "$2" ] \
        || die "the binary needs $1, above the documented $2: objdump -T $binary | grep $1"
done

mkdir -p "$out"
out=$(cd "$out" && pwd)
# tar: sorted, root-owned, times from SOURCE_DATE_EPOCH; gzip -n: no name or time in the header.
reproducible_tar() { tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" "$@"; }

# ---------------------------------------------------------------- tarball
# Extracted into /usr/local, so zsh's completion goes where zsh looks under /usr/local
# (share/zsh/site-functions, as in the rpm; vendor-completions is Debian's for /usr only).
# The archive holds the files and dasaudit's own directory only: an entry for bin/, share/
# or share/man/ would make tar, run as root, give the host's /usr/local/bin (2775 root:staff
# on some hosts) the archive's mode, owner and time. tar creates a missing parent itself.
name=dasaudit-$version-linux-$arch
mkdir "$work/$name"
cp -a "$tree/." "$work/$name/"
mv "$work/$name/share/zsh/vendor-completions" "$work/$name/share/zsh/site-functions"
# tarball_of DIR: $out/DIR.tar.gz of $work/DIR, its files and dasaudit's own doc directories.
tarball_of() {
    (cd "$work" && { find "$1" -type f; find "$1/share/doc/dasaudit" -type d; } | sort) \
        | reproducible_tar -C "$work" --no-recursion -T - -cf - | gzip -9n > "$out/$1.tar.gz"
}
tarball_of "$name"
say "wrote $out/$name.tar.gz"

# ---------------------------------------------------------------- static tarball
# The same files, the static binary in place of the other. It must need nothing from the
# host: no interpreter (the dynamic loader), no library.
static_name=$name-static
mkdir "$work/$static_name"
cp -a "$work/$name/." "$work/$static_name/"
install -m 755 "$static_binary" "$work/$static_name/bin/dasaudit"
sed 's/^$/.Pp/' "$static_manual" | gzip -9n > "$work/$static_name/share/man/man1/dasaudit.1.gz"
touch -h -d "@$SOURCE_DATE_EPOCH" "$work/$static_name/share/man/man1/dasaudit.1.gz"
strip --strip-all "$work/$static_name/bin/dasaudit"
touch -h -d "@$SOURCE_DATE_EPOCH" "$work/$static_name/bin/dasaudit"
! objdump -p "$work/$static_name/bin/dasaudit" | grep -E 'NEEDED|INTERP|RPATH|RUNPATH' >&2 \
    || die "the static binary still needs the dynamic loader or a library: objdump -p $static_binary"
refuse_build_path "$work/$static_name/bin/dasaudit" "$static_binary"
tarball_of "$static_name"
say "wrote $out/$static_name.tar.gz (binary $(stat -c %s "$work/$static_name/bin/dasaudit") bytes stripped, static)"

# ---------------------------------------------------------------- .deb
deb=$work/deb
mkdir -p "$deb/usr" "$deb/DEBIAN"
cp -a "$tree/." "$deb/usr/"
# Debian's places for the license and the changelog.
mv "$deb/usr/share/doc/dasaudit/LICENSE" "$deb/usr/share/doc/dasaudit/copyright"
gzip -9n "$deb/usr/share/doc/dasaudit/CHANGELOG.md"
# dpkg-shlibdeps maps every NEEDED library to its package and the lowest version that has
# the symbols the binary uses (libc6 (>= 2.34), libpcap0.8 (>= 1.5.1), ...); it wants a
# debian/control to read, nothing more.
mkdir -p "$work/shlibs/debian"
printf 'Source: dasaudit\n\nPackage: dasaudit\nArchitecture: any\n' > "$work/shlibs/debian/control"
depends=$(cd "$work/shlibs" && dpkg-shlibdeps -O "$deb/usr/bin/dasaudit" 2>"$work/shlibdeps.log") \
    || { cat "$work/shlibdeps.log" >&2; die "dpkg-shlibdeps failed"; }
depends=${depends#shlibs:Depends=}
! grep -q libxml2 <<<"$depends" || die "the .deb would depend on libxml2 ($depends): see the NEEDED check above"
[ -n "$depends" ] || die "dpkg-shlibdeps found no dependency"
installed_size=$(du -sk --apparent-size "$deb/usr" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$debarch/" -e "s/@DEPENDS@/$depends/" \
    -e "s/@INSTALLED_SIZE@/$installed_size/" packaging/deb/control > "$deb/DEBIAN/control"
find "$deb" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
dpkg-deb --root-owner-group -Zgzip -z9 --build "$deb" "$out/dasaudit_${version}_$debarch.deb" >/dev/null
say "wrote $out/dasaudit_${version}_$debarch.deb (Depends: $depends)"

# ---------------------------------------------------------------- rpm
# Debian's libpcap keeps the old soname libpcap.so.0.8; RHEL's (same library, same ABI) is
# libpcap.so.1. The rpm's binary asks for libpcap.so.1, so that rpm's automatic Requires
# name what RHEL-family hosts provide.
rpmtop=$work/rpm
mkdir -p "$rpmtop"/{BUILD,RPMS,SOURCES,SPECS,SRPMS,tmp} "$rpmtop/stage/usr"
cp -a "$tree/." "$rpmtop/stage/usr/"
# zsh on RHEL-family hosts reads /usr/share/zsh/site-functions; Debian's has vendor-completions.
mv "$rpmtop/stage/usr/share/zsh/vendor-completions" "$rpmtop/stage/usr/share/zsh/site-functions"
rpm_binary=$rpmtop/stage/usr/bin/dasaudit
for library in $(objdump -p "$rpm_binary" | awk '/NEEDED/ && $2 ~ /^libpcap\.so\./ {print $2}'); do
    [ "$library" = libpcap.so.1 ] || patchelf --replace-needed "$library" libpcap.so.1 "$rpm_binary"
done
touch -h -d "@$SOURCE_DATE_EPOCH" "$rpm_binary"
sed -e "s/@VERSION@/$version/" -e "s/@COMMIT@/$commit/" packaging/rpm/dasaudit.spec > "$rpmtop/SPECS/dasaudit.spec"
rpmbuild -bb --quiet --target "$arch" \
    --define "_topdir $rpmtop" --define "_tmppath $rpmtop/tmp" --define "stage $rpmtop/stage" \
    --define "_build_id_links none" --define "use_source_date_epoch_as_buildtime 1" \
    --define "clamp_mtime_to_source_date_epoch 1" --define "__os_install_post %{nil}" \
    --define "_binary_payload w9.gzdio" --define "_buildhost reproducible" \
    "$rpmtop/SPECS/dasaudit.spec" >"$work/rpmbuild.log" 2>&1 \
    || { cat "$work/rpmbuild.log" >&2; die "rpmbuild failed"; }
rpm_file=$(find "$rpmtop/RPMS" -name '*.rpm' | head -1)
cp "$rpm_file" "$out/"
say "wrote $out/$(basename "$rpm_file") (Requires: $(rpm -qpR "$rpm_file" 2>/dev/null | grep -v '^rpmlib' | sed 's/(.*//' | sort -u | tr '\n' ' '))"

(cd "$out" && sha256sum "$name.tar.gz" "dasaudit_${version}_$debarch.deb" "$(basename "$rpm_file")" \
    "$static_name.tar.gz" > SHA256SUMS)
# For scripts: the four package paths, one a line.
printf '%s\n' "$out/$name.tar.gz" "$out/dasaudit_${version}_$debarch.deb" "$out/$(basename "$rpm_file")" \
    "$out/$static_name.tar.gz"
