# syntax=docker/dockerfile:1
# Build stage: compile psycopg2 and friends into a virtualenv.
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev libpq-dev \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt /tmp/requirements.txt
# pip and setuptools are left behind: nothing installs packages into the running app.
RUN python -m venv /opt/venv && /opt/venv/bin/pip install -r /tmp/requirements.txt \
    && /opt/venv/bin/pip uninstall --yes --quiet pip setuptools

# The app: no compilers, a non-root user, static files collected at build time.
FROM python:3.11-slim-bookworm AS app
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH \
    WEB_CONCURRENCY=3 \
    GUNICORN_BIND=0.0.0.0:8000
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
    && groupadd --system --gid 10001 newsroom \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin newsroom
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# The code stays root's: the app user may write only uploads and the file cache.
COPY . .
RUN SECRET_KEY=collectstatic-only DATABASE_URL=sqlite:////tmp/build.sqlite3 python manage.py collectstatic --noinput -v0 \
    && mkdir -p /app/media /app/var/cache \
    && chown 10001:10001 /app/media /app/var /app/var/cache
USER 10001:10001
VOLUME ["/app/media"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; host = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].lstrip('.'); port = os.environ.get('GUNICORN_BIND', ':8000').rsplit(':', 1)[1]; urllib.request.urlopen(urllib.request.Request(f'http://127.0.0.1:{port}/healthz', headers={'Host': host}), timeout=4)"]
CMD ["gunicorn", "newsroom.wsgi", "--config", "gunicorn.conf.py"]

# The caching front (deploy/nginx.conf; the `front` service of docker-compose.yml): nginx with the static
# files this build collected, so they always match the app they were built with. The image's entrypoint
# fills the ${NEWSROOM_*} placeholders from the environment into conf.d/, which its http {} block includes.
FROM nginx:1.27-bookworm AS front
RUN rm /etc/nginx/conf.d/default.conf
COPY deploy/nginx.conf /etc/nginx/templates/newsroom.conf.template
COPY --from=app /app/staticfiles /srv/static

# `docker build .` without --target builds the app.
FROM app
