"""Running the publisher: the ``ldpub`` command, the production server, the published snapshot."""
