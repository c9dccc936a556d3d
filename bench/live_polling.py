"""Live coverage's polling load: a live story's update endpoint through the page cache and the nginx front.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_NAME .venv/bin/python bench/live_polling.py

1,000 readers polling every 10 s ask 100 times a second, all for the same URL (`updates/?since=<version>`,
the token every up-to-date page holds). Plain wrk cannot pace requests (wrk2 is not installed), so each row
runs flat out and the table compares what the endpoint sustains with `/healthz` on the same server: at 80%
of the floor or more, 100 req/s is a small part of what it can take. Rows: gunicorn with the page cache
(Redis), the same while an entry is posted every 2 s (each purges the endpoint: the next poll renders it
afresh), and the nginx front with 8 and with 1,000 open connections against the static-file floor.

Uses bench/run.py's servers and wrk; adds a live story with 200 entries to the database the first time.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import PYTHON, ROOT, app_env, ensure_tools, start_gunicorn, start_nginx, wrk  # noqa: E402

STORY_SLUG = "bench-live-coverage"


def live_story():
    """The bench's live story (made once, 200 entries), and its update endpoint's up-to-date URL."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.utils import timezone

    from articles.models import Article, LiveEntry, Section

    story = Article.objects.filter(slug=STORY_SLUG).first()
    if story is None:
        section = Section.objects.order_by("order").first() or Section.objects.create(name="News", slug="news")
        story = Article.objects.create(
            headline="Bench: live coverage",
            slug=STORY_SLUG,
            section=section,
            article_type=Article.Type.LIVE,
            status=Article.Status.PUBLISHED,
            body="<p>The summary at the top.</p>",
        )
        start = timezone.now() - timezone.timedelta(hours=4)
        LiveEntry.objects.bulk_create(
            LiveEntry(
                article=story,
                posted_at=start + timezone.timedelta(minutes=n),
                headline=f"Update {n}" if n % 5 == 0 else "",
                body=f"<p>Entry {n}: what the reporter saw, in a sentence or two.</p>",
                key_event=n % 40 == 0,
            )
            for n in range(200)
        )
    version = LiveEntry.objects.filter(article=story).version(timezone.now())
    return story, f"{story.get_absolute_url()}updates/?since={version}"


def keep_posting(story, every, stop):
    """Post an entry every `every` seconds until `stop` is set, as an editor would (signals purge)."""
    from django.db import connection

    from articles.models import LiveEntry

    n = 0
    while not stop.wait(every):
        n += 1
        LiveEntry.objects.create(article=story, body=f"<p>Posted during the bench, {n}.</p>")
    connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=8, help="wrk duration per row (default 8)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8"))
    parser.add_argument("--port", type=int, default=8760, help="first of three loopback ports")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("Set DATABASE_URL to a migrated PostgreSQL database of your own (bench/README.md).")
    ensure_tools()
    subprocess.run(["redis-cli", "-u", args.redis_url, "FLUSHDB"], check=True, stdout=subprocess.DEVNULL)
    os.environ.update(app_env(REDIS_URL=args.redis_url))
    story, updates = live_story()

    workdir = Path(tempfile.mkdtemp(prefix="newsroom-live-bench-"))
    static_root, static_dir = workdir / "static", workdir / "floor"
    static_dir.mkdir()
    shared = {"REDIS_URL": args.redis_url, "STATIC_ROOT": str(static_root)}
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True, env=app_env(**shared)
    )
    app_port, nginx_port, static_port = args.port, args.port + 1, args.port + 2
    server, config, rows = None, None, []
    try:
        server = start_gunicorn(app_port, args.workers, 1, app_env(**shared))
        with urllib.request.urlopen(f"http://127.0.0.1:{app_port}{updates}") as response:
            (static_dir / "updates.json").write_bytes(response.read())
        config = start_nginx(workdir, app_port, nginx_port, static_port, static_dir, static_root, ROOT / "media")
        app, front = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{nginx_port}"
        floor = wrk(f"{app}/healthz", args.seconds, args.connections)
        rows.append(("gunicorn + page cache", "/healthz", args.connections, floor, floor))
        rows.append(
            (
                "gunicorn + page cache",
                "updates",
                args.connections,
                wrk(app + updates, args.seconds, args.connections),
                floor,
            )
        )
        stop = threading.Event()
        poster = threading.Thread(target=keep_posting, args=[story, 2, stop])
        poster.start()
        try:
            busy = wrk(app + updates, args.seconds, args.connections)
        finally:
            stop.set()
            poster.join()
        rows.append(("gunicorn + page cache", "updates, an entry every 2 s", args.connections, busy, floor))
        static_floor = wrk(f"http://127.0.0.1:{static_port}/updates.json", args.seconds, args.connections)
        rows.append(("nginx static file", "the same bytes", args.connections, static_floor, static_floor))
        rows.append(
            (
                "nginx front",
                "updates",
                args.connections,
                wrk(front + updates, args.seconds, args.connections),
                static_floor,
            )
        )
        many = wrk(front + updates, args.seconds, 1000)
        rows.append(("nginx front", "updates, 1,000 readers", 1000, many, static_floor))
    finally:
        if config:
            subprocess.run(["nginx", "-c", str(config), "-s", "stop"], check=False)
        if server:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"\nwrk -t2 -d{args.seconds}s per row; {args.workers} gunicorn workers; 2 cores shared by everything")
    print("target: 1,000 readers polling every 10 s = 100 req/s, served at >= 80% of the floor\n")
    print("| server | URL | connections | req/s | p50 ms | p99 ms | errors | ratio to floor |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for server_name, page, connections, result, base in rows:
        print(
            f"| {server_name} | {page} | {connections:,} | {result['rps']:,.0f} | {result['p50']:.1f} | "
            f"{result['p99']:.1f} | {result['errors']:.0f} | {result['rps'] / base['rps']:.0%} |"
        )
    print("\nfloor: /healthz on the same gunicorn server; for the nginx front, the same bytes as a static file.")


if __name__ == "__main__":
    main()
