"""Request-size and header-size limits of the production server (``ldpub serve``): each
oversized request gets its 4xx (414, 431, 413, 400) and the server goes on serving with
the same workers. Requests are written byte for byte on a raw socket where a client
library would refuse to send them."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import requests

from server.runtime.wsgi import REQUEST_LIMITS

pytestmark = pytest.mark.live

TINY_BASE = "https://example.org/tiny/"
MIB = 1024 * 1024


@pytest.fixture(scope="module")
def server(soak, tmp_path_factory) -> Iterator:
    from pathlib import Path

    tiny = Path(__file__).resolve().parents[1] / "fixtures" / "tiny"
    flags = [f"--data-dir={tiny / 'data'}", f"--ontology-dir={tiny / 'ontology'}",
             f"--shapes-dir={tiny / 'shapes'}", f"--base-iri={TINY_BASE}"]
    started = soak.Server(flags, workers=2, threads=4,
                          folder=tmp_path_factory.mktemp("limits")).start()
    try:
        workers = started.workers()
        yield started
        assert requests.get(started.url + "/healthz", timeout=30).ok, "still serving"
        assert started.workers() == workers, "no worker crashed"
    finally:
        started.stop()


def raw(server, data: bytes) -> tuple[int, bytes]:
    """Send ``data`` as is; the status and head of the answer."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=20) as connection:
        connection.sendall(data)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
    status_line = received.split(b"\r\n", 1)[0]
    return int(status_line.split()[1]), received


LINE = REQUEST_LIMITS["limit_request_line"]
FIELD = REQUEST_LIMITS["limit_request_field_size"]
FIELDS = REQUEST_LIMITS["limit_request_fields"]


@pytest.mark.parametrize(("name", "request_bytes", "status"), [
    ("a request line past the limit",
     b"GET /?q=" + b"a" * LINE + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414),
    ("one header field past the limit",
     b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * FIELD + b"\r\n\r\n", 431),
    ("more header fields than allowed",
     b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"".join(b"X-%d: 1\r\n" % n for n in range(FIELDS + 1))
     + b"\r\n", 431),
    ("a declared body of 10 GB",
     (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
      b"Content-Length: 10000000000\r\n\r\n"), 413),
    ("a request line that is not HTTP", b"GARBAGE\r\n\r\n", 400),
    ("a header line without a colon", b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nnonsense\r\n\r\n", 400),
])
def test_oversized_or_malformed_requests_get_their_4xx(server, name, request_bytes, status):
    answer, head = raw(server, request_bytes)
    assert answer == status, (name, head[:300])


def test_a_long_query_still_fits_in_a_get_url(server):
    query = "ASK { ?s ?p ?o } #" + "a" * (LINE - 1000)
    answer = requests.get(server.url + "/sparql", params={"query": query}, timeout=30,
                          headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200
    assert answer.json()["boolean"] is True


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_query_body_past_the_limit_is_413_never_cut_short(server, chunked):
    body = b"ASK { ?s ?p ?o } #" + b"a" * (2 * MIB)
    data = (body[i:i + 65536] for i in range(0, len(body), 65536)) if chunked else body
    answer = requests.post(server.url + "/sparql", data=data, timeout=60, headers={
        "Content-Type": "application/sparql-query", "Accept": "text/plain"})
    assert answer.status_code == 413
    assert "larger than" in answer.text


def test_a_form_past_the_limit_is_413(server):
    answer = requests.post(server.url + "/sparql", data={"query": "ASK {} #" + "a" * 2 * MIB},
                           headers={"Accept": "text/plain"}, timeout=60)
    assert answer.status_code == 413


def test_a_body_sent_where_none_is_read_is_refused_by_method(server):
    answer = requests.post(server.url + "/page/person/ada-lovelace", data=b"x" * 2 * MIB,
                           headers={"Accept": "text/plain"}, timeout=60)
    assert answer.status_code == 405
    assert "GET" in answer.headers["Allow"]
