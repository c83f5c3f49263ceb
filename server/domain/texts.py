"""The articles' source texts, as files of the project (DESIGN §8).

Each text is ``data/sources/{article-slug}.txt``, UTF-8 NFC, never edited once
published: its bytes and their SHA-256 are read once per data version, so the same
checksum names it in the dataset description, its ETag and every citation of its
sentences.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from server.domain.iris import is_slug, source_text_iri

__all__ = ["SOURCES_FOLDER", "SourceText", "parse_text_iri", "read_texts"]

# Where the texts live, under the data folder.
SOURCES_FOLDER = "sources"
TEXT_SUFFIX = ".txt"


@dataclass(frozen=True)
class SourceText:
    """One article's text: its bytes as published and their checksum."""

    slug: str
    body: bytes
    sha256: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def read_texts(data_dir: Path) -> MappingProxyType[str, SourceText]:
    """Every text of ``data_dir/sources``, by article slug (a file whose stem is no slug
    could not be served at ``/source/{slug}.txt`` and is left out)."""
    folder = data_dir / SOURCES_FOLDER
    found: dict[str, SourceText] = {}
    for path in sorted(folder.glob(f"*{TEXT_SUFFIX}")) if folder.is_dir() else ():
        slug = path.name[: -len(TEXT_SUFFIX)]
        if is_slug(slug) and path.is_file():
            body = path.read_bytes()
            found[slug] = SourceText(slug, body, hashlib.sha256(body).hexdigest())
    return MappingProxyType(found)


def parse_text_iri(base: str, iri: str) -> str | None:
    """The article slug of a text served at ``/source/{slug}.txt``, or None.

    >>> parse_text_iri("https://w3id.org/gpr/", "https://w3id.org/gpr/source/an-article.txt")
    'an-article'
    >>> parse_text_iri("https://w3id.org/gpr/", "https://w3id.org/gpr/source/An.txt") is None
    True
    """
    prefix = source_text_iri(base, "")[: -len(TEXT_SUFFIX)]
    if not (iri.startswith(prefix) and iri.endswith(TEXT_SUFFIX)):
        return None
    slug = iri[len(prefix): -len(TEXT_SUFFIX)]
    return slug if is_slug(slug) else None
