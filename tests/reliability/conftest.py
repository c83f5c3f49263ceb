"""Reliability tests: fuzzing through the Flask test client, bad datasets built in
``tmp_path``, and the production server (``ldpub serve``) on 127.0.0.1 under load and
faults. The production server and the crawl are those of ``bench/soak.py`` (the long
soak), loaded as a module (the ``soak`` fixture of ``tests/conftest.py``), so CI runs the same crawl in a short form."""
