"""CPU time a page costs (its gunicorn worker plus its PostgreSQL backend), per request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench_x .venv/bin/python bench/cpu_per_request.py \
        /healthz / /some-section/ /some-section/some-story/

On a machine shared with other work, requests per second move with everyone else's load; the CPU seconds
a request consumes move far less. This starts one uncached gunicorn (2 sync workers, page cache off), and
for each URL reads the workers' and their database backends' CPU time (/proc) around a 6-second wrk run.
The ratio of a page's CPU to /healthz's is what its requests per second would be against /healthz's on an
otherwise idle machine (everything there is CPU-bound). With BENCH_REDIS_URL set, the app's cache is that
Redis (the content API counts each request there, as it would in production).
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from run import PYTHON, app_env  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--port", type=int, default=8792)
    args = parser.parse_args()
    database = psycopg2.extensions.parse_dsn(os.environ["DATABASE_URL"].replace("postgres://", "postgresql://"))
    env = app_env(PAGE_CACHE_SECONDS="0", CONN_MAX_AGE="600", SITE_URL=f"http://127.0.0.1:{args.port}")
    if "BENCH_REDIS_URL" in os.environ:  # the content API counts every request in the cache: Redis, as deployed
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    command = [str(ROOT / ".venv/bin/gunicorn"), "newsroom.wsgi", "--no-control-socket", "--workers", "2"]
    command += ["--bind", f"127.0.0.1:{args.port}", "--max-requests", "0", "--log-level", "warning"]
    master = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(3)
        found = subprocess.run(["pgrep", "-P", str(master.pid)], capture_output=True, text=True, check=True)
        workers = [int(pid) for pid in found.stdout.split()]
        for url in args.urls:
            address = f"http://127.0.0.1:{args.port}{url}"
            subprocess.run(["wrk", "-t2", "-c4", "-d2s", address], capture_output=True, check=True)  # warm up
            with psycopg2.connect(**database) as connection, connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                backends = [row[0] for row in cursor.fetchall()]
            app, db = cpu_seconds(workers), cpu_seconds(backends)
            output = subprocess.run(["wrk", "-t2", "-c4", "-d6s", address], capture_output=True, text=True).stdout
            app, db = cpu_seconds(workers) - app, cpu_seconds(backends) - db
            requests = int(re.search(r"(\d+) requests in", output).group(1))
            print(
                f"{url:50} {requests:6} requests  app {app / requests * 1000:6.2f} ms  "
                f"database {db / requests * 1000:6.2f} ms  total {(app + db) / requests * 1000:6.2f} ms a request"
            )
    finally:
        master.terminate()
        master.wait()


if __name__ == "__main__":
    main()
