"""A linked-data publisher: SHACL-validated RDF served as resources, dumps and SPARQL.

The package is in three layers, one folder each: ``domain`` (the dataset as RDF: loading,
validation, descriptions, dumps), ``web`` (HTTP and pages: views, negotiation, templates),
and ``runtime`` (settings, the command line, the production server); ``store`` and
``sparql`` are the engines behind the domain.
"""

from server.runtime.publisher import publisher
from server.web.app import create_app

__all__ = ["create_app", "publisher"]
