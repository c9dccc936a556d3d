"""gunicorn settings, read from the environment (docs/operations.md, "Configuration")."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# One thread per worker (gunicorn's sync workers), for a CPU-bound app behind a buffering proxy: in
# bench/run.py two threads served uncached pages with a p95 up to 70% higher (the GIL shares one core
# between two requests) and a one-query view at half the rate; cached pages gained nothing measurable.
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5  # threaded workers only; sync workers close each connection
# Recycle a worker after about 100,000 requests (10% jitter, so workers do not restart together; 0 never).
# Each restart boots Django for about a second: at 2,000 a worker restarted every second or two under
# cached-page load, and p99 went from 6-12 ms to 350-750 ms (bench/recycling.py, two runs). At 100,000 no
# worker restarted in those runs. It is safe because memory is flat: worker RSS rose from about 70 to
# 80-81 MB over 100,000-220,000 requests of a mix of 10,000 stories and listings, most of it in the first
# 10,000 while bounded caches filled, and stayed at 81 MB over the last 90,000. The recycling that remains
# caps a leak nobody has seen yet (1 KB a request would stop at 100 MB) at no measurable cost.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
# The heartbeat file lives in memory: on a container's overlay filesystem it can stall workers into timeouts.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Graceful restarts: `kill -HUP` starts new workers and lets the old ones finish (up to graceful_timeout).
accesslog = "-"
errorlog = "-"
access_log_format = 'remote=%(h)s method=%(m)s path="%(U)s" status=%(s)s bytes=%(B)s duration_ms=%(M)s'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 27 shares one control socket per user; several servers on one machine must not fight over it.
control_socket_disable = True
