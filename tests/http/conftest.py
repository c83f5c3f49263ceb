"""The HTTP tests go through the Flask test client, a fresh app per test."""

from __future__ import annotations

import pytest


@pytest.fixture
def client(tiny_client):
    """The tiny dataset: two people, an organisation, a membership, a derived link."""
    return tiny_client
