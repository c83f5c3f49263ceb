"""Example SPARQL queries: the ``*.rq`` files of the queries folder, titled by their
first comment line.

A query file opens with a comment that says what it asks ("# Who signed the convention
of 29 November 2018?"); that line is its title on the home page and the query page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["ExampleQuery", "example_queries"]

MAX_BYTES = 64 * 1024


@dataclass(frozen=True)
class ExampleQuery:
    name: str  # the file's stem
    title: str
    text: str


def example_queries(folder: Path | None) -> tuple[ExampleQuery, ...]:
    """The readable ``*.rq`` files of ``folder``, by file name; none if it is absent."""
    if folder is None or not folder.is_dir():
        return ()
    found = []
    for path in sorted(folder.glob("*.rq")):
        try:
            if path.stat().st_size > MAX_BYTES:
                continue
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        found.append(ExampleQuery(path.stem, _title(text) or path.stem.replace("-", " "), text))
    return tuple(found)


def _title(text: str) -> str | None:
    """The first comment line, without its ``#``.

    >>> _title("# Who signed?\\nSELECT * {}"), _title("SELECT * {}")
    ('Who signed?', None)
    """
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            return stripped.lstrip("#").strip() or None
        return None
    return None
