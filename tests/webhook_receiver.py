"""A partner's webhook endpoint for tests: a real HTTP server on loopback, in a thread, that records each POST.

`answers` is the status of each POST in turn (the last one repeats); `delay` seconds pass before each answer.
"""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    at: float  # time.monotonic(), to measure intervals
    wall: float  # time.time(), to compare with the site's times

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class Receiver:
    port: int
    answers: list = field(default_factory=lambda: [200])
    delay: float = 0
    received: list = field(default_factory=list)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/hook"

    def wait_for(self, count, timeout=30):
        """The first `count` POSTs, waiting up to `timeout` seconds for them."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.received) >= count, f"{len(self.received)} POSTs in {timeout} s, expected {count}"
        return self.received[:count]


def serve(receiver):
    """Start serving `receiver` in a thread; returns the server (call `shutdown()` and `server_close()`)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            position = len(receiver.received)
            receiver.received.append(Received(self.path, dict(self.headers), body, time.monotonic(), time.time()))
            time.sleep(receiver.delay)
            status = receiver.answers[min(position, len(receiver.answers) - 1)]
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if status < 300 else b"partner says no")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", receiver.port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
