from pathlib import Path

import pytest

from server.settings import REPOSITORY, Settings, SettingsError


def test_defaults_publish_the_repository_own_data():
    settings = Settings.load({}, environ={})
    assert settings.data_dir == REPOSITORY / "data"
    assert settings.ontology_dir == REPOSITORY / "ontology"
    assert settings.shapes_dir == REPOSITORY / "shapes"
    assert settings.base_iri == "https://w3id.org/grand-paris-russia/"
    assert settings.store == "memory"


def test_environment_is_read_and_typed(tmp_path: Path):
    settings = Settings.load({}, environ={
        "LDPUB_DATA_DIR": str(tmp_path),
        "LDPUB_QUERY_TIMEOUT": "2.5",
        "LDPUB_RESULT_LIMIT": "50",
        "LDPUB_PUBLIC_URL": "https://data.example.org",
        "LDPUB_LOG_LEVEL": "debug",
    })
    assert settings.data_dir == tmp_path
    assert settings.query_timeout == 2.5
    assert settings.result_limit == 50
    assert settings.public_url == "https://data.example.org/"
    assert settings.log_level == "DEBUG"


def test_explicit_values_win_over_the_environment():
    settings = Settings.load({"result_limit": 7}, environ={"LDPUB_RESULT_LIMIT": "50"})
    assert settings.result_limit == 7


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("LDPUB_QUERY_TIMEOUT", "soon", "LDPUB_QUERY_TIMEOUT='soon'"),
        ("LDPUB_QUERY_TIMEOUT", "0", "expected a number > 0"),
        ("LDPUB_RESULT_LIMIT", "-3", "expected a whole number > 0"),
        ("LDPUB_BASE_IRI", "https://example.org/no-slash", "ending with '/'"),
        ("LDPUB_BASE_IRI", "urn:x:", "absolute http(s) URL"),
        ("LDPUB_PUBLIC_URL", "localhost:8080", "absolute http(s) URL"),
        ("LDPUB_DATA_DIR", "/no/such/folder", "no such directory"),
        ("LDPUB_STORE", "postgres://x", "expected 'memory'"),
        ("LDPUB_LOG_LEVEL", "LOUD", "DEBUG, INFO"),
    ],
)
def test_a_bad_value_is_named_with_what_it_expects(variable, value, expected):
    with pytest.raises(SettingsError) as caught:
        Settings.load({}, environ={variable: value})
    assert expected in str(caught.value)


def test_an_unknown_setting_is_refused():
    with pytest.raises(SettingsError, match="unknown setting"):
        Settings.load({"colour": "blue"}, environ={})
