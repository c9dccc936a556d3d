#!/bin/sh
# The Wagtail site that `bench/run.py --wagtail` compares with (bench/README.md, issue 21), from nothing:
# its own venv (bench/.wagtail-venv, never the project's), a fresh database, N articles (default 10,000).
#
#   bench/wagtail_site/setup.sh [ARTICLES]
#
# WAGTAIL_DATABASE (default wagtail_bench) on PostgreSQL at 127.0.0.1 as postgres is DROPPED and made again.
set -eu
cd "$(dirname "$0")"
venv=../.wagtail-venv
database=${WAGTAIL_DATABASE:-wagtail_bench}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r requirements.txt
dropdb --if-exists -h 127.0.0.1 -U postgres "$database"
createdb -h 127.0.0.1 -U postgres "$database"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$database"
"$venv/bin/python" manage.py migrate --verbosity 0
"$venv/bin/python" manage.py fill_articles "${1:-10000}"
# Autovacuum may be off (bench/README.md); the planner needs the new tables' statistics, as load_stories.py gives its own.
vacuumdb -h 127.0.0.1 -U postgres --analyze --quiet "$database"
echo "A sample article: http://127.0.0.1$("$venv/bin/python" manage.py sample_article | sed 's/.*"url": "\([^"]*\)".*/\1/')"
