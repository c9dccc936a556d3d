"""A real streaming replica that applies every commit three seconds late, behind the real app servers.

bench/replica_run.py starts a private primary, a replica made from it with `pg_basebackup -R`, Redis and
gunicorn, has readers ask for pages while an editor publishes a story through the admin, and reports what
every reader got and what each database ran.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def replica_run():
    process = subprocess.Popen(
        [sys.executable, "bench/replica_run.py", "--json"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        out, err = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        process.terminate()  # it stops and removes its clusters on SIGTERM
        out, err = process.communicate(timeout=60)
    assert out, err.decode()[-3000:]
    return json.loads(out.decode().splitlines()[-1])["figures"]


@pytest.mark.replica
def test_no_reader_gets_a_page_without_the_story_once_its_publication_returned(replica_run):
    assert replica_run["replica_lacked_story_s"] >= 1  # the replica really was behind meanwhile
    assert replica_run["after_publish_returned"] > 100
    assert replica_run["stale_after_publish_returned"] == 0
    assert replica_run["hits_after_publish_returned"] > 0


@pytest.mark.replica
def test_readers_read_the_replica_and_the_primary_only_while_the_replica_is_behind(replica_run):
    on_replica = replica_run["replica_statements"]
    assert replica_run["pages_made_on_replica"] > 0 and on_replica["before"]["page_queries"] > 0
    assert replica_run["pages_made_on_primary_because_replica_behind"]["after"] > 0
    assert on_replica["lag"]["position_checks"] > 0
    assert on_replica["after"]["page_queries"] > 0  # pages never asked for before, made and stored
    assert replica_run["fresh_pages_after_catch_up"] == [["miss", "hit"]] * 3
