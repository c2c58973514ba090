# claimgraph: a slim, non-root image that migrates its database, loads the seed and serves.
#   docker build -t claimgraph . && docker run -p 8000:8000 claimgraph
# Set DATABASE_URL for PostgreSQL (see compose.yaml); the default is SQLite in /app/var.

# --- the GraphiQL IDE, built from its npm packages so the page needs no CDN -------------
FROM node:20-slim AS ide
WORKDIR /build/ide
COPY ide/package.json ide/package-lock.json ide/.npmrc ./
RUN npm ci --no-audit --no-fund
COPY ide ./
RUN mkdir -p /build/claimgraph/api/ide && npm run build

# --- the Python wheel, IDE assets included -------------------------------------------------
FROM python:3.11-slim AS wheel
WORKDIR /build
COPY pyproject.toml README.md ./
COPY claimgraph ./claimgraph
COPY --from=ide /build/claimgraph/api/ide/static ./claimgraph/api/ide/static
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

# --- the runtime: no compilers, no build tools ----------------------------------------------
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN groupadd --system --gid 10001 claimgraph \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app claimgraph
WORKDIR /app
COPY --from=wheel /wheels /wheels
RUN pip install /wheels/*.whl && rm -rf /wheels && mkdir -p /app/var && chown 10001:10001 /app/var
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"]
# One worker per core: set CLAIMGRAPH_WORKERS to the cores the container gets.
ENV CLAIMGRAPH_WORKERS=2 \
    CLAIMGRAPH_LOG_FORMAT=json
CMD ["claimgraph", "up", "--host", "0.0.0.0", "--port", "8000"]
