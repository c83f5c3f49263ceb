"""The twelve worked competency questions: each query in queries/ returns exactly the
expected answer set (nothing missing, nothing invented, empty where the articles are
silent)."""

from __future__ import annotations

from kg_helpers import BASE, query_file, select

PERSON = BASE + "id/person/"
ORG = BASE + "id/organization/"
PROJECT = BASE + "id/project/"


def column(rows, name):
    return {row[name] for row in rows}


def test_q01_convention_signatories(repo_snapshot):
    rows = select(repo_snapshot, query_file("q01-convention-signatories.rq"))
    assert column(rows, "signatory") == {
        PERSON + "alexandre-missoffe",
        PERSON + "alexei-makrouchine",
    }
    assert column(rows, "name") == {"Alexandre Missoffe", "Alexei Makrouchine"}
    assert PERSON + "andrei-tchibis" not in column(rows, "signatory")


def test_q02_forum_agreement_signatories_and_date(repo_snapshot):
    rows = select(repo_snapshot, query_file("q02-forum-agreement-signatories-date.rq"))
    assert {(row["signatory"], row["date"]) for row in rows} == {
        (PERSON + "andrei-tchibis", "2018-05-25"),
        (PERSON + "alexandre-missoffe", "2018-05-25"),
    }
    assert column(rows, "agreement") == {BASE + "id/agreement/agreement-2018-05-25"}


def test_q03_headlines_and_languages(repo_snapshot):
    rows = select(repo_snapshot, query_file("q03-article-headlines-languages.rq"))
    assert {(row["article"], row["headline"], row["language"]) for row in rows} == {
        (
            BASE + "id/article/pce-makers-grand-paris-russie",
            "PCE met en relation les makers du Grand Paris et la Russie",
            "fr",
        ),
        (
            BASE + "id/article/grand-paris-expertise-exported-to-russia",
            "Urban development: French expertise and Grand Paris exported to Russia",
            "en",
        ),
    }


def test_q04_present_without_signing(repo_snapshot):
    rows = select(repo_snapshot, query_file("q04-present-without-signing.rq"))
    assert column(rows, "person") == {PERSON + "andrei-tchibis"}


def test_q06_exchange_date_and_place(repo_snapshot):
    rows = select(repo_snapshot, query_file("q06-cci-exchange-date-place.rq"))
    assert column(rows, "date") == {"2018-11-29"}
    assert column(rows, "place") == {BASE + "id/place/cci-de-paris"}
    assert column(rows, "placeName") == {
        "chambre de commerce et d’industrie de Paris",
        "CCI de Paris",
    }
    # The day and month are stated, the year is derived: the date sits in the derived graph.
    assert column(rows, "dateGraph") == {BASE + "graph/derived"}


def test_q07_meeting_participants_and_projects(repo_snapshot):
    rows = select(repo_snapshot, query_file("q07-meeting-participants-projects.rq"))
    assert {(row["organization"], row["project"]) for row in rows} == {
        (ORG + "societe-du-grand-paris", PROJECT + "grand-paris-express"),
        (ORG + "engie", PROJECT + "inventons-la-metropole-du-grand-paris"),
        (ORG + "groupe-adp", None),
    }
    assert not column(rows, "organization") & {ORG + "dassault-systemes", ORG + "epa"}


def test_q11_pce_president_and_director_general(repo_snapshot):
    rows = select(repo_snapshot, query_file("q11-pce-president-director-general.rq"))
    assert {(row["roleEn"], row["roleFr"], row["person"]) for row in rows} == {
        ("President", "président", PERSON + "christian-nibourel"),
        ("Director General", "directeur général", PERSON + "alexandre-missoffe"),
    }


def test_q18_names_of_pce(repo_snapshot):
    rows = select(repo_snapshot, query_file("q18-pce-names.rq"))
    assert column(rows, "name") == {
        "Paris-Ile de France Capitale Economique",
        "Paris-Ile de France Capitale économique",
        "PCE",
        "Greater Paris Investment Agency",
    }


def test_q20_priority_areas(repo_snapshot):
    rows = select(repo_snapshot, query_file("q20-priority-areas.rq"))
    assert {(row["fr"], row["en"]) for row in rows} == {
        ("services communaux intelligents", "smart municipal services"),
        ("infrastructures innovantes", "innovative infrastructure"),
        ("planification urbaine", "city planning"),
        ("mobilités", "mobility"),
        ("ville confortable", "comfortable cities"),
    }
    assert column(rows, "count") == {"5"}
    assert column(rows, "statedCount") == {"5"}


def test_q26_speaker_of_point_de_depart(repo_snapshot):
    rows = select(repo_snapshot, query_file("q26-point-de-depart-speaker.rq"))
    assert column(rows, "speaker") == {PERSON + "alexandre-missoffe"}


def test_q44_photo_credits_and_persons(repo_snapshot):
    rows = select(repo_snapshot, query_file("q44-photo-credits-persons.rq"))
    answer = {row["credit"]: (int(row["photos"]), set(row["persons"].split(" | "))) for row in rows}
    assert answer == {
        "JGP": (2, {"Andreï Tchibis", "Alexandre Missoffe", "Alexei Makrouchine"}),
        "PCE": (
            2,
            {
                "Rustan Minnikhanov",
                "Iksander Ioussoupov",
                "Carole Sorreau",
                "Willem Coppolse",
                "Alexandre Nekrassov",
                "Alexandre Missoffe",
                "Etienne Guyot",
                "Victoria Kushpeleva",
                "Sacha Nekrassov",
            },
        ),
    }


def test_q45_no_publication_dates_or_authors(repo_snapshot):
    assert select(repo_snapshot, query_file("q45-article-dates-authors.rq")) == []
