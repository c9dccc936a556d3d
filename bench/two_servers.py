"""Two app servers, one PostgreSQL, one Redis: an edit made through one shows on the other within a second.

    .venv/bin/python bench/two_servers.py

Makes a fresh database (newsroom_two_servers on the local PostgreSQL), loads the demo newsroom, starts two
gunicorn servers on loopback sharing it and Redis (database 6), lets a reader warm the page cache of
server B, then an editor changes a headline through server A's admin form, and the script polls server B
until the new headline shows. Bounded: it gives up after 10 seconds.
"""

import argparse
import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_PASSWORD = "two-servers-bench-password"


class FormFields(HTMLParser):
    """The fields a browser would submit from the form with id `form_id`, as it stands."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in {"submit", "button", "file", "image"}:
            if attrs.get("type") not in {"checkbox", "radio"} or "checked" in attrs:
                self.fields.append((attrs["name"], attrs.get("value", "")))
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value", "")))
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append(tuple(self.textarea))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def start(port, env):
    command = [str(ROOT / ".venv/bin/gunicorn"), "newsroom.wsgi", "--config", "gunicorn.conf.py",
               "--bind", f"127.0.0.1:{port}", "--workers", "2", "--access-logfile", "/dev/null"]  # fmt: skip
    log = open(ROOT / "var" / f"two-servers-{port}.log", "w")  # noqa: SIM115 (kept open for the server's life)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn on port {port} did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ports", type=int, nargs=2, default=[8711, 8712])
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    args = parser.parse_args()
    database = "newsroom_two_servers"
    admin_db = "postgres://postgres@127.0.0.1:5432/postgres"
    subprocess.run(["psql", admin_db, "-qc", f"DROP DATABASE IF EXISTS {database}"], check=True)
    subprocess.run(["psql", admin_db, "-qc", f"CREATE DATABASE {database}"], check=True)
    subprocess.run(["redis-cli", "-u", args.redis_url, "FLUSHDB"], check=True, stdout=subprocess.DEVNULL)
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": args.redis_url,
        "DEBUG": "false",
        "SECRET_KEY": "two-servers-bench-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "SERVE_MEDIA": "false",
    }
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    manage(env, "load_demo", "--no-accounts")
    manage(env, "shell", "-c", "from django.contrib.auth.models import User; "
           f"User.objects.create_superuser('deskeditor', 'd@example.org', '{ADMIN_PASSWORD}')")  # fmt: skip
    servers = [start(port, env) for port in args.ports]
    a, b = (f"http://127.0.0.1:{port}" for port in args.ports)
    try:
        story_url = "/world/minsk-wants-to-create-peoples-militia-to-deter-russia/"
        for _ in range(2):  # the second read comes from server B's page cache
            with urllib.request.urlopen(b + story_url) as response:
                warm = response.headers.get("X-Page-Cache")
        print(f"reader on B: {story_url} served from the page cache: {warm == 'hit'}")

        editor = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        login = editor.open(a + "/admin/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
        data = {"csrfmiddlewaretoken": token, "username": "deskeditor", "password": ADMIN_PASSWORD}
        editor.open(urllib.request.Request(a + "/admin/login/?next=/admin/", urllib.parse.urlencode(data).encode(),
                                           headers={"Referer": a + "/admin/login/"}))  # fmt: skip
        changelist = editor.open(a + "/admin/articles/article/?q=militia").read().decode()
        change_path = re.search(r'href="(/admin/articles/article/\d+/change/)', changelist).group(1)
        form = FormFields("article_form")
        form.feed(editor.open(a + change_path).read().decode())
        headline = f"Minsk militia plan goes to parliament ({time.strftime('%H:%M:%S')})"
        fields = [(name, headline if name == "headline" else value) for name, value in form.fields]
        request = urllib.request.Request(a + change_path, urllib.parse.urlencode(fields).encode(),
                                         headers={"Referer": a + change_path})  # fmt: skip
        saved = editor.open(request)
        saved_at = time.monotonic()
        if "/change/" in saved.geturl() and headline not in editor.open(a + change_path).read().decode():
            raise SystemExit("the edit through server A was refused")

        seen_after = None
        while time.monotonic() - saved_at < 10:
            with urllib.request.urlopen(b + story_url) as response:
                if headline in response.read().decode():
                    seen_after = time.monotonic() - saved_at
                    break
            time.sleep(0.01)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    print(f"editor on A: saved the headline “{headline}”")
    if seen_after is None:
        raise SystemExit("reader on B: the new headline did not show within 10 s")
    print(f"reader on B: new headline shown {seen_after * 1000:.0f} ms after A answered the save")


if __name__ == "__main__":
    main()
