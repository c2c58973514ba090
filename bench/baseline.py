"""The baseline of ``make bench``: a bare Starlette app on the same server stack (the same
uvicorn, the same flags) that answers ``POST /graphql/<workload>`` with the bytes the real API
answered for that workload, from memory. What the API costs above it is the API's own work.

``BENCH_BASELINE_BODIES`` is a JSON object of workload name -> file holding the body.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

_BODIES = {
    name: Path(path).read_bytes()
    for name, path in json.loads(os.environ.get("BENCH_BASELINE_BODIES", "{}")).items()
}


async def graphql(request: Request) -> Response:
    await request.body()  # read the request as the API does
    return Response(_BODIES[request.path_params["name"]], media_type="application/json")


async def healthz(_request: Request) -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")


app = Starlette(
    routes=[
        Route("/graphql/{name}", graphql, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
    ]
)
