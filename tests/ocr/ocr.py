#!/usr/bin/env python3
"""Reads a deck's slides back by OCR and scores them against the deck's own words.

usage: tests/ocr/ocr.py BINARY DECK.yaml LANGS [SIZE]
  LANGS: tesseract languages, e.g. ara+eng
  SIZE:  portrait, square or landscape (default: as the deck says)

Needs tesseract-ocr and its language packs (Debian: tesseract-ocr-ara, -heb, -hin, -tha, -jpn,
-chi-sim, -kor), PyYAML and Pillow (pip install pyyaml pillow). For each slide: the characters of its
drawn text (titles, bodies, bullets, labels; letters and digits only, spaces and punctuation
left out) against the characters tesseract reads, as the longest common subsequence over the
length of the expected text: the share of the deck's own letters read back in order.
"""
import os, re, subprocess, sys, tempfile, unicodedata

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("needs PyYAML: pip install pyyaml")

NOT_DRAWN = {"notes", "caption", "alt", "image", "avatar", "background", "src", "fonts", "layouts",
             "theme", "publish_at", "kind", "size", "accent", "direction", "language", "icon", "mark",
             "lang", "layout", "dim", "fit", "type", "unit", "highlight"}

def texts(node, out):
    if isinstance(node, dict):
        for k, v in node.items():
            if str(k) not in NOT_DRAWN:
                texts(v, out)
    elif isinstance(node, list):
        for v in node:
            texts(v, out)
    elif isinstance(node, str):
        out.append(node)

def letters(s):
    s = unicodedata.normalize("NFC", s)
    return [c for c in s if unicodedata.category(c)[0] in "LMN"]

def lcs(a, b):
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]

def main():
    binary, deck, langs = sys.argv[1], sys.argv[2], sys.argv[3]
    size = sys.argv[4] if len(sys.argv) > 4 else None
    data = yaml.safe_load(open(deck, encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        src = deck
        if size:
            data2 = dict(data); data2["size"] = size
            src = os.path.join(tmp, os.path.basename(deck))
            with open(src, "w", encoding="utf-8") as f:
                yaml.safe_dump(data2, f, allow_unicode=True)
        subprocess.run([binary, "build", src, "-o", os.path.join(tmp, "out")], check=True,
                       stdout=subprocess.DEVNULL)
        stem = os.path.splitext(os.path.basename(deck))[0]
        total_expected = total_found = 0
        for i, slide in enumerate(data["slides"], 1):
            want = []
            texts(slide, want)
            expected = letters(" ".join(want))
            png = os.path.join(tmp, "out", stem, f"{i:02}.png")
            # Tesseract reads best at an x-height near 20 px: the slide at half size, about as
            # large as a phone shows it.
            from PIL import Image
            half = os.path.join(tmp, f"half-{i:02}.png")
            with Image.open(png) as im:
                im.convert("RGB").resize((im.width // 2, im.height // 2), Image.LANCZOS).save(half)
            ocr = subprocess.run(["tesseract", half, "-", "-l", langs, "--psm", "3"],
                                 capture_output=True, text=True).stdout
            got = letters(ocr)
            found = lcs(expected, got)
            total_expected += len(expected); total_found += found
            print(f"slide {i:2}: {found}/{len(expected)} = {100.0 * found / max(1, len(expected)):.1f}%")
        print(f"{stem} {size or data.get('size', 'portrait')}: {100.0 * total_found / max(1, total_expected):.1f}% of {total_expected} letters read back")

if __name__ == "__main__":
    main()
