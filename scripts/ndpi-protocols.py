#!/usr/bin/env python3
"""What dasaudit names each connection's protocol, against what nDPI's own tests say.

    scripts/ndpi-protocols.py DASAUDIT NDPI_TESTS_DIR

NDPI_TESTS_DIR is nDPI's tests/ (pcap/ and result/, from its source tarball;
scripts/third-party-captures.sh fetches it). Each result/NAME.out lists the flows nDPI found
in pcap/NAME with the protocol it named; a flow it named by deep packet inspection
("[Confidence: DPI]", not by port or address) as one of the protocols both tools name
(TLS, HTTP, SSH, MySQL, PostgreSQL, Redis, LDAP) is looked up among `dasaudit flows` of the
same capture by its two endpoints. Prints, per protocol, how many agree, differ or were not
found, then one line per flow that did not agree: "DIFFER NAME.out want got A PORT B PORT"
or "MISSING NAME.out want A PORT B PORT". Exits 0; the caller judges the lines.
"""
import collections
import csv
import io
import ipaddress
import os
import re
import subprocess
import sys

NAMES = {"TLS": "tls", "HTTP": "http", "SSH": "ssh", "MySQL": "mysql", "PostgreSQL": "postgresql",
         "Redis": "redis", "LDAP": "ldap"}
# "  1  TCP 10.0.0.1:443 <-> [fd00::1]:51234 [proto: 91.126/TLS.Google][...][Confidence: DPI]..."
FLOW = re.compile(r"^\s*\d+\s+TCP\s+(\[[^\]]+\]|[0-9.]+):(\d+)\s+<->\s+(\[[^\]]+\]|[0-9.]+):(\d+).*?"
                  r"\[proto: [0-9.]+/([A-Za-z0-9_-]+)")


def address(text):
    """One spelling per address (nDPI and dasaudit shorten IPv6 differently)."""
    try:
        return str(ipaddress.ip_address(text.strip("[]")))
    except ValueError:
        return text


def endpoints(a, port_a, b, port_b):
    return tuple(sorted([(address(a), port_a), (address(b), port_b)]))


def main(dasaudit, tests):
    counts = {outcome: collections.Counter() for outcome in ("agree", "differ", "not found")}
    lines = []
    for out in sorted(os.listdir(os.path.join(tests, "result"))):
        pcap = os.path.join(tests, "pcap", out[:-len(".out")])
        if not out.endswith(".out") or not os.path.exists(pcap):
            continue
        flows = subprocess.run([dasaudit, "flows", pcap, "--format", "csv"], capture_output=True, text=True).stdout
        ours = collections.defaultdict(list)
        for row in csv.DictReader(io.StringIO(flows)):
            ours[endpoints(row["client"], row["client_port"], row["server"], row["server_port"])].append(row["protocol"])
        with open(os.path.join(tests, "result", out), errors="replace") as result:
            for line in result:
                match = FLOW.match(line)
                if not match or "[Confidence: DPI]" not in line or match.group(5) not in NAMES:
                    continue
                a, port_a, b, port_b, name = match.groups()
                want = NAMES[name]
                got = ours.get(endpoints(a, port_a, b, port_b))
                if not got:
                    counts["not found"][want] += 1
                    lines.append(f"MISSING {out} {want} {a} {port_a} {b} {port_b}")
                elif want in got:
                    counts["agree"][want] += 1
                else:
                    counts["differ"][want] += 1
                    lines.append(f"DIFFER {out} {want} {','.join(got)} {a} {port_a} {b} {port_b}")
    for name in sorted(set().union(*counts.values())):
        print(f"{name}: " + ", ".join(f"{outcome} {counts[outcome][name]}" for outcome in counts))
    print("\n".join(lines))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
