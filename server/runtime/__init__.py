"""Running the publisher: settings, the ``ldpub`` command, and the production server."""
