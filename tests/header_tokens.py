"""``Vary`` read as HTTP reads it: a comma-separated list of header names compared
case-insensitively (RFC 9110 §12.5.5), so that ``Accept-Encoding`` never passes for
``Accept`` as it does in a substring check."""

from __future__ import annotations

from collections.abc import Mapping

from werkzeug.http import parse_set_header


def vary_tokens(headers: Mapping[str, str]) -> set[str]:
    """The header names a response varies on, lower-cased."""
    return {name.lower() for name in parse_set_header(headers.get("Vary"))}


def assert_varies_on(response, *names: str, where: object = "") -> None:
    """Fail, naming what a shared cache would get wrong, unless ``Vary`` lists each name."""
    missing = [name for name in names if name.lower() not in vary_tokens(response.headers)]
    assert not missing, (
        f"{where}: Vary is {response.headers.get('Vary')!r}, without {', '.join(missing)}; "
        "a shared cache would hand this answer to a client that asked for another variant")
