"""Worker recycling: cached pages with each GUNICORN_MAX_REQUESTS value in one run, then worker memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench .venv/bin/python bench/recycling.py

Starts one cached gunicorn server (gunicorn.conf.py, production settings, 2 sync workers, the page cache
in Redis) per value of --values, its jitter as gunicorn.conf.py derives it, and drives /healthz and the
newest article on each with wrk, the servers taking turns page by page; each row counts the workers
booted during it ("Booting worker" in gunicorn's log). Then, on the server that never recycles, drives
a mix of pages (every story, sections and their later pages, tags, authors, searches, feeds: most are
rendered once, then served from the cache) and prints each worker's RSS as the requests add up, so a
leak would show as growth.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import PYTHON, ROOT, WRK_SCRIPT, app_env, ensure_tools, start_gunicorn, wrk  # noqa: E402


def mixed_paths():
    """The reader's side of the archive: every story and many listings, searches and feeds."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.db import connection

    from articles.models import Article, Author, Section, Tag

    paths = ["/", "/healthz", "/feeds/rss/", "/feeds/atom/", "/corrections/", "/archive/"]
    for section in Section.objects.all():
        url = section.get_absolute_url()
        paths += [url] + [f"{url}?page={page}" for page in range(2, 11)]
    paths += [tag.get_absolute_url() for tag in Tag.objects.all()[:300]]
    paths += [author.get_absolute_url() for author in Author.objects.all()[:300]]
    words = ["minsk", "government", "police", "militia", "kyiv", "warsaw", "budget", "election", "court", "storm"]
    paths += [f"/search/?q={first}+{second}" for first in words for second in words]
    stories = [article.get_absolute_url() for article in Article.objects.published().select_related("section")]
    connection.close()
    # Stories interleaved with the rest, so every stretch of the run mixes new renders and cache hits.
    step = max(1, len(stories) // len(paths))
    return [page for index, path in enumerate(paths) for page in [path, *stories[index * step : (index + 1) * step]]]


def mixed_script(workdir, paths):
    script = workdir / "mixed.lua"
    listing = ",\n".join(f'  "{path}"' for path in paths)
    script.write_text(
        f"paths = {{\n{listing}\n}}\n"
        "counter = 0\n"
        "request = function()\n"
        "  counter = counter + 1\n"
        "  return wrk.format(nil, paths[(counter % #paths) + 1])\n"
        "end\n"
        f'dofile("{WRK_SCRIPT}")\n'
        "local report = done\n"
        "done = function(summary, latency, requests)\n"
        "  report(summary, latency, requests)\n"
        '  io.write(string.format("requests=%d\\n", summary.requests))\n'
        "end\n"
    )
    return script


def workers_rss_mb(master):
    """{pid: RSS in MB} of the master's workers."""
    children = subprocess.run(["pgrep", "-P", str(master.pid)], capture_output=True, text=True).stdout.split()
    return {
        int(pid): int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text()).group(1)) / 1024
        for pid in children
    }


def boots(log):
    return log.read_text().count("Booting worker")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--values", type=int, nargs="+", default=[2000, 0], help="GUNICORN_MAX_REQUESTS values")
    parser.add_argument("--seconds", type=int, default=50, help="wrk duration per row (default 50)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--memory-requests", type=int, default=200_000, help="mixed requests for the memory part")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"))
    parser.add_argument("--port", type=int, default=8710, help="first of the loopback ports, one per value")
    args = parser.parse_args()
    if 0 not in args.values:
        raise SystemExit("--values needs 0: the memory part runs on the server that never recycles.")
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("Set DATABASE_URL to a migrated, filled PostgreSQL database (bench/README.md).")
    ensure_tools()
    subprocess.run(["redis-cli", "-u", args.redis_url, "FLUSHDB"], check=True, stdout=subprocess.DEVNULL)
    os.environ.update(app_env(REDIS_URL=args.redis_url))
    paths = mixed_paths()
    article = next(path for path in paths if path.count("/") == 3 and "?" not in path)

    workdir = Path(tempfile.mkdtemp(prefix="newsroom-recycling-"))
    shared = {"REDIS_URL": args.redis_url, "STATIC_ROOT": str(workdir / "static")}
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True, env=app_env(**shared)
    )
    servers, rows, memory = {}, [], []
    try:
        for offset, value in enumerate(args.values):
            log = workdir / f"gunicorn-{value}.log"
            servers[value] = (
                start_gunicorn(
                    args.port + offset,
                    2,
                    1,
                    app_env(GUNICORN_MAX_REQUESTS=str(value), **shared),
                    max_requests=None,
                    log=log.open("w"),
                ),
                log,
                args.port + offset,
            )
        for page, path in [("/healthz", "/healthz"), ("article", article)]:
            for value, (_, log, port) in servers.items():
                before = boots(log)
                result = wrk(f"http://127.0.0.1:{port}{path}", args.seconds, args.connections)
                rows.append((value, page, result, boots(log) - before))

        master, log, port = servers[0]
        script = mixed_script(workdir, paths)
        memory.append((0, workers_rss_mb(master)))
        done = 0
        while done < args.memory_requests:
            command = ["wrk", "-t2", f"-c{args.connections}", "-d20s", "-s", str(script), f"http://127.0.0.1:{port}"]
            output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            report = dict(re.findall(r"^(\w+)=(\S+)$", output, re.M))
            done += int(report["requests"])
            memory.append((done, workers_rss_mb(master), float(report["errors"])))
        restarts = boots(log) - 2
    finally:
        for process, _, _ in servers.values():
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)

    print(f"\nwrk -t2 -c{args.connections} -d{args.seconds}s per row; 2 sync workers per server, page cache on\n")
    print("| GUNICORN_MAX_REQUESTS | page | req/s | p50 ms | p95 ms | p99 ms | errors | workers booted |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for value, page, result, booted in rows:
        print(
            f"| {value:,} | {page} | {result['rps']:,.0f} | {result['p50']:.1f} | {result['p95']:.1f} | "
            f"{result['p99']:.1f} | {result['errors']:.0f} | {booted} |"
        )
    print(
        f"\nWorker RSS (MB) with recycling off, {len(paths):,} distinct pages in turn; workers restarted: {restarts}\n"
    )
    print("| requests of the mix | " + " | ".join(f"worker {pid}" for pid in memory[0][1]) + " | errors |")
    print("| ---: |" + " ---: |" * (len(memory[0][1]) + 1))
    for done, rss, *errors in memory:
        print(
            f"| {done:,} | "
            + " | ".join(f"{rss.get(pid, 0):.1f}" for pid in memory[0][1])
            + f" | {errors[0] if errors else 0:.0f} |"
        )
    print(f"\nlogs kept in {workdir}")


if __name__ == "__main__":
    started = time.time()
    main()
    print(f"took {time.time() - started:.0f} s")
