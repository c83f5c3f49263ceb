"""A reload publishes conforming data whole, and refuses anything else."""

from pathlib import Path

import pytest

from server import create_app
from server.runtime.publisher import Publisher


def config_for(root: Path) -> dict:
    return {"data_dir": str(root / "data"), "ontology_dir": str(root / "ontology"),
            "shapes_dir": str(root / "shapes"), "base_iri": "https://example.org/tiny/",
            "TESTING": True}


@pytest.fixture
def app(tiny_copy):
    return create_app(config_for(tiny_copy))


def dump(app) -> bytes:
    return app.test_client().get("/healthz").data


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda text: text.replace('schema:name "Ada Lovelace" ;', ""), "does not conform"),
        (lambda text: text + "\nnot turtle at all\n", "alpha.ttl:"),
    ],
    ids=["violation", "syntax-error"],
)
def test_bad_data_on_reload_leaves_the_served_data_identical(app, tiny_copy, change, expected):
    publisher = app.extensions["publisher"]
    before = publisher.snapshot
    served_before = sorted(map(str, before.store.quads()))
    alpha = tiny_copy / "data" / "alpha.ttl"
    alpha.write_text(change(alpha.read_text()))
    outcome = publisher.reload()
    assert not outcome.reloaded
    assert expected in outcome.message
    assert publisher.snapshot is before
    assert sorted(map(str, publisher.snapshot.store.quads())) == served_before
    health = app.test_client().get("/healthz").get_json()
    assert health["version"] == before.version
    assert expected in health["reload_refused"]["reason"]


def test_a_good_reload_after_a_refused_one_clears_the_refusal(app, tiny_copy):
    publisher = app.extensions["publisher"]
    alpha = tiny_copy / "data" / "alpha.ttl"
    good = alpha.read_text()
    alpha.write_text(good + "\nnot turtle at all\n")
    assert not publisher.reload().reloaded
    assert "reload_refused" in app.test_client().get("/healthz").get_json()
    alpha.write_text(good.replace('rdfs:label "Ada Lovelace"', 'rdfs:label "Ada, Countess of Lovelace"'))
    assert publisher.reload().reloaded
    assert "reload_refused" not in app.test_client().get("/healthz").get_json()


def test_an_unexpected_failure_on_reload_is_refused_not_raised(app):
    served = app.extensions["publisher"]
    before = served.snapshot

    def broken(settings):
        raise RuntimeError("Corruption: the engine failed in a way nobody planned for")

    publisher = Publisher(served.settings, before, opener=broken)
    outcome = publisher.reload()
    assert not outcome.reloaded and "Corruption" in outcome.message
    assert publisher.snapshot is before


def test_good_data_on_reload_is_published(app, tiny_copy):
    publisher = app.extensions["publisher"]
    before = publisher.snapshot.version
    beta = tiny_copy / "data" / "beta.ttl"
    beta.write_text(beta.read_text() + '\n<https://example.org/tiny/id/person/charles-babbage>'
                    ' <http://schema.org/alternateName> "C. Babbage" .\n')
    outcome = publisher.reload()
    assert outcome.reloaded
    assert publisher.snapshot.version == outcome.version != before
    assert outcome.version.encode() in dump(app)
    assert any('"C. Babbage"' in str(q) for q in publisher.snapshot.store.quads())
