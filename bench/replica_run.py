"""A real streaming replica that lags: no reader gets a page without a story once its publication returned.

Starts a private PostgreSQL primary, a streaming replica made from it with `pg_basebackup -R` that applies
every commit DELAY seconds late (`recovery_min_apply_delay`), a private Redis and gunicorn with
DATABASE_REPLICA_URLS naming the replica. Reader threads keep asking for the home page, a section, the RSS
feed, a search and the story's own page while an editor publishes the story through the admin; after the
replica has replayed the publication, pages never asked for before are asked twice. The replica logs every
statement, so its log shows what readers read there. Nothing shared is touched; everything is stopped and
removed at the end, on failure too.

    .venv/bin/python bench/replica_run.py [--delay 3] [--readers 3] [--json]

Exits 1 unless: no response to a request sent after the publication returned lacks the story, the replica
lacked it for at least a second meanwhile (so the run tested something), pages were made on the primary
because the replica was behind, readers' pages were read on the replica before and after, and pages never
asked for before were stored once the replica had caught up.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg2
import redis
from db_restart import PG_BIN, as_postgres, csrf_token, fetch
from two_servers import FormFields

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PASSWORD = "replica-run-password"
HEADLINE = "Lighthouse on the point relit after forty years"
SLUG = "lighthouse-relit"
PATHS = ["/", "/world/", "/feeds/rss/", "/search/?q=lighthouse", f"/world/{SLUG}/"]
MARKER = "replica-run:"
PRIMARY_READ = "reads=primary reason=replicas-behind"  # newsroom/replicas.py logs it for each such page


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, **kwargs)


def pg_ctl(data_dir, port, action, check=True):
    options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={data_dir}"
    command = [PG_BIN / "pg_ctl", "-D", data_dir, "-o", options, "-w", "-t", "30", "-m", "immediate"]
    subprocess.run(as_postgres([*command, "-l", f"{data_dir}.log", action]), check=check, capture_output=True)


def start_primary(primary, port):
    run(as_postgres([PG_BIN / "initdb", "-D", primary, "-U", "postgres", "-A", "trust", "--no-sync"]))
    with open(primary / "postgresql.conf", "a") as conf:
        # fsync off: a throwaway cluster. No autovacuum: its commits during the run would hold the replica back.
        conf.write("wal_level = replica\nfsync = off\nautovacuum = off\n")
    pg_ctl(primary, port, "start")
    run(as_postgres([PG_BIN / "createdb", "-h", "127.0.0.1", "-p", str(port), "newsroom"]))


def start_replica(primary_port, replica, port, delay):
    command = [PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres"]
    run(as_postgres([*command, "-D", replica, "-R", "-X", "stream", "-c", "fast"]))
    with open(replica / "postgresql.auto.conf", "a") as conf:
        conf.write(f"recovery_min_apply_delay = '{delay}s'\nhot_standby = on\nlog_statement = 'all'\n")
    pg_ctl(replica, port, "start")


def prepare_site(env):
    """Migrate the primary; an editor, a section with a story, and the draft the editor will publish."""
    setup = f"""
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.utils import timezone
from articles.models import Article, Section
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
editor = User.objects.create_user("editor", password="{PASSWORD}", is_staff=True)
editor.groups.add(Group.objects.get(name="Editor"))
world = Section.objects.create(name="World", slug="world")
common = dict(section=world, standfirst="From our correspondent.", source="Newsroom wire")
Article.objects.create(headline="Harbour reopens after the storm", slug="harbour-reopens",
    status="published", published_at=timezone.now() - timezone.timedelta(hours=1), **common)
Article.objects.create(headline="{HEADLINE}", slug="{SLUG}", status="draft", published_at=timezone.now(),
    body="<p>The keepers' association lit the lamp at dusk.</p>", **common)
"""
    run([BIN / "python", "manage.py", "shell", "-v0", "-c", setup], cwd=ROOT, env=env)


def start_gunicorn(env, log_path):
    command = [BIN / "gunicorn", "newsroom.wsgi", "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null"]
    log = open(log_path, "w")  # noqa: SIM115 (kept open for the server's life)
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_until_serving(base):
    for _ in range(150):
        # Not /healthz: a reader's request would find the replica missing and leave it alone a while.
        if fetch(urllib.request.build_opener(), f"{base}/admin/login/")[0] == 200:
            return
        time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None


def publish(base):
    """The editor logs in and opens the draft; returns the save, as published, which returns the time its
    answer came back."""
    cookies = urllib.request.HTTPCookieProcessor()
    editor = urllib.request.build_opener(cookies)
    _, _, html = fetch(editor, f"{base}/admin/login/")
    login = {"username": "editor", "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(html)}
    fetch(editor, f"{base}/admin/login/?next=/admin/", urllib.parse.urlencode(login).encode())
    _, _, changelist = fetch(editor, f"{base}/admin/articles/article/?q=lighthouse")
    change_path = re.search(r'href="(/admin/articles/article/\d+/change/)', changelist).group(1)
    form = FormFields("article_form")
    form.feed(fetch(editor, base + change_path)[2])
    fields = [(name, "published" if name == "status" else value) for name, value in form.fields]
    fields.append(("publish_anyway", "on"))  # no lead picture: an advisory item of the checklist
    saving = urllib.request.build_opener(cookies, NoRedirect)

    def save():
        status = fetch(saving, base + change_path, urllib.parse.urlencode(fields).encode())[0]
        # The admin answers a refused form with the form again (200), a saved one with a redirect.
        if status != 302:
            raise SystemExit(f"the editor's save was refused ({status})")
        return time.monotonic()

    return save


def read_pages(base, paths, stop, log):
    opener = urllib.request.build_opener()
    while not stop.is_set():
        for path in paths:
            sent = time.monotonic()
            status, headers, body = fetch(opener, base + path)
            log.append((sent, path, status, headers.get("X-Page-Cache"), HEADLINE in body))


def statement(dsn, sql, *params):
    connection = psycopg2.connect(dsn)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]
    finally:
        connection.close()


def replayed(replica_dsn):
    # Written unlike the app's own check, so the replica's log tells them apart.
    return statement(replica_dsn, "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')")


def wait_for_replay(primary_dsn, replica_dsn, timeout):
    """Until the replica has replayed everything the primary has written so far (the editor's login)."""
    target = statement(primary_dsn, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')")
    deadline = time.monotonic() + timeout
    while replayed(replica_dsn) < target:
        if time.monotonic() > deadline:
            raise SystemExit("the replica did not catch up with the primary")
        time.sleep(0.05)


def watch_replica(replica_dsn, cache, published_at, deadline):
    """When the replica first holds the published story, and when it has replayed past the purge's position."""
    seen = caught_up = None
    position_key = cache.keys("*pagecache:purge-position")[0]
    while (seen is None or caught_up is None) and time.monotonic() < deadline:
        now = time.monotonic()
        if seen is None and statement(replica_dsn, "SELECT count(*) FROM articles_article WHERE slug = %s "
                                      "AND status = 'published'", SLUG):  # fmt: skip
            seen = now
            statement(replica_dsn, f"SELECT '{MARKER} story replayed'")
        if caught_up is None and replayed(replica_dsn) >= int(cache.get(position_key)):
            caught_up = now
            statement(replica_dsn, f"SELECT '{MARKER} caught up'")
        time.sleep(0.02)
    return (seen or deadline) - published_at, (caught_up or deadline) - published_at


def replica_statements(log_path):
    """Statements readers ran on the replica, by phase: before the publication, during the lag, after it."""
    phases, phase = {"before": [0, 0], "lag": [0, 0], "after": [0, 0]}, "before"
    for line in Path(log_path).read_text(errors="replace").splitlines():
        if MARKER in line:
            phase = {"published": "lag", "caught up": "after"}.get(line.split(MARKER)[1].strip(" '"), phase)
        elif "statement: SELECT" in line and '"articles_' in line or "statement: EXECUTE readpath_" in line:
            phases[phase][0] += 1  # the ORM's queries and articles/readpath.py's prepared ones
        elif "statement: SELECT pg_last_wal_replay_lsn()" in line:
            phases[phase][1] += 1
    return {name: {"page_queries": pages, "position_checks": checks} for name, (pages, checks) in phases.items()}


def judge(log, published_at, fresh, lags, primary_reads, on_replica):
    lag, caught_up = lags
    after = [entry for entry in log if entry[0] >= published_at]
    stale = [entry for entry in after if not (entry[2] == 200 and entry[4])]
    made = sum(entry[3] != "hit" for entry in log)
    figures = {
        "reader_requests": len(log),
        "served_from_cache": len(log) - made,
        "pages_made_on_replica": made - sum(primary_reads),
        "pages_made_on_primary_because_replica_behind": dict(zip(["before", "after"], primary_reads, strict=True)),
        "made_not_stored": sum(entry[2] == 200 and entry[3] is None for entry in log),
        "after_publish_returned": len(after),
        "hits_after_publish_returned": sum(entry[3] == "hit" for entry in after),
        "stale_after_publish_returned": len(stale),
        "stale_cached_after_publish_returned": sum(entry[3] == "hit" for entry in stale),
        "replica_lacked_story_s": round(lag, 2),
        "replica_past_purge_position_s": round(caught_up, 2),
        "replica_statements": on_replica,
        "fresh_pages_after_catch_up": fresh,
    }
    checks = {
        "no stale page after the publication returned": not stale and bool(after),
        "the replica lagged at least 1 s": lag >= 1,
        "pages made on the primary while the replica lagged": primary_reads[1] > 0,
        "readers read the replica before the publication": on_replica["before"]["page_queries"] > 0,
        "readers read the replica after it caught up": on_replica["after"]["page_queries"] > 0,
        "new pages stored after the catch-up": all(first == "miss" and second == "hit" for first, second in fresh),
    }
    return figures, checks


def scenario(base, save, args, replica_dsn, cache, gunicorn_log, replica_log):
    def primary_reads():
        return Path(gunicorn_log).read_text().count(PRIMARY_READ)

    log, stop, counted = [], threading.Event(), [primary_reads()]
    threads = [
        threading.Thread(target=read_pages, args=(base, PATHS[i:] + PATHS[:i], stop, log)) for i in range(args.readers)
    ]
    for thread in threads:
        thread.start()
    time.sleep(2)  # the pages are made and stored, from the replica
    published_at = save()
    counted.append(primary_reads())
    statement(replica_dsn, f"SELECT '{MARKER} published'")
    lags = watch_replica(replica_dsn, cache, published_at, published_at + args.delay + 15)
    time.sleep(1)
    stop.set()
    for thread in threads:
        thread.join()
    counted.append(primary_reads())
    fresh = []
    for path in ["/?after=catch-up", "/world/?after=catch-up", "/search/?q=lighthouse+point"]:
        answers = [fetch(urllib.request.build_opener(), base + path) for _ in range(2)]
        fresh.append([headers.get("X-Page-Cache") for _, headers, _ in answers])
    by_phase = [counted[1] - counted[0], counted[2] - counted[1]]
    return judge(log, published_at, fresh, lags, by_phase, replica_statements(replica_log))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=3.0, help="seconds the replica applies each commit late")
    parser.add_argument("--readers", type=int, default=3, help="reader threads")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    # A stop from outside (a test's timeout) still runs the clean-up below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    workdir = Path(tempfile.mkdtemp(prefix="newsroom-replica-"))
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres")
    ports = {name: free_port() for name in ("primary", "replica", "redis", "http")}
    primary_url = f"postgres://postgres@127.0.0.1:{ports['primary']}/newsroom"
    replica_url = f"postgres://postgres@127.0.0.1:{ports['replica']}/newsroom"
    env = {
        **{key: value for key, value in os.environ.items() if key not in {"DATABASE_REPLICA_URLS", "REDIS_URL"}},
        "DATABASE_URL": primary_url,
        "SECRET_KEY": "replica-run-only",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(workdir / "static"),
        "LOG_LEVEL": "INFO",
    }
    site_env = {
        **env,
        "DATABASE_REPLICA_URLS": replica_url,
        "REDIS_URL": f"redis://127.0.0.1:{ports['redis']}/0",
        "PAGE_CACHE_SECONDS": "600",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "4",
        "GUNICORN_BIND": f"127.0.0.1:{ports['http']}",
    }
    processes, clusters = [], []
    try:
        primary, replica = workdir / "primary", workdir / "replica"
        clusters.append((primary, ports["primary"]))
        start_primary(primary, ports["primary"])
        prepare_site(env)
        redis_command = ["redis-server", "--port", str(ports["redis"]), "--bind", "127.0.0.1", "--save", ""]
        processes.append(subprocess.Popen([*redis_command, "--appendonly", "no"], stdout=subprocess.DEVNULL))
        processes.append(start_gunicorn(site_env, workdir / "gunicorn.log"))
        base = f"http://{site_env['GUNICORN_BIND']}"
        wait_until_serving(base)
        # The editor logs in first, so the replica starts with the login and lags only behind the publication.
        save = publish(base)
        clusters.append((replica, ports["replica"]))
        start_replica(ports["primary"], replica, ports["replica"], args.delay)
        wait_for_replay(primary_url, replica_url, args.delay + 15)
        cache = redis.Redis.from_url(site_env["REDIS_URL"])
        figures, checks = scenario(base, save, args, replica_url, cache, workdir / "gunicorn.log", f"{replica}.log")
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for data_dir, port in reversed(clusters):
            pg_ctl(data_dir, port, "stop", check=False)
        shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps({"figures": figures, "checks": checks}))
    else:
        print(json.dumps(figures, indent=2))
        for check, passed in checks.items():
            print(f"{'ok  ' if passed else 'FAIL'} {check}")
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
