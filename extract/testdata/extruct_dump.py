#!/usr/bin/env python3
"""Dump what extruct extracts from HTML files, for extract's differential test.

Usage: extruct_dump.py BASE_URL FILE...

Prints one JSON object per file, in order:
  {"file": NAME, "jsonld": [BLOCK...], "opengraph": [...], "microdata": [...]}
where each BLOCK is {"ok": true, "items": [...]} or {"ok": false}: the items
extruct's JsonLdExtractor yields for one <script type="application/ld+json">.
extruct fails a whole page on one bad block, so its per-block method is called
here, one block at a time. opengraph is extruct's OpenGraphExtractor output as
it is. microdata is extruct's MicrodataExtractor output, each item with one
more key, "_itemprop", true when the item's element has an itemprop attribute
(extruct lists such items at the top level when no other item claimed them;
the HTML standard does not). Everything else is left to the Go side, which
writes its mapping out explicitly.
"""

import json
import sys

from extruct.jsonld import JsonLdExtractor
from extruct.opengraph import OpenGraphExtractor
from extruct.utils import parse_html
from extruct.w3cmicrodata import MicrodataExtractor


def jsonld_blocks(tree):
    ext = JsonLdExtractor()
    blocks = []
    for node in ext._xp_jsonld(tree):
        try:
            blocks.append({"ok": True, "items": [i for i in ext._extract_items(node) if i]})
        except Exception:  # ValueError and friends from json/jstyleson
            blocks.append({"ok": False})
    return blocks


def mark_itemprop(value):
    if isinstance(value, list):
        return [mark_itemprop(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for k, v in value.items():
        if k == "htmlNode":
            out["_itemprop"] = v.get("itemprop") is not None
        else:
            out[k] = mark_itemprop(v)
    return out


def main():
    base = sys.argv[1]
    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            body = f.read()
        tree = parse_html(body, encoding="UTF-8")
        md = MicrodataExtractor(add_html_node=True).extract_items(tree, base)
        out = {
            "file": path.rsplit("/", 1)[-1],
            "jsonld": jsonld_blocks(tree),
            "opengraph": list(OpenGraphExtractor().extract_items(tree, base)),
            "microdata": mark_itemprop(md),
        }
        print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
