"""Gatewise HTTP server: the REST API, the static front end and the `gatewise` command."""
