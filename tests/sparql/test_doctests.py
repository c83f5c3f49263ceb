"""The examples in the SPARQL helpers' docstrings are tests too."""

import doctest

import pytest

from server.sparql import diagnostics, lexer, page


@pytest.mark.parametrize("module", [diagnostics, lexer, page], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    failures, tried = doctest.testmod(module)
    assert tried > 0 and failures == 0
