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
# Recycle workers now and then so a slow leak cannot grow for ever; jitter avoids all restarting at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# The heartbeat file lives in memory: on a container's overlay filesystem it can stall workers into timeouts.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Graceful restarts: `kill -HUP` starts new workers and lets the old ones finish (up to graceful_timeout).
accesslog = "-"
errorlog = "-"
access_log_format = 'remote=%(h)s method=%(m)s path="%(U)s" status=%(s)s bytes=%(B)s duration_ms=%(M)s'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn 27 shares one control socket per user; several servers on one machine must not fight over it.
control_socket_disable = True
