"""The facts the pages draw: dated events for a timeline, and who signed what with whom.

Read from the store in one query each, as plain values: the web layer lays them out as
SVG. The agreement terms are the project ontology's (``gpr:signatory``,
``gpr:signedInPresenceOf``, ``gpr:party``), under the base like the ontology itself; a
dataset without them simply has no signing graph.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import XSD

from server.domain.describe import labels_of, once_per_version
from server.domain.labels import Labels
from server.domain.loading import Snapshot
from server.domain.namespaces import SCHEMA
from server.memo import Memo
from server.store import queries

__all__ = ["DATED_EVENTS", "DatedEvent", "DatedEvents", "Signing", "SigningNetwork", "dated_events",
           "decoded_events", "encoded_events", "signing_network"]

DATED_EVENTS = "dated-events"  # their name among the values made at load (``domain.precomputed``)

SIGNED, PRESENT = "signed", "present"
_HOW = {"signatory": SIGNED, "signedInPresenceOf": PRESENT}

_DATED: Memo[DatedEvents] = Memo(2)


@dataclass(frozen=True)
class DatedEvent:
    iri: str
    date: datetime.date


@dataclass(frozen=True)
class DatedEvents:
    events: tuple[DatedEvent, ...]  # earliest first
    labels: Labels  # of the events


@dataclass(frozen=True)
class Signing:
    agreement: str
    how: str  # SIGNED or PRESENT
    person: str


@dataclass(frozen=True)
class SigningNetwork:
    """The agreements the people of one agreement took part in, and the parties they
    act for."""

    agreement: str
    signings: tuple[Signing, ...]
    acts_for: tuple[tuple[str, str], ...]  # (person, organisation)


def dated_events(snapshot: Snapshot) -> DatedEvents:
    """Every event with a start date (``schema:startDate``, an ``xsd:date``), earliest
    first, with their labels (made at load, else read once per data version)."""

    def read() -> DatedEvents:
        events = _dated_events(snapshot)
        return DatedEvents(events, labels_of(snapshot, [ox.NamedNode(e.iri) for e in events]))

    return once_per_version(snapshot, DATED_EVENTS, _DATED, read)


def encoded_events(found: DatedEvents) -> dict:
    """``found`` as JSON values."""
    return {"events": [[e.iri, e.date.isoformat()] for e in found.events],
            "labels": found.labels.encoded()}


def decoded_events(document: dict) -> DatedEvents:
    """The events ``encoded_events`` wrote."""
    return DatedEvents(tuple(DatedEvent(iri, datetime.date.fromisoformat(date))
                             for iri, date in document["events"]),
                       Labels.decoded(document["labels"]))


def _dated_events(snapshot: Snapshot) -> tuple[DatedEvent, ...]:
    text = queries.bind(queries.DATED, **{"class": [ox.NamedNode(str(SCHEMA.Event))],
                                          "p": [ox.NamedNode(str(SCHEMA.startDate))]})
    found: dict[str, DatedEvent] = {}
    for row in snapshot.store.query(text):
        date = row["date"]
        if date.datatype.value != str(XSD.date) or row["s"].value in found:
            continue
        try:
            found[row["s"].value] = DatedEvent(row["s"].value, datetime.date.fromisoformat(date.value))
        except ValueError:  # a date the data spells badly is not drawn
            continue
    return tuple(sorted(found.values(), key=lambda e: (e.date, e.iri)))


def signing_network(snapshot: Snapshot, agreement: str) -> SigningNetwork | None:
    """Who signed ``agreement`` or was present, and every agreement those people took
    part in; None when nobody did."""
    terms = {name: ox.NamedNode(f"{snapshot.staged.ontology_graph}#{name}") for name in _HOW}
    how = {node.value: _HOW[name] for name, node in terms.items()}
    this = [ox.NamedNode(agreement)]
    text = queries.bind(queries.SIGNINGS, this=this, took=list(terms.values()),
                        how=list(terms.values()))
    signings = tuple(sorted({Signing(r["agreement"].value, how[r["how"].value], r["person"].value)
                             for r in snapshot.store.query(text)},
                            key=lambda s: (s.agreement != agreement, s.agreement, s.how, s.person)))
    if not signings:
        return None
    people = {s.person for s in signings if s.agreement == agreement}
    text = queries.bind(queries.ACTS_FOR, this=this,
                        party=[ox.NamedNode(f"{snapshot.staged.ontology_graph}#party")],
                        works=[ox.NamedNode(str(SCHEMA.worksFor))])
    acts_for = tuple(sorted({(r["person"].value, r["org"].value) for r in snapshot.store.query(text)
                             if r["person"].value in people}))
    return SigningNetwork(agreement, signings, acts_for)
