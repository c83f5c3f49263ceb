"""The web layer: HTTP, negotiation, the pages and their templates."""
