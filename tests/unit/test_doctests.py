"""The examples in the pure helpers' docstrings are tests too."""

import doctest

import pytest

from server import formats, iris


@pytest.mark.parametrize("module", [iris, formats], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    failures, tried = doctest.testmod(module)
    assert tried > 0
    assert failures == 0
