"""Restart PostgreSQL under load and show the site answers 503 while it is down and recovers by itself.

Starts a private PostgreSQL cluster (initdb in a temporary directory, its own port) and gunicorn against
it, saves a story through the admin, then stops PostgreSQL for DOWN seconds while a few reader threads
keep asking for the home page, the story and /healthz. Prints, second by second, what readers got, then
checks that the story saved just before the restart is intact. Nothing shared is touched.

    .venv/bin/python bench/db_restart.py [--pg-port 55400] [--http-port 8400] [--down 5]
"""

import argparse
import collections
import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PYTHON = ROOT / ".venv" / "bin" / "python"
HEADLINE = "Harbour reopens after the storm"
BODY = "The harbour master said the last ferry would sail at nine."


def as_postgres(command):
    """pg_ctl refuses to run as root: drop to the postgres user when we are root."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def start_cluster(data_dir, port):
    subprocess.run(
        as_postgres([PG_BIN / "initdb", "-D", data_dir, "-U", "postgres", "-A", "trust"]),
        check=True,
        capture_output=True,
    )
    pg_ctl(data_dir, port, "start")
    subprocess.run(
        as_postgres([PG_BIN / "createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "newsroom"]), check=True
    )


def pg_ctl(data_dir, port, action):
    options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={data_dir}"
    subprocess.run(
        as_postgres(
            [PG_BIN / "pg_ctl", "-D", data_dir, "-o", options, "-w", "-m", "fast", "-l", f"{data_dir}/log", action]
        ),
        check=True,
        capture_output=True,
    )


def fetch(opener, url, data=None):
    try:
        with opener.open(url, data=data, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()
    except OSError as error:
        return 0, {}, str(error)


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def save_story(base):
    """Log in and add a published story through the admin, as an editor would."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    _, _, html = fetch(opener, f"{base}/admin/login/")
    login = {
        "username": "editor",
        "password": "a-long-bench-password",
        "csrfmiddlewaretoken": csrf_token(html),
        "next": "/admin/",
    }
    fetch(opener, f"{base}/admin/login/", urllib.parse.urlencode(login).encode())
    _, _, html = fetch(opener, f"{base}/admin/articles/article/add/")
    section = re.search(r'<option value="(\d+)">World</option>', html).group(1)
    form = {
        "csrfmiddlewaretoken": csrf_token(html),
        "headline": HEADLINE,
        "slug": "harbour-reopens",
        "standfirst": "",
        "body": f"<p>{BODY}</p>",
        "section": section,
        "article_type": "news",
        "status": "published",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
    }
    _, _, html = fetch(opener, f"{base}/admin/articles/article/add/", urllib.parse.urlencode(form).encode())
    return "was added successfully" in html


Answer = collections.namedtuple("Answer", "at path status retry_after traceback back_soon")


def readers(base, paths, stop, log, started):
    opener = urllib.request.build_opener()
    while not stop.is_set():
        for path in paths:
            sent = time.monotonic() - started
            status, headers, body = fetch(opener, base + path)
            log.append(
                Answer(sent, path, status, headers.get("Retry-After"), "Traceback" in body, "Back in a moment" in body)
            )
        time.sleep(0.05)


def prepare_site(env):
    manage = [PYTHON, "manage.py"]
    for command in (
        ["migrate", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        ["createsuperuser", "--noinput", "--username", "editor", "--email", "editor@example.org"],
        [
            "shell",
            "-v0",
            "-c",
            "from articles.models import Section; Section.objects.create(name='World', slug='world')",
        ],
    ):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    command = [
        ROOT / ".venv" / "bin" / "gunicorn",
        "newsroom.wsgi",
        "-c",
        "gunicorn.conf.py",
        "--access-logfile",
        "/dev/null",
    ]
    gunicorn = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if fetch(urllib.request.build_opener(), f"http://{env['GUNICORN_BIND']}/healthz")[0] == 200:
            break
        time.sleep(0.1)
    return gunicorn


def restart_under_load(base, data_dir, args):
    """Readers ask all along; an editor saves a story; PostgreSQL goes down for `args.down` seconds."""
    log, stop, started = [], threading.Event(), time.monotonic()
    paths = ["/", "/world/harbour-reopens/", "/healthz"]
    threads = [threading.Thread(target=readers, args=(base, paths, stop, log, started)) for _ in range(args.threads)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    saved = save_story(base)
    times = {"saved": time.monotonic() - started}
    pg_ctl(data_dir, args.pg_port, "stop")  # fast shutdown: open connections are cut at once
    times["stopped"] = time.monotonic() - started
    time.sleep(args.down)
    pg_ctl(data_dir, args.pg_port, "start")
    times["restarted"] = time.monotonic() - started
    time.sleep(6)
    stop.set()
    for thread in threads:
        thread.join()
    print(f"t={times['saved']:5.1f}s  story saved through the admin: {'yes' if saved else 'NO'}")
    print(f"t={times['stopped']:5.1f}s  PostgreSQL stopped")
    print(f"t={times['restarted']:5.1f}s  PostgreSQL started again")
    return saved, times, log


def print_timeline(log):
    print("\nsecond  requests   200   503   5xx   err  public pages (status x count)")
    seconds = collections.defaultdict(collections.Counter)
    pages = collections.defaultdict(collections.Counter)
    for answer in log:
        status = answer.status
        kind = {200: "200", 503: "503", 0: "err"}.get(status, "5xx" if status >= 500 else "other")
        seconds[int(answer.at)][kind] += 1
        if answer.path != "/healthz":
            pages[int(answer.at)][status] += 1
    for second, counts in sorted(seconds.items()):
        statuses = " ".join(f"{code}x{n}" for code, n in sorted(pages[second].items()))
        columns = "".join(f"{counts[kind]:>6}" for kind in ("200", "503", "5xx", "err"))
        print(f"{second:6d}  {sum(counts.values()):8d}{columns}  {statuses}")


def judge(log, times):
    public = [answer for answer in log if answer.path != "/healthz"]
    down = [answer for answer in public if times["stopped"] <= answer.at <= times["restarted"]]
    after = [answer for answer in public if answer.at > times["restarted"]]
    first_ok = next((answer.at for answer in after if answer.status == 200), None)
    late_failures = [answer for answer in after if first_ok and answer.at > first_ok + 1 and answer.status != 200]
    # The story page is a 404 until the story is saved: that is the publishing gate, not a failure.
    odd = [a for a in log if a.status not in (200, 503) and not (a.status == 404 and a.at < times["saved"])]
    clean_503 = [a for a in down if a.status == 503 and a.retry_after and a.back_soon]
    print(
        f"\nwhile down: {len(down)} public page requests, {sum(a.status == 503 for a in down)} got 503, "
        f"{len(clean_503)} of them the 'Back in a moment' page with Retry-After"
    )
    print(f"responses showing a traceback: {sum(a.traceback for a in log)}")
    print(f"answers other than 200 and 503 (a 404 for the story before it was saved excepted): {len(odd)}")
    recovery = first_ok - times["restarted"] if first_ok else None
    print(f"first 200 for a public page {recovery:.2f}s after PostgreSQL was back" if first_ok else "no 200 after")
    print(f"non-200 public answers later than 1s after recovery: {len(late_failures)}")
    return (
        bool(down)
        and recovery is not None
        and recovery < 5
        and not odd
        and not late_failures
        and all(a.status == 200 or a in clean_503 for a in down)
    )


def read_back(env):
    code = (
        "from articles.models import Article; story = Article.objects.get(slug='harbour-reopens'); "
        "print(story.headline, '|', story.body, '|', story.is_published())"
    )
    command = [PYTHON, "manage.py", "shell", "-v0", "-c", code]
    stored = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True).stdout.strip()
    intact = stored == f"{HEADLINE} | <p>{BODY}</p> | True"
    print(f"story saved before the restart, read back: {stored}")
    print("story intact" if intact else "STORY NOT INTACT")
    return intact


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-port", type=int, default=55400)
    parser.add_argument("--http-port", type=int, default=8400)
    parser.add_argument("--down", type=float, default=5.0, help="seconds PostgreSQL stays down")
    parser.add_argument("--threads", type=int, default=3, help="reader threads")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
    data_dir = workdir / "data"
    data_dir.mkdir()
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres")
        shutil.chown(data_dir, "postgres")
    env = {
        **{key: value for key, value in os.environ.items() if key != "REDIS_URL"},
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{args.pg_port}/newsroom",
        "SECRET_KEY": "db-restart-bench-only",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CACHE_DIR": str(workdir / "cache"),
        "STATIC_ROOT": str(workdir / "static"),
        "DJANGO_SUPERUSER_PASSWORD": "a-long-bench-password",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "2",
        "GUNICORN_BIND": f"127.0.0.1:{args.http_port}",
    }
    gunicorn = None
    try:
        start_cluster(data_dir, args.pg_port)
        gunicorn = prepare_site(env)
        saved, times, log = restart_under_load(f"http://{env['GUNICORN_BIND']}", data_dir, args)
        print_timeline(log)
        recovered = judge(log, times)
        intact = read_back(env)
    finally:
        if gunicorn:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        if (data_dir / "postmaster.pid").exists():
            pg_ctl(data_dir, args.pg_port, "stop")
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0 if saved and recovered and intact else 1)


if __name__ == "__main__":
    main()
