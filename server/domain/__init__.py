"""The domain layer: the dataset as RDF, from loading and validation to descriptions and dumps."""
