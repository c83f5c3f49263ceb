"""Pictures a reader would rather look at than read, laid out for inline SVG.

The server draws them: a timeline of the dated events (home page) and who signed what
with whom (agreement pages). Each is a frozen dataclass of positioned, labelled marks in
the reader's language, with a title and a description that say in words what the
picture shows (its text alternative); ``_pictures.html`` turns it into SVG. No script is
needed, and every mark links to the page of what it stands for.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import XSD

from server.domain.labels import Labels
from server.domain.pictures import PRESENT, SIGNED, DatedEvent, SigningNetwork
from server.web.i18n import messages
from server.web.literals import literal_text

__all__ = ["Edge", "Link", "Node", "SigningGraph", "Timeline", "TimelineMark", "signing_graph", "timeline"]

# The first marks drawn when there are more: a page a reader can scroll at any size (at 1M
# statements the whole timeline was 480 marks, about 380 KB of the home page).
TIMELINE_MARKS = 12
LABEL_CHARS = 72  # longer labels are cut with "…" (the full one is the mark's title)
NODE_CHARS = 30
ROW, MONTH_GAP, TOP = 34, 30, 26
NODE_W, NODE_H, NODE_ROW = 230, 40, 58
COLUMNS = (20, 290, 560)  # organisations, people, agreements
WIDTH = 810


@dataclass(frozen=True)
class Link:
    """A link laid over a mark of a picture, named for those who cannot see it."""

    iri: str
    classes: str
    name: str
    lang: str | None
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class TimelineMark:
    iri: str
    label: str  # as drawn, maybe shortened
    full: str  # the whole label, for the mark's title and the list
    lang: str | None
    date: str  # in words, in the reader's language
    machine: str  # ISO 8601, for <time datetime>
    y: int


@dataclass(frozen=True)
class Timeline:
    title: str
    description: str
    marks: tuple[TimelineMark, ...]
    months: tuple[tuple[str, int], ...]  # (month in words, y) where a month begins
    height: int
    total: int  # the dated events, drawn or not
    width: int = WIDTH
    axis_x: int = 170

    @property
    def more(self) -> int:
        """The dated events not drawn."""
        return self.total - len(self.marks)

    @property
    def links(self) -> tuple[Link, ...]:
        return tuple(Link(m.iri, "mark", f"{m.date} — {m.full}", m.lang, 0, m.y - 14, self.width, 28)
                     for m in self.marks)


def timeline(events: Sequence[DatedEvent], labels: Labels, lang: str) -> Timeline | None:
    """The first ``TIMELINE_MARKS`` dated events one under the other, earliest first, a
    month's events together."""
    if not events:
        return None
    words = messages(lang)
    marks, months, y, month = [], [], TOP, None
    for event in events[:TIMELINE_MARKS]:
        if (event.date.year, event.date.month) != month:
            month = (event.date.year, event.date.month)
            y += MONTH_GAP if marks else 0
            months.append((_month(event.date, lang), y))
            y += ROW - 8
        label = labels.get(event.iri, lang)
        date, machine = literal_text(ox.Literal(event.date.isoformat(),
                                                datatype=ox.NamedNode(str(XSD.date))), lang)
        marks.append(TimelineMark(event.iri, _short(label.text, LABEL_CHARS), label.text,
                                  label.lang, date, machine or event.date.isoformat(), y))
        y += ROW
    items = "; ".join(f"{m.date}: {m.full}" for m in marks)
    key = "timeline_desc" if len(events) == len(marks) else "timeline_desc_first"
    description = words[key].format(n=len(marks), total=len(events), first=marks[0].date,
                                    last=marks[-1].date, items=items)
    return Timeline(words["timeline_title"], description, tuple(marks), tuple(months), y,
                    len(events))


@dataclass(frozen=True)
class Node:
    iri: str
    label: str  # as drawn, maybe shortened
    full: str
    lang: str | None
    kind: str  # organization, person, agreement
    x: int
    y: int
    current: bool = False  # the agreement whose page this is


@dataclass(frozen=True)
class Edge:
    x1: int
    y1: int
    x2: int
    y2: int
    how: str  # signed, present, acts_for


@dataclass(frozen=True)
class SigningGraph:
    title: str
    description: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    legend: tuple[tuple[str, str], ...]  # (how, words)
    height: int
    width: int = WIDTH
    node_width: int = NODE_W
    node_height: int = NODE_H

    @property
    def links(self) -> tuple[Link, ...]:
        return tuple(Link(n.iri, f"node {n.kind}" + (" current" if n.current else ""), n.full,
                          n.lang, n.x, n.y, self.node_width, self.node_height) for n in self.nodes)


def signing_graph(network: SigningNetwork, labels: Labels, lang: str) -> SigningGraph:
    """Three columns: the parties, the people who signed or were present, and the
    agreements those people took part in, this one first; a line for each link."""
    words = messages(lang)
    people = list(dict.fromkeys(s.person for s in network.signings if s.agreement == network.agreement))
    agreements = list(dict.fromkeys(s.agreement for s in network.signings))
    organisations = list(dict.fromkeys(org for _, org in network.acts_for))
    rows = max(len(people), len(agreements), len(organisations))
    height = TOP + rows * NODE_ROW + 10

    def column(iris: list[str], x: int, kind: str) -> dict[str, Node]:
        offset = TOP + (rows - len(iris)) * NODE_ROW // 2
        placed = {}
        for i, iri in enumerate(iris):
            label = labels.get(iri, lang)
            placed[iri] = Node(iri, _short(label.text, NODE_CHARS), label.text, label.lang, kind, x,
                               offset + i * NODE_ROW, iri == network.agreement)
        return placed

    orgs = column(organisations, COLUMNS[0], "organization")
    persons = column(people, COLUMNS[1], "person")
    deals = column(agreements, COLUMNS[2], "agreement")
    middle = NODE_H // 2
    edges = [Edge(orgs[o].x + NODE_W, orgs[o].y + middle, persons[p].x, persons[p].y + middle, "acts_for")
             for p, o in network.acts_for if p in persons and o in orgs]
    edges += [Edge(persons[s.person].x + NODE_W, persons[s.person].y + middle, deals[s.agreement].x,
                   deals[s.agreement].y + middle, s.how)
              for s in network.signings if s.person in persons]
    title = words["signing_title"].format(agreement=deals[network.agreement].full)
    return SigningGraph(title, _signing_sentences(network, labels, lang), (
        *orgs.values(), *persons.values(), *deals.values()), tuple(edges), (
        (SIGNED, words["signing_signed"]), (PRESENT, words["signing_present"]),
        ("acts_for", words["signing_acts_for"])), height)


def _signing_sentences(network: SigningNetwork, labels: Labels, lang: str) -> str:
    """The picture in words: who signed or attended which agreement, for whom."""
    words = messages(lang)
    acts = {}
    for person, org in network.acts_for:
        acts.setdefault(person, []).append(labels.get(org, lang).text)
    sentences = []
    for signing in network.signings:
        person = labels.get(signing.person, lang).text
        if signing.person in acts and signing.agreement == network.agreement:
            person = words["signing_for"].format(person=person, org=", ".join(acts[signing.person]))
        key = "signing_sentence_signed" if signing.how == SIGNED else "signing_sentence_present"
        sentences.append(words[key].format(person=person,
                                           agreement=labels.get(signing.agreement, lang).text))
    return " ".join(sentences)


def _month(date: datetime.date, lang: str) -> str:
    text, _ = literal_text(ox.Literal(f"{date.year:04d}-{date.month:02d}",
                                      datatype=ox.NamedNode(str(XSD.gYearMonth))), lang)
    return text


def _short(text: str, limit: int) -> str:
    """``text`` cut at a word to fit ``limit`` characters, with "…" when cut.

    >>> _short("visit of a PCE delegation to attend the forum", 20)
    'visit of a PCE…'
    """
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0]
    return cut + "…"
