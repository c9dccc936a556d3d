"""Load benchmark: gunicorn (production settings) and the nginx front, driven by wrk on loopback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench .venv/bin/python bench/run.py

Starts two gunicorn servers on the same database, one with the page cache (Redis) and one without,
and nginx in front of the cached one (deploy/nginx.conf); runs wrk against /healthz, home, article,
section, search and feed pages and the content API's stories and story on each, bounded in time; and
prints requests/s, latency percentiles, errors, SQL queries per page, worker memory, and every figure as
a ratio to the framework floor (/healthz on the same server, in the same run). Needs Debian's nginx and
wrk (installed if missing).

With --wagtail it also starts the Wagtail site of bench/wagtail_site (made by its setup.sh, in its own venv
and database) the same way, adds its /healthz and article page to the table, and then drives the two
article pages (this project's with the page cache off) in alternating rounds for their ratio (issue 21).
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
PYTHON = sys.executable
WAGTAIL_SITE = Path(__file__).resolve().parent / "wagtail_site"
WAGTAIL_VENV = Path(__file__).resolve().parent / ".wagtail-venv"


def ensure_tools():
    missing = [tool for tool in ("nginx", "wrk") if not shutil.which(tool)]
    if missing:
        print(f"installing {', '.join(missing)} from Debian's packages", flush=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", *missing],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )


def app_env(**extra):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-a-secret"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "http://127.0.0.1",
        "LOG_LEVEL": "WARNING",
        # wrk is one client at thousands of requests a second: the API's limit still counts each one (its cost
        # is measured) but never refuses.
        "API_ANONYMOUS_RATE_LIMIT": "1000000000",
    }
    env.update(extra)
    return env


def wait_for(url, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def check_port_free(port):
    """A server left over from an interrupted run would answer in place of the one about to start."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"Something already listens on 127.0.0.1:{port}; stop it or pass --port.")


def start_gunicorn(port, workers, threads, env, max_requests=None, log=subprocess.DEVNULL):
    """Workers recycled as gunicorn.conf.py has it (GUNICORN_MAX_REQUESTS) unless max_requests is given."""
    check_port_free(port)
    command = [
        str(ROOT / ".venv/bin/gunicorn"), "newsroom.wsgi", "--config", "gunicorn.conf.py",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
        "--access-logfile", "/dev/null",
    ]  # fmt: skip
    if max_requests is not None:
        command += ["--max-requests", str(max_requests)]
    return serve(command, ROOT, env, port, log)


def serve(command, cwd, env, port, log=subprocess.DEVNULL):
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
    except SystemExit:
        process.terminate()
        raise
    return process


def wagtail_env(database_url):
    return {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "wagtailbench.settings"}


def wagtail_article(database_url, slug):
    """The Wagtail site's article with this slug (the same story, when both archives hold it) or its newest."""
    if not (WAGTAIL_VENV / "bin/gunicorn").exists():
        raise SystemExit("No Wagtail site to compare with: run bench/wagtail_site/setup.sh first.")
    output = subprocess.run(
        [str(WAGTAIL_VENV / "bin/python"), "manage.py", "sample_article", slug],
        cwd=WAGTAIL_SITE, env=wagtail_env(database_url), stdout=subprocess.PIPE, text=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(output)


def start_wagtail(port, workers, threads, database_url):
    """The Wagtail site as this project's server runs: sync workers, their heartbeat files in memory."""
    check_port_free(port)
    command = [
        str(WAGTAIL_VENV / "bin/gunicorn"), "wagtailbench.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--threads", str(threads), "--worker-tmp-dir", "/dev/shm",
        "--no-control-socket",  # gunicorn 27 shares one control socket per user; two servers would fight over it
    ]  # fmt: skip
    return serve(command, WAGTAIL_SITE, wagtail_env(database_url), port)


def start_nginx(workdir, app_port, nginx_port, static_port, static_dir, static_root, media_root):
    check_port_free(nginx_port)
    check_port_free(static_port)
    snippet = (ROOT / "deploy/nginx.conf").read_text()
    for name, value in {
        "NEWSROOM_UPSTREAM": f"127.0.0.1:{app_port}",
        "NEWSROOM_LISTEN": f"127.0.0.1:{nginx_port}",
        "NEWSROOM_CACHE_DIR": str(workdir / "cache"),
        "NEWSROOM_STATIC_ROOT": str(static_root),
        "NEWSROOM_MEDIA_ROOT": str(media_root),
    }.items():
        snippet = snippet.replace("${" + name + "}", value)
    config = workdir / "nginx.conf"
    # 4,096 connections: bench/live_polling.py holds 1,000 readers' connections open at once.
    config.write_text(
        f"""worker_processes 1;
{"user root;" if os.geteuid() == 0 else ""}
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    {snippet}
    # The physical floor: the same bytes as a static file.
    server {{
        listen 127.0.0.1:{static_port};
        location / {{ root {static_dir}; }}
    }}
}}
"""
    )
    subprocess.run(["nginx", "-t", "-q", "-c", str(config)], check=True)
    subprocess.run(["nginx", "-c", str(config)], check=True)
    wait_for(f"http://127.0.0.1:{nginx_port}/healthz")
    return config


def wrk(url, seconds, connections):
    # Every row starts hot. Behind a cold page nginx's cache lock holds the other connections until its
    # next look at the lock, 500 ms later: a cold start cost 7 of 8 connections half a second (p99 400 ms).
    try:
        with urllib.request.urlopen(url) as response:
            response.read()
    except urllib.error.HTTPError:
        pass  # an error status: wrk counts it in the table
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(WRK_SCRIPT), url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    report = dict(re.findall(r"^(\w+)=(\S+)$", output, re.M))
    return {key: float(value) for key, value in report.items()}


def worker_memory_mb(master):
    children = subprocess.run(["pgrep", "-P", str(master.pid)], capture_output=True, text=True).stdout.split()
    total = 0
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return total / 1024 / max(1, len(children))


def sample_pages():
    """Real URLs from the database: the newest story, its section, a search, the feed."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from articles.models import Article

    article = Article.objects.published().select_related("section").first()
    pages = {
        "home": "/",
        "article": article.get_absolute_url(),
        "section": article.section.get_absolute_url(),
        "search": "/search/?q=minsk",
        "feed": "/feeds/rss/",
        # The content API (api/): a page of story cards, and one story with everything its page shows.
        "api-stories": "/api/v1/stories/",
        "api-story": f"/api/v1/stories/{article.pk}/",
    }
    # Only the uncached server (bench/yardstick_urls.py) has these: the article page's floor, step by step.
    yardsticks = {
        "bare one-query view": f"/bench/one-query/{article.pk}/",
        "article's six queries, no template": f"/bench/article-data/{article.pk}/",
    }
    queries = {}
    client = Client()
    with override_settings(PAGE_CACHE_SECONDS=0, ALLOWED_HOSTS=["testserver"], ROOT_URLCONF="bench.yardstick_urls"):
        for name, url in {**pages, **yardsticks}.items():
            with CaptureQueriesContext(connection) as captured:
                status = client.get(url).status_code
            queries[name] = len(captured) if status == 200 else f"HTTP {status}"
    stories = Article.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    connection.close()
    archive = f"{stories:,} stories, PostgreSQL shared_buffers {buffers}"
    return pages, yardsticks, queries, archive, article.slug, article.headline


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=8, help="wrk duration per URL (default 8)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (default 1: sync workers; bench/README.md)"
    )
    parser.add_argument(
        "--max-requests", type=int, help="requests before a worker is recycled (default: as gunicorn.conf.py has it)"
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"))
    parser.add_argument("--port", type=int, default=8700, help="first of five loopback ports")
    parser.add_argument("--wagtail", action="store_true", help="compare with bench/wagtail_site (its setup.sh first)")
    parser.add_argument(
        "--wagtail-database", default="postgres://postgres@127.0.0.1:5432/wagtail_bench", help="the Wagtail site's"
    )
    parser.add_argument("--rounds", type=int, default=5, help="alternating article rounds with --wagtail")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="PAGE",
        help="only these pages' rows (home, article, section, search, feed, api-stories, api-story); each server's "
        "/healthz floor still runs",
    )
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("Set DATABASE_URL to a migrated, filled PostgreSQL database (bench/README.md).")
    ensure_tools()
    # A page cached from another database must not answer here: the bench's own Redis database starts empty.
    subprocess.run(["redis-cli", "-u", args.redis_url, "FLUSHDB"], check=True, stdout=subprocess.DEVNULL)
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    static_root = workdir / "static"
    shared = {"REDIS_URL": args.redis_url, "STATIC_ROOT": str(static_root)}
    # Before the sample pages: with DEBUG off their templates need the static files' manifest.
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True, env=app_env(**shared)
    )
    os.environ.update(app_env(**shared))
    pages, yardsticks, queries, archive, slug, headline = sample_pages()
    measured = {**pages, **yardsticks}
    if args.only:
        unknown = set(args.only) - set(pages)
        if unknown:
            raise SystemExit(f"No such page: {', '.join(sorted(unknown))}; choose from {', '.join(pages)}.")
        measured = {name: url for name, url in pages.items() if name in args.only}
    fronted = [name for name in ["article", "home"] if name in measured]
    wagtail = wagtail_article(args.wagtail_database, slug) if args.wagtail else None
    cached_port, uncached_port, nginx_port, static_port = args.port, args.port + 1, args.port + 2, args.port + 3
    wagtail_port = args.port + 4
    servers, config, rows, rounds = {}, None, [], []
    try:
        servers["cached"] = start_gunicorn(
            cached_port, args.workers, args.threads, app_env(**shared), max_requests=args.max_requests
        )
        servers["uncached"] = start_gunicorn(
            uncached_port,
            args.workers,
            args.threads,
            app_env(PAGE_CACHE_SECONDS="0", DJANGO_SETTINGS_MODULE="bench.yardstick_settings", **shared),
            max_requests=args.max_requests,
        )
        static_dir = workdir / "floor"
        static_dir.mkdir()
        # Each fronted page's floor is its own bytes as a static file: the home page is several times the article's.
        page_bytes = {}
        for name in ["article", "home"]:
            with urllib.request.urlopen(f"http://127.0.0.1:{uncached_port}{pages[name]}") as response:
                page_bytes[name] = (static_dir / f"{name}.html").write_bytes(response.read())
        config = start_nginx(workdir, cached_port, nginx_port, static_port, static_dir, static_root, ROOT / "media")
        if wagtail:
            servers["wagtail"] = start_wagtail(wagtail_port, args.workers, args.threads, args.wagtail_database)
        for server, port in [("cached", cached_port), ("uncached", uncached_port)]:
            floor = wrk(f"http://127.0.0.1:{port}/healthz", args.seconds, args.connections)
            rows.append((f"gunicorn {server}", "/healthz", floor, floor["rps"], "-"))
            for name, url in measured.items():
                if name in yardsticks and server == "cached":
                    continue
                result = wrk(f"http://127.0.0.1:{port}{url}", args.seconds, args.connections)
                rows.append((f"gunicorn {server}", name, result, floor["rps"], queries[name]))
        if wagtail:
            floor = wrk(f"http://127.0.0.1:{wagtail_port}/healthz", args.seconds, args.connections)
            rows.append(("wagtail", "/healthz", floor, floor["rps"], "-"))
            result = wrk(f"http://127.0.0.1:{wagtail_port}{wagtail['url']}", args.seconds, args.connections)
            rows.append(("wagtail", "article", result, floor["rps"], wagtail["queries"]))
        for name in fronted:
            nginx_floor = wrk(f"http://127.0.0.1:{static_port}/{name}.html", args.seconds, args.connections)
            rows.append(("nginx static file", f"{name} bytes", nginx_floor, nginx_floor["rps"], "-"))
            result = wrk(f"http://127.0.0.1:{nginx_port}{pages[name]}", args.seconds, args.connections)
            rows.append(("nginx front", name, result, nginx_floor["rps"], queries[name]))
        for _ in range(args.rounds if wagtail else 0):
            ours = wrk(f"http://127.0.0.1:{uncached_port}{pages['article']}", args.seconds, args.connections)
            theirs = wrk(f"http://127.0.0.1:{wagtail_port}{wagtail['url']}", args.seconds, args.connections)
            rounds.append((ours["rps"], theirs["rps"]))
        memory = {server: worker_memory_mb(process) for server, process in servers.items()}
    finally:
        if config:
            subprocess.run(["nginx", "-c", str(config), "-s", "stop"], check=False)
        for process in servers.values():
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)

    print(
        f"\n{archive}; wrk -t2 -c{args.connections} -d{args.seconds}s per row; {args.workers} gunicorn "
        f"workers per server, {args.threads} thread(s) each; 2 cores shared by wrk, nginx, gunicorn and PostgreSQL\n"
    )
    print("| server | page | req/s | p50 ms | p95 ms | p99 ms | errors | ratio to floor | SQL queries |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for server, page, result, floor_rps, page_queries in rows:
        print(
            f"| {server} | {page} | {result['rps']:,.0f} | {result['p50']:.1f} | {result['p95']:.1f} | "
            f"{result['p99']:.1f} | {result['errors']:.0f} | {result['rps'] / floor_rps:.0%} | {page_queries} |"
        )
    print(
        "\nfloor: /healthz on the same gunicorn server; for the nginx front, the same bytes as a static file ("
        + ", ".join(f"{name} {size:,} bytes" for name, size in page_bytes.items())
        + ")."
    )
    print("worker memory (RSS per gunicorn worker, after the run): "
          + ", ".join(f"{server} {mb:.0f} MB" for server, mb in memory.items()))  # fmt: skip

    if wagtail:
        print_wagtail_comparison(rows, rounds, wagtail, headline, page_bytes["article"])


def print_wagtail_comparison(rows, rounds, wagtail, headline, page_bytes):
    """The article page with the page cache off as a multiple of Wagtail's article page (issue 21's goal: 4)."""
    articles = {server: result["rps"] for server, page, result, _, _ in rows if page == "article"}
    story = "the same story" if wagtail["title"] == headline else f"another story ({wagtail['url']})"
    print(
        f"\nwagtail: Wagtail {wagtail['wagtail']} (bench/wagtail_site), {wagtail['articles']:,} articles, "
        f"{story}; the page {wagtail['bytes']:,} bytes there, {page_bytes:,} here\n"
        f"uncached article / Wagtail article in the table: {articles['gunicorn uncached'] / articles['wagtail']:.2f}"
    )
    if rounds:
        print("\n| round | this project's article, page cache off, req/s | Wagtail article req/s | ratio |")
        print("| ---: | ---: | ---: | ---: |")
        for number, (ours, theirs) in enumerate(rounds, 1):
            print(f"| {number} | {ours:,.0f} | {theirs:,.0f} | {ours / theirs:.2f} |")
        ratios = sorted(ours / theirs for ours, theirs in rounds)
        print(f"\nmedian ratio over {len(rounds)} alternating rounds: {statistics.median(ratios):.2f} "
              f"({ratios[0]:.2f}-{ratios[-1]:.2f}); goal 4.00")  # fmt: skip


if __name__ == "__main__":
    main()
