#!/usr/bin/env python3
"""Prints, as JSON, how libxml2 (through lxml) reads each XML file named on the command line:
{path: tree or null}, null when libxml2 refuses the file as not well-formed.

The reference for dasaudit's own XML reader (Tests/PolicyTests/XMLDifferentialTests.swift):
a tree is {"name", "attributes", "text", "children"} with the element's name as written
(prefix:local), its attributes by name as written (namespace declarations left out), its own
text (its text and every child's tail, comments and processing instructions skipped) and its
element children. No DTD is loaded, no entity resolved beyond XML's five, no network used.
"""
import json
import sys

from lxml import etree


def tree(element):
    prefixes = {uri: prefix for prefix, uri in element.nsmap.items() if prefix}
    prefixes["http://www.w3.org/XML/1998/namespace"] = "xml"
    attributes = {}
    for key, value in element.attrib.items():
        if key.startswith("{"):
            uri, local = key[1:].split("}", 1)
            key = f"{prefixes[uri]}:{local}"
        attributes[key] = value
    local = etree.QName(element).localname
    return {
        "name": f"{element.prefix}:{local}" if element.prefix else local,
        "attributes": attributes,
        "text": (element.text or "") + "".join(child.tail or "" for child in element),
        "children": [tree(child) for child in element if isinstance(child.tag, str)],
    }


def read(path):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return tree(etree.parse(path, parser).getroot())
    except (etree.XMLSyntaxError, OSError):  # OSError: bytes that are not in the document's encoding
        return None


json.dump({path: read(path) for path in sys.argv[1:]}, sys.stdout, ensure_ascii=True)
