#!/usr/bin/env python3
"""Writes the seed corpora of the capture, result, policy and das-home fuzz targets
(Fuzz/corpus/TARGET/) from the repository's real files. The decoder's seeds come from
make-corpus.py.

- capture: every capture in captures/ cut to its first packets (at most 6 KiB), the cut of
  the main pcap also big-endian, at nanosecond precision, and compressed with each tool that
  is installed (gzip, zstd, xz, bzip2), as `dasaudit audit` reads them.
- result: the JSON results (`--connections --format json`) of `dasaudit audit` over three
  of those cuts, and of `dasaudit merge` over two of them; needs a built dasaudit.
- policy: examples/policy.yaml and the YAML policies of Tests/Fixtures.
- das-home: each DAS installation of Tests/Fixtures as one input: carbon.xml,
  spark-defaults.conf and event-processor.xml joined by NUL bytes (DASInstallationFuzzTarget).

Each seed is named by the SHA-1 of its bytes. Usage:
  Fuzz/make-seeds.py [DASAUDIT_BINARY]     (default .build/debug/dasaudit)
"""
import glob
import hashlib
import os
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CUT_BYTES = 6 * 1024


def write_seed(target, data):
    folder = os.path.join(ROOT, "Fuzz", "corpus", target)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, hashlib.sha1(data).hexdigest())
    with open(path, "wb") as f:
        f.write(data)
    return path


def cut_pcap(data):
    """The file header and the first whole records that fit in CUT_BYTES."""
    endian = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    end = 24
    while end + 16 <= len(data):
        caplen = struct.unpack(endian + "I", data[end + 8:end + 12])[0]
        if end + 16 + caplen > CUT_BYTES:
            break
        end += 16 + caplen
    return data[:end]


def cut_pcapng(data):
    """The first whole blocks (section header, interfaces, packets) that fit in CUT_BYTES."""
    endian = "<" if data[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
    end = 0
    while end + 12 <= len(data):
        length = struct.unpack(endian + "I", data[end + 4:end + 8])[0]
        if length < 12 or end + length > CUT_BYTES:
            break
        end += length
    return data[:end]


def statistics_blocks(data):
    """The Interface Statistics Blocks (type 5) of a pcapng: where it records its drops."""
    endian = "<" if data[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
    blocks, offset = [], 0
    while offset + 12 <= len(data):
        kind, length = struct.unpack(endian + "II", data[offset:offset + 8])
        if length < 12:
            break
        if kind == 5:
            blocks.append(data[offset:offset + length])
        offset += length
    return b"".join(blocks)


def big_endian(pcap):
    """A little-endian microsecond pcap rewritten in big-endian byte order."""
    header = struct.unpack("<IHHiIII", pcap[:24])
    out = bytearray(struct.pack(">IHHiIII", *header))
    offset = 24
    while offset + 16 <= len(pcap):
        fields = struct.unpack("<IIII", pcap[offset:offset + 16])
        out += struct.pack(">IIII", *fields) + pcap[offset + 16:offset + 16 + fields[2]]
        offset += 16 + fields[2]
    return bytes(out)


def nanosecond(pcap):
    """A little-endian microsecond pcap at nanosecond precision (magic a1b23c4d)."""
    out = bytearray(b"\x4d\x3c\xb2\xa1" + pcap[4:24])
    offset = 24
    while offset + 16 <= len(pcap):
        seconds, micros, caplen, length = struct.unpack("<IIII", pcap[offset:offset + 16])
        out += struct.pack("<IIII", seconds, micros * 1000, caplen, length) + pcap[offset + 16:offset + 16 + caplen]
        offset += 16 + caplen
    return bytes(out)


def capture_seeds():
    cuts = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "captures", "*.pcap*"))):
        with open(path, "rb") as f:
            data = f.read()
        # A pcapng keeps its statistics blocks after the cut: they say what it dropped.
        cut = cut_pcapng(data) + statistics_blocks(data) if data[:4] == b"\x0a\x0d\x0d\x0a" else cut_pcap(data)
        cuts[os.path.basename(path)] = cut
        write_seed("capture", cut)
    main = cuts["spark-cluster-offset2-lo.pcap"]
    write_seed("capture", big_endian(main))
    write_seed("capture", nanosecond(main))
    for tool in (["gzip", "-c", "-n"], ["zstd", "-c", "-q"], ["xz", "-c"], ["bzip2", "-c"]):
        if shutil.which(tool[0]):
            write_seed("capture", subprocess.run(tool, input=main, capture_output=True, check=True).stdout)
    # A pcapng of several interfaces read through the tap of a decompressed stream.
    several = cuts["copies-dumpcap.pcapng"]
    write_seed("capture", subprocess.run(["gzip", "-c", "-n"], input=several, capture_output=True, check=True).stdout)
    # The evidence files of `dasaudit live --write` (its own pcapng writer: if_name,
    # if_tsresol 9, and a closing statistics block with isb_starttime, isb_endtime,
    # isb_ifrecv, isb_ifdrop, isb_osdrop, isb_usrdeliv), each whole: 4 KiB at most.
    for path in sorted(glob.glob(os.path.join(ROOT, "captures", "live-write-drops-lo", "*.pcapng"))):
        with open(path, "rb") as f:
            write_seed("capture", f.read())
    return cuts


def result_seeds(dasaudit, cuts):
    if not os.access(dasaudit, os.X_OK):
        print(f"no dasaudit at {dasaudit}: result seeds skipped (swift build first)", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as scratch:
        results = []
        for name, options in (("spark-cluster-offset2-lo.pcap", ["--offset", "2", "--mode", "cluster", "--cores", "2"]),
                              ("both-ends-a.pcap", ["--offset", "2", "--mode", "cluster"]),
                              ("both-ends-b.pcap", ["--offset", "2", "--mode", "cluster"]),
                              ("das-offset3-any.pcap", ["--offset", "3"])):
            capture = os.path.join(scratch, name)
            with open(capture, "wb") as f:
                f.write(cuts[name])
            output = os.path.join(scratch, name + ".json")
            subprocess.run([dasaudit, "audit", capture, *options, "--connections", "--format", "json", "--output", output],
                           check=False, capture_output=True)
            results.append(output)
        merged = os.path.join(scratch, "merged.json")
        subprocess.run([dasaudit, "merge", results[1], results[2], "--offset", "2", "--mode", "cluster",
                        "--format", "json", "--output", merged], check=False, capture_output=True)
        for path in results + [merged]:
            with open(path, "rb") as f:
                write_seed("result", f.read())


def policy_seeds():
    for path in [os.path.join(ROOT, "examples", "policy.yaml")] + sorted(glob.glob(os.path.join(ROOT, "Tests", "Fixtures", "*.yaml"))):
        with open(path, "rb") as f:
            write_seed("policy", f.read())


def das_home_seeds():
    names = ["repository/conf/carbon.xml", "repository/conf/analytics/spark/spark-defaults.conf",
             "repository/conf/event-processor.xml"]
    for home in sorted(glob.glob(os.path.join(ROOT, "Tests", "Fixtures", "*-home"))):
        parts = []
        for name in names:
            with open(os.path.join(home, name), "rb") as f:
                parts.append(f.read())
        write_seed("das-home", b"\0".join(parts))
        write_seed("das-home", parts[0])  # carbon.xml alone: the other two are optional


def main():
    dasaudit = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "dasaudit")
    cuts = capture_seeds()
    result_seeds(dasaudit, cuts)
    policy_seeds()
    das_home_seeds()
    for target in ("capture", "result", "policy", "das-home"):
        folder = os.path.join(ROOT, "Fuzz", "corpus", target)
        count = len(os.listdir(folder)) if os.path.isdir(folder) else 0
        print(f"{target}: {count} seeds in {os.path.relpath(folder, ROOT)}")


if __name__ == "__main__":
    main()
