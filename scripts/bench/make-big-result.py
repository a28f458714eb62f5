#!/usr/bin/env python3
"""make-big-result.py SEED.json OUT.json SERVICES CONNECTIONS

Builds a large dasaudit result for measuring the output stage (docs/performance-log.md,
"Writing reports"): the services, findings and connections of SEED (a result written by
`dasaudit audit --format json --connections`) repeated with new addresses and ports
until there are SERVICES services (each with an unexpected-port finding) and
CONNECTIONS connections. The counts stay what one audit could write, so `dasaudit
render OUT.json` reads it back. Deterministic: the same seed and counts give the same bytes.
"""
import copy
import json
import sys


def address(index):
    return f"10.{index >> 16 & 255}.{index >> 8 & 255}.{index & 255}"


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    seed_path, out_path, services, connections = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    result = json.load(open(seed_path))
    service, finding, entry = result["services"][0], result["findings"][0], result["connections"][0]
    result["services"], result["findings"], result["connections"] = [], [], []
    for index in range(services):
        host, port = address(index // 1000 + 1), 20000 + index % 1000
        item = copy.deepcopy(service)
        item.update(address=host, port=port, classification="unexpected", catalog_key=None, sample_clients=["10.200.0.1"])
        result["services"].append(item)
        item = copy.deepcopy(finding)
        item.update(address=host, port=port, kind="unexpected-port", severity="high",
                    message=f"{host}:{port} served 1 connection from 1 client; no catalog port under offset 0 explains it",
                    remediation=f"Find the process listening there (ss -ltnp 'sport = :{port}'); stop it, pin it to a "
                                "catalog port, or allow the port in the policy with a reason.")
        result["findings"].append(item)
    for index in range(connections):
        item = dict(entry)
        item.update(client=address(index // 60000 + 0x100000), client_port=1024 + index % 60000,
                    server=address(index % services // 1000 + 1), server_port=20000 + index % 1000)
        result["connections"].append(item)
    counts = result["summary"]["classifications"]
    counts["unexpected"] = counts.get("unexpected", 0) + services
    result["summary"]["services"] = len(result["services"])
    result["coverage"]["connections"] = connections
    with open(out_path, "w") as out:
        json.dump(result, out, indent=2, sort_keys=True)


main()
