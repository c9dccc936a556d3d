"""Publish webhooks end to end: an editor's save in the admin, the broker (Redis, logical database 12), the
Celery worker started here as its own process against the test database, and partners on loopback.

Nothing is mocked: the worker reads the rows these tests commit, the receivers get real signed POSTs.
"""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from webhooks.models import Delivery
from webhooks.signing import is_signed_by

from .factories import EndpointFactory, ReadyDraftFactory, staff_user
from .test_workflow import form_data
from .webhook_receiver import Receiver, serve

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[1]
DEAD_BROKER = "redis://127.0.0.1:8119/12"  # nothing listens there
# Short enough for a test: retries after 1 s, the sweep every second.
WORKER_SETTINGS = {
    "WEBHOOK_RETRY_FIRST_SECONDS": "1",
    "WEBHOOK_RETRY_MAX_SECONDS": "2",
    "WEBHOOK_GIVE_UP_SECONDS": "120",
    "WEBHOOK_SWEEP_SECONDS": "1",
    "WEBHOOK_TIMEOUT_SECONDS": "10",
    "WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "true",
}


def database_url():
    """The test database pytest-django made, as the worker process reaches it."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, tmp_path_factory, broker_url):
    """`celery worker --beat`, as `make worker` runs it, for this module's tests."""
    redis.Redis.from_url(broker_url).flushdb()
    folder = tmp_path_factory.mktemp("worker")
    log = folder / "worker.log"
    environment = {
        **os.environ,
        **WORKER_SETTINGS,
        "DATABASE_URL": database_url(),
        "CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": broker_url,
        "SECRET_KEY": "tests-only",
    }
    command = [sys.executable, "-m", "celery", "-A", "newsroom.celery", "worker", "--beat"]
    command += ["--schedule", str(folder / "beat"), "--pool", "solo", "--loglevel", "INFO"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--hostname", "tests@%h"]
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while "ready." not in log.read_text():
        assert process.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
        time.sleep(0.2)
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    redis.Redis.from_url(broker_url).flushdb()


@pytest.fixture
def partner(settings, worker, broker_url):
    """A partner's endpoint on loopback, registered for every section; the app hands deliveries to the broker."""
    settings.CELERY_BROKER_URL = broker_url
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    receiver = Receiver(8111)
    server = serve(receiver)
    receiver.endpoint = EndpointFactory(url=receiver.url)
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def editor():
    client = Client()
    client.force_login(staff_user("Editor"))
    return client


def save(client, story, **changes):
    """The editor saves the story's change form; returns the seconds the save took."""
    started = time.monotonic()
    response = client.post(reverse("admin:articles_article_change", args=[story.pk]), form_data(story, **changes))
    took = time.monotonic() - started
    assert response.status_code == 302, response.content.decode()[-2000:]
    story.refresh_from_db()
    return took


def wait_for_status(status, count=1, timeout=30):
    deadline = time.monotonic() + timeout
    while Delivery.objects.filter(status=status).count() < count:
        assert time.monotonic() < deadline, list(Delivery.objects.values("event", "status", "attempts", "last_error"))
        time.sleep(0.1)


def test_partner_gets_a_signed_post_on_publish_then_a_withdrawal_notice(editor, partner):
    story = ReadyDraftFactory(headline="Night buses approved")

    save(editor, story, status=Article.Status.PUBLISHED)
    (published,) = partner.wait_for(1)
    save(editor, story, status=Article.Status.WITHDRAWN)
    withdrawn = partner.wait_for(2)[1]

    secret = partner.endpoint.secret
    for post, event, pubstatus in [(published, "published", "usable"), (withdrawn, "withdrawn", "canceled")]:
        assert is_signed_by(secret, post.body, post.headers["X-Newsroom-Signature"])
        assert post.headers["X-Newsroom-Event"] == post.json["event"] == f"story.{event}"
        assert post.json["story"]["pubstatus"] == pubstatus
    assert published.json["story"]["headlines"] == [{"role": "main", "value": "Night buses approved"}]
    assert published.json["story"]["uri"] == withdrawn.json["story"]["uri"]
    wait_for_status(Delivery.Status.DELIVERED, 2)


def test_a_partner_answering_500_gets_the_post_again_after_the_backoff(editor, partner):
    partner.answers = [500, 200]
    story = ReadyDraftFactory()

    save(editor, story, status=Article.Status.PUBLISHED)
    first, second = partner.wait_for(2)

    assert first.json["delivery"] == second.json["delivery"]
    assert second.at - first.at >= 1  # WEBHOOK_RETRY_FIRST_SECONDS
    assert is_signed_by(partner.endpoint.secret, second.body, second.headers["X-Newsroom-Signature"])
    wait_for_status(Delivery.Status.DELIVERED)
    delivery = Delivery.objects.get()
    assert (delivery.attempts, delivery.last_status_code, delivery.last_error) == (2, 200, "")


def test_an_editors_save_returns_long_before_a_slow_partner_answers(editor, partner):
    partner.delay = 5
    story = ReadyDraftFactory()

    took = save(editor, story, status=Article.Status.PUBLISHED)
    asked = partner.wait_for(1)[0].at

    assert took < partner.delay / 2  # 0.9 s measured on a loaded 2-core machine; the POST waits 5 s
    assert asked < time.monotonic() < asked + partner.delay  # the worker is still waiting for its answer
    wait_for_status(Delivery.Status.DELIVERED, timeout=20)


def test_with_the_broker_down_the_save_succeeds_and_the_sweep_sends_the_delivery_later(editor, partner, settings):
    settings.CELERY_BROKER_URL = DEAD_BROKER
    story = ReadyDraftFactory()

    save(editor, story, status=Article.Status.PUBLISHED)

    assert Delivery.objects.get().queued_at is None
    assert partner.wait_for(1)[0].json["event"] == "story.published"
    wait_for_status(Delivery.Status.DELIVERED)


def test_a_scheduled_story_is_sent_when_it_goes_live_and_not_before(editor, partner):
    go_live = timezone.localtime(timezone.now() + timedelta(seconds=6))
    story = ReadyDraftFactory()

    save(
        editor,
        story,
        status=Article.Status.PUBLISHED,
        published_at_0=go_live.strftime("%Y-%m-%d"),
        published_at_1=go_live.strftime("%H:%M:%S"),
    )
    (post,) = partner.wait_for(1, timeout=30)

    assert post.wall >= story.published_at.timestamp()
    assert post.wall < story.published_at.timestamp() + 10  # the sweep runs every second here
    assert post.json["story"]["pubstatus"] == "usable"
