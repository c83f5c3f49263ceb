"""What every answer must be, whatever was asked: the oracle of the fuzz tests.

No 500; a body that is what its ``Content-Type`` says (JSON parses, RDF parses with rdflib
in the declared syntax, XML parses, HTML is UTF-8 text/html); an error that says in words
what went wrong; no body on ``HEAD`` or ``304``.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zlib
from xml.etree import ElementTree

from bs4 import BeautifulSoup
from rdflib import Dataset, Graph
from werkzeug.http import parse_content_range_header

# Declared media type -> rdflib parser name.
RDF_PARSERS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/trig": "trig",
    "application/n-quads": "nquads",
}
DATASET_TYPES = {"application/trig", "application/n-quads"}
JSON_TYPES = {"application/json", "application/sparql-results+json"}
XML_TYPES = {"application/xml", "application/sparql-results+xml", "text/xml"}
TEXT_TYPES = {"text/plain", "text/csv", "text/tab-separated-values", "text/css",
              "application/javascript", "text/javascript"}
WORDS = re.compile(r"[A-Za-z]{3,}")
# 503s that rightly carry no Retry-After: coming back would not help (a query stopped at
# its time limit is stopped again).
NOT_RETRYABLE = {"Query Timeout"}


def decoded(response) -> bytes:
    """The body without its content coding (RFC 9110 §8.4)."""
    body = response.get_data()
    coding = response.headers.get("Content-Encoding", "identity")
    if coding == "gzip":
        return gzip.decompress(body)
    if coding == "deflate":
        return zlib.decompress(body)
    assert coding == "identity", f"unexpected content coding {coding}"
    return body


def check_answer(response, method: str, where: str) -> None:
    """Assert what every response must be; ``where`` names the request in failures."""
    status = response.status_code
    assert status != 500, f"500 on {where}: {response.get_data()[:500]!r}"
    assert status < 500 or status == 503, f"{status} on {where}"
    if status == 503:
        assert response.headers.get("Retry-After") or \
            problem_title(decoded(response), response.mimetype) in NOT_RETRYABLE, where
    if method == "HEAD" or status in (204, 304):
        assert response.get_data() == b"", f"a body on {method} {status}: {where}"
        return
    if method == "OPTIONS" and status == 200:
        assert decoded(response) == b"", where  # Flask's automatic answer: the Allow header
        assert response.headers["Allow"], where
        return
    media = response.mimetype
    body = decoded(response)
    if status == 206:  # a slice of the representation: its length is what Content-Range says
        part = parse_content_range_header(response.headers.get("Content-Range"))
        assert part is not None and len(body) == part.stop - part.start, where
        return
    if status >= 400:
        check_error(body, media, where)
    check_body(body, media, status, where)


def problem_title(body: bytes, media: str) -> str | None:
    """The title of an error answer: the problem's ``title`` (JSON), the words after the
    status code on the first line (text), the error heading (HTML: ``#error-title``, else
    the first ``h1``)."""
    text = body.decode("utf-8")
    if media == "application/json":
        return json.loads(text).get("title")
    if media == "text/plain":
        return text.partition("\n")[0].partition(" ")[2]
    if media == "text/html":
        soup = BeautifulSoup(text, "html.parser")
        heading = soup.find(id="error-title") or soup.find("h1")
        return heading.get_text().strip() if heading else ""
    return None


def check_error(body: bytes, media: str, where: str) -> None:
    """A 4xx or 5xx says in words what went wrong, in a type a client can read."""
    assert media in ("text/html", "text/plain", "application/json"), (media, where)
    text = body.decode("utf-8")
    if media == "application/json":
        message = json.loads(text)["message"]
    else:
        message = text
    assert len(WORDS.findall(message)) >= 2, f"no readable message on {where}: {text[:300]!r}"
    assert "Traceback" not in text, where


def check_body(body: bytes, media: str, status: int, where: str) -> None:
    """The body is what its media type declares."""
    if media in RDF_PARSERS:
        target = Dataset() if media in DATASET_TYPES else Graph()
        try:
            target.parse(data=body.decode("utf-8"), format=RDF_PARSERS[media])
        except Exception as error:  # noqa: BLE001 -- any parser error is the finding
            raise AssertionError(f"{media} body does not parse on {where}: {error}\n"
                                 f"{body[:500]!r}") from None
    elif media in JSON_TYPES:
        json.loads(body.decode("utf-8"))
    elif media in XML_TYPES:
        ElementTree.parse(io.BytesIO(body))
    elif media == "text/html":
        text = body.decode("utf-8")
        assert text.lstrip().lower().startswith("<!doctype html>"), where
    elif media in TEXT_TYPES:
        body.decode("utf-8")
    elif media == "application/gzip":
        gzip.decompress(body)
    elif status == 303:
        pass
    else:
        raise AssertionError(f"undeclared or unexpected media type {media!r} on {where}")
