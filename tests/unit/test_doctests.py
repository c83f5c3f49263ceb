"""The examples in the pure helpers' docstrings are tests too."""

import doctest

import pytest

from server.conformance import site
from server.domain import (
    dcat_ap,
    examples,
    formats,
    iris,
    namespaces,
    paging,
    texts,
    triple_terms,
)
from server.runtime import progress, selfcheck
from server.sparql import columns


@pytest.mark.parametrize("module", [iris, formats, dcat_ap, examples, namespaces, columns, site,
                                    selfcheck, texts, progress, triple_terms, paging],
                         ids=lambda m: m.__name__)
def test_docstring_examples(module):
    failures, tried = doctest.testmod(module)
    assert tried > 0
    assert failures == 0
