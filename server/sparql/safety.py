"""The endpoint is read-only and calls no one: checks made before the engine runs.

SPARQL Update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``…) is refused whatever way it
arrives. ``SERVICE`` makes the engine open connections to other hosts, so it is refused
unless every endpoint it names sits on a host the administrator allows
(``LDPUB_SERVICE_HOSTS``, empty by default); a variable endpoint can never be checked
and is always refused. Nothing here connects anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import urlsplit

from ..errors import QueryRejected
from .lexer import UPDATE_KEYWORDS, first_keyword, service_targets

__all__ = ["READ_ONLY", "check_read_only"]

READ_ONLY = "this SPARQL endpoint is read-only"

# A second, cruder look at the raw text: any "SERVICE" followed by what can start an
# endpoint. If it sees more of them than the tokenizer did, the two disagree about
# where a keyword is, and the query is refused rather than trusted.
_SERVICE_LIKE = re.compile(r"(?<![\w:?$])SERVICE\s*(?:SILENT\s*)?(?:<|[?$]|[A-Za-z_][\w.\-]*:|:)",
                           re.IGNORECASE)


def check_read_only(text: str, *, allowed_hosts: Collection[str], base: str | None) -> None:
    """Refuse updates and ``SERVICE`` calls to hosts not allowed.

    Raises:
        QueryRejected: with a message saying what was refused and why.
    """
    keyword = first_keyword(text)
    if keyword == "LOAD":
        raise QueryRejected(f"LOAD is refused: {READ_ONLY} and fetches no data.")
    if keyword in UPDATE_KEYWORDS:
        raise QueryRejected(f"SPARQL Update ({keyword}) is refused: {READ_ONLY}.")
    targets = service_targets(text, base)
    if len(_SERVICE_LIKE.findall(text)) > len(targets):
        raise QueryRejected("the query mentions SERVICE in a way that cannot be checked "
                            "(in a comment or a string?); remove it and try again.")
    for target in targets:
        _check_service(target, allowed_hosts)


def _check_service(target: str | None, allowed_hosts: Collection[str]) -> None:
    if not allowed_hosts:
        where = f" <{target}>" if target else ""
        raise QueryRejected(f"SERVICE{where} is refused: this endpoint does not query other "
                            "endpoints (federated queries are not enabled here).")
    if target is None:
        raise QueryRejected("SERVICE with an endpoint known only at run time is refused; "
                            "name the endpoint with an IRI.")
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or (parts.hostname or "") not in allowed_hosts:
        raise QueryRejected(f"SERVICE <{target}> is refused: the endpoints this server may "
                            f"query are on {', '.join(sorted(allowed_hosts))}.")
