"""Literals as a reader expects them: dates in words, numbers grouped, in their language.

The lexical form stays available (``machine``) for ``<time datetime>`` and for data;
what is shown follows the reader's language (Unicode CLDR conventions for English and
French: "29 November 2018", "29 novembre 2018", "1,000" and "1 000").
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
from rdflib.namespace import XSD

__all__ = ["literal_text"]

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
}
_BOOLEANS = {"en": ("yes", "no"), "fr": ("oui", "non")}
_GROUPING = {"en": (",", "."), "fr": ("\u202f", ",")}
_DATE = re.compile(r"^(-?\d{4,})-(\d{2})-(\d{2})")
_MONTH_DAY = re.compile(r"^--(\d{2})-(\d{2})")
_YEAR_MONTH = re.compile(r"^(-?\d{4,})-(\d{2})")
_INTEGERS = frozenset(str(t) for t in (
    XSD.integer, XSD.int, XSD.long, XSD.short, XSD.nonNegativeInteger, XSD.positiveInteger,
    XSD.nonPositiveInteger, XSD.negativeInteger, XSD.unsignedInt, XSD.unsignedLong))
_DECIMALS = frozenset(str(t) for t in (XSD.decimal, XSD.double, XSD.float))


def literal_text(literal: ox.Literal, lang: str) -> tuple[str, str | None]:
    """The text to show for ``literal`` and, for dates and times, its machine form.

    >>> d = ox.Literal("2018-11-29", datatype=ox.NamedNode(str(XSD.date)))
    >>> literal_text(d, "fr"), literal_text(d, "en")[0]
    (('29 novembre 2018', '2018-11-29'), '29 November 2018')
    >>> literal_text(ox.Literal("--05-25", datatype=ox.NamedNode(str(XSD.gMonthDay))), "en")
    ('25 May', '--05-25')
    >>> literal_text(ox.Literal("1000000", datatype=ox.NamedNode(str(XSD.integer))), "en")
    ('1,000,000', None)
    """
    value, datatype = literal.value, literal.datatype.value
    lang = lang if lang in _MONTHS else "en"
    try:
        if datatype in (str(XSD.date), str(XSD.dateTime)):
            return _date(value, lang), value
        if datatype == str(XSD.gMonthDay):
            match = _MONTH_DAY.match(value)
            if match:
                return f"{int(match[2])} {_MONTHS[lang][int(match[1]) - 1]}", value
        if datatype == str(XSD.gYearMonth):
            match = _YEAR_MONTH.match(value)
            if match:
                return f"{_MONTHS[lang][int(match[2]) - 1]} {match[1]}", value
        if datatype == str(XSD.gYear):
            return value, value
        if datatype == str(XSD.boolean):
            return _BOOLEANS[lang][0 if value in ("true", "1") else 1], None
        if datatype in _INTEGERS:
            return _grouped(int(value), lang), None
        if datatype in _DECIMALS:
            return _decimal(value, lang), None
    except (ValueError, IndexError, InvalidOperation):
        pass  # an ill-typed literal is shown as written
    return value, None


def _date(value: str, lang: str) -> str:
    match = _DATE.match(value)
    if not match:
        return value
    year, month, day = match[1], int(match[2]), int(match[3])
    text = f"{day} {_MONTHS[lang][month - 1]} {year}"
    time = value[len(match[0]):]
    if time.startswith("T"):
        text += " " + time[1:6]
    return text


def _grouped(number: int, lang: str) -> str:
    separator = _GROUPING[lang][0]
    return f"{number:,}".replace(",", separator)


def _decimal(value: str, lang: str) -> str:
    number = Decimal(value)
    if not number.is_finite():
        return value
    whole, _, fraction = format(number, "f").partition(".")
    sign = "-" if whole.startswith("-") else ""
    text = sign + _grouped(abs(int(whole)), lang)
    return text + (_GROUPING[lang][1] + fraction if fraction else "")
