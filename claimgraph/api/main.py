"""The ASGI app as uvicorn imports it: ``uvicorn claimgraph.api.main:app``."""

from claimgraph.api.app import create_app

app = create_app()
