"""The SPARQL 1.1 endpoint's domain: protocol, read-only checks, time-limited runs,
service description and example queries. No Flask here; ``views/sparql.py`` is the
HTTP shell around it."""
