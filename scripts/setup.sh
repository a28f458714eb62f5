#!/usr/bin/env bash
# Installs what dasaudit needs to build and test on a Debian/Ubuntu machine with Swift:
# libpcap-dev (the library), tcpdump and tshark (recording and cross-checks).
# Safe to re-run: installs only what is missing. Sourced by demo.sh and test.sh.
set -euo pipefail

if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi
command -v swift >/dev/null 2>&1 || { echo "setup: Swift 6 is required (https://swift.org/install)" >&2; exit 2; }

# chromium, poppler-utils and python3-jsonschema: the HTML report's browser check and the
# JSON schema check (scripts/render-report.sh).
# tcpreplay (tcprewrite), gzip, zstd, xz-utils, bzip2: the capture variants and compressed
# inputs of scripts/compare-tshark.sh and the input tests.
# nftables, iptables, iproute2: the firewall rules loaded in network namespaces (FirewallNamespaceTests).
# debootstrap, rpm (rpmbuild, rpm2cpio), cpio, dpkg-dev (dpkg-shlibdeps), binutils (objdump,
# strip), patchelf: the release packages and their install test (scripts/package.sh,
# scripts/install-test.sh); flex, bison and curl: the static binary's libpcap, built from
# Debian's copy of its source (scripts/static-libpcap.sh).
# prometheus (with promtool): the live metrics scraped by a real Prometheus (LiveWatchTests).
# default-jdk-headless, python3-venv: Spark local mode for scripts/spark-fanout-test.sh (pyspark
# itself comes from PyPI into .build/spark-venv); openssh-server and -client: the ssh fan-out
# recipe of docs/merge.md against a local sshd (scripts/fanout-ssh-test.sh).
# libxml2-utils (xmllint) and cmark-gfm: real readers of the JUnit and Markdown reports
# (JUnitReadersTests, MarkdownAutolinkTests); python3-lxml: libxml2's reading of the
# configuration XML the project's own reader is compared with (XMLDifferentialTests).
packages=(libpcap-dev pkg-config flex bison curl tcpdump tshark chromium poppler-utils python3-jsonschema
          tcpreplay gzip zstd xz-utils bzip2 nftables iptables iproute2
          debootstrap rpm cpio dpkg-dev binutils patchelf prometheus
          default-jdk-headless python3-venv openssh-server openssh-client libxml2-utils cmark-gfm
          python3-lxml)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture; answer no without a prompt.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo debconf-set-selections 2>/dev/null || true
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The prometheus package starts a server on :9090 where systemd runs; the tests start
  # their own on a free loopback port, and 9090 is a port the recorded scenarios use.
  if [[ " ${missing[*]} " == *" prometheus "* ]] && command -v systemctl >/dev/null && systemctl is-active --quiet prometheus 2>/dev/null; then
    $sudo systemctl disable --now prometheus >/dev/null 2>&1 || true
  fi
fi
