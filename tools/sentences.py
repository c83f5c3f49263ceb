"""Split a source text into numbered sentences, once, for review: ``data/sources/*.sentences.tsv``.

The table is data, not code output at load: sentence IRIs (``…#s{n}``) are published and
must never move, so the loader reads the reviewed table and never splits again. Run this
only for a new source text, then read the table against the text before committing it.
Each line: ``n``, ``start``, ``end`` (Unicode code points, as Python slices), ``kind``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ABBREVIATIONS = ("St.", "M.", "Mr.", "Dr.", "etc.")
# A sentence ends at . ! ? … (with any closing quote or bracket after it), before a space
# and an upper-case letter, a digit or an opening quote; an ellipsis in brackets ("[…]",
# the cut mark of a quotation) and an abbreviation do not end one.
END = re.compile(r"(?<!\[)[.!?…](?:[\s\u00a0]*[»”)\]])?(?=\s+[«“\"(A-ZÀ-ÖØ-Þ0-9])")


def blocks(text: str) -> list[tuple[int, int]]:
    """Non-empty lines: the headline, intertitles, paragraphs and captions."""
    spans, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, begin = [], start
    for match in END.finditer(text, start, end):
        stop = match.end()
        if any(text[begin:stop].endswith(a) for a in ABBREVIATIONS):
            continue
        spans.append((begin, stop))
        begin = stop
        while begin < end and text[begin].isspace():
            begin += 1
    if begin < end:
        spans.append((begin, end))
    return spans


def kind(text: str, start: int, end: int, index: int) -> str:
    line = text[start:end]
    if index == 0:
        return "headline"
    if "©" in line:
        return "caption"
    if len(line) < 60 and not line.rstrip().endswith("."):
        return "intertitle"
    return "paragraph"


def main(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    n = 0
    rows = []
    for index, (start, end) in enumerate(blocks(text)):
        block_kind = kind(text, start, end, index)
        for s, e in sentences(text, start, end):
            n += 1
            rows.append(f"{n}\t{s}\t{e}\t{block_kind}")
    out = path.with_suffix(".sentences.tsv")
    out.write_text("n\tstart\tend\tkind\n" + "\n".join(rows) + "\n", encoding="utf-8")
    for row in rows:
        n_, s, e, k = row.split("\t")
        print(f"s{n_} [{k}] {text[int(s):int(e)][:110]}")


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        main(Path(argument))
