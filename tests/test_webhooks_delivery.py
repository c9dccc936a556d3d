"""One attempt and what follows it: retries with backoff, giving up after a day, partners that fail in each
way, refused addresses, and the save's side of the queue (the broker there, down, or not configured)."""

import json
import time
from datetime import timedelta

import pytest
import redis
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from api.ninjs import story as ninjs_story
from articles.models import Article
from webhooks import sending
from webhooks.models import Delivery
from webhooks.queue import enqueue
from webhooks.signing import is_signed_by

from .factories import ArticleFactory, EndpointFactory, ReadyDraftFactory, SectionFactory, staff_user
from .test_hostile_text import BOUNDED, typed, unique
from .test_webhooks_events import receiver  # noqa: F401  (a fixture)
from .test_workflow import form_data

pytestmark = pytest.mark.django_db

Status = Delivery.Status
NOBODY_LISTENS = 8119  # a port on loopback with no server: connections are refused at once


@pytest.fixture
def delivery(receiver):  # noqa: F811
    EndpointFactory(url=receiver.url)
    ArticleFactory()
    return Delivery.objects.get()


def attempt(delivery):
    sending.attempt(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def test_a_500_is_tried_again_a_minute_later_and_the_second_try_delivers(delivery, receiver):  # noqa: F811
    receiver.answers = [500, 200]

    attempt(delivery)

    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (Status.PENDING, 1, 500)
    assert delivery.last_error == "HTTP 500 Internal Server Error: partner says no"
    waited = (delivery.next_attempt_at - delivery.last_attempt_at).total_seconds()
    assert 60 <= waited < 61
    assert attempt(delivery).attempts == 1  # not due yet: nothing is posted
    Delivery.objects.update(next_attempt_at=timezone.now())
    attempt(delivery)
    assert (delivery.status, delivery.attempts, delivery.last_status_code, delivery.last_error) == (
        Status.DELIVERED,
        2,
        200,
        "",
    )
    assert len(receiver.wait_for(2)) == 2
    assert receiver.received[0].json["delivery"] == receiver.received[1].json["delivery"]


def test_retries_double_from_a_minute_to_an_hour_and_stop_after_a_day():
    delays = [Delivery(attempts=attempts).retry_delay() for attempts in range(1, 9)]
    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600]
    elapsed, attempts = 0, 1
    while elapsed + Delivery(attempts=attempts).retry_delay() <= 24 * 60 * 60:
        elapsed += Delivery(attempts=attempts).retry_delay()
        attempts += 1
    assert attempts == 29  # documented in docs/webhooks.md


@given(attempts=st.integers(min_value=0, max_value=10**9))
def test_the_delay_is_never_over_the_cap_whatever_the_count(attempts):
    assert 60 <= Delivery(attempts=attempts).retry_delay() <= 3600


def test_a_failure_past_the_day_gives_up(delivery, receiver):  # noqa: F811
    receiver.answers = [503]
    Delivery.objects.update(attempts=28, give_up_at=timezone.now() + timedelta(minutes=30))

    attempt(delivery)

    assert (delivery.status, delivery.attempts) == (Status.FAILED, 29)
    assert delivery.last_error.startswith("HTTP 503")


@pytest.mark.parametrize(
    "answer, delay, error",
    [
        (302, 0, "HTTP 302: redirects are not followed"),
        (200, 2, "No answer within 0.5 s."),
    ],
)
def test_a_redirect_or_a_partner_too_slow_is_a_failure(settings, delivery, receiver, answer, delay, error):  # noqa: F811
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    receiver.answers, receiver.delay = [answer], delay

    attempt(delivery)

    assert delivery.status == Status.PENDING and delivery.last_error.startswith(error)


def test_a_dead_partner_is_a_failure_with_its_reason(settings, delivery):
    Delivery.objects.update(endpoint=EndpointFactory(url=f"http://127.0.0.1:{NOBODY_LISTENS}/hook"))

    attempt(delivery)

    assert (delivery.status, delivery.last_status_code, delivery.last_error) == (
        Status.PENDING,
        None,
        "Connection refused.",
    )


def test_the_worker_refuses_an_endpoint_on_a_private_address_when_they_are_not_allowed(settings, delivery, receiver):  # noqa: F811
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False

    attempt(delivery)

    assert delivery.last_error == "127.0.0.1 resolves to 127.0.0.1, a private or reserved address: not posted"
    assert receiver.received == []


def test_a_paused_endpoints_deliveries_wait_and_go_when_it_is_switched_on(delivery, receiver):  # noqa: F811
    delivery.endpoint.active = False
    delivery.endpoint.save()
    assert sending.sweep() == []
    assert attempt(delivery).attempts == 0

    delivery.endpoint.active = True
    delivery.endpoint.save()

    assert sending.sweep() == [delivery.pk]
    assert attempt(delivery).status == Status.DELIVERED


@BOUNDED
@given(headline=typed, body=typed, section=typed)
def test_a_story_with_any_text_makes_a_signed_body_that_is_valid_utf8_json(headline, body, section):
    endpoint = EndpointFactory()
    section = SectionFactory(name=f"{section[:70]} {next(unique)}")
    story = ArticleFactory(headline=f"{headline[:150]} x", body=f"<p>{body}</p>", section=section)
    delivery = Delivery.objects.get(endpoint=endpoint, article=story)

    sent, headers = sending.signed_request(delivery, ninjs_story(Article.objects.for_detail().get(pk=story.pk)))

    assert is_signed_by(endpoint.secret, sent, headers["X-Newsroom-Signature"])
    document = json.loads(sent.decode("utf-8"))
    assert document["story"]["headlines"][0]["value"] == Article.objects.get(pk=story.pk).headline
    assert document["story"]["subjects"][0]["name"] == story.section.name


# The save's side: a story saved by an editor in the admin, with the commit's callbacks run. ----------------


@pytest.fixture
def editor_saves(commit):
    section = SectionFactory()
    client = Client()
    client.force_login(staff_user("Editor"))
    story = ReadyDraftFactory(section=section)

    def save():
        started = time.monotonic()
        response = commit(lambda: client.post(change_url(story), form_data(story, status="published")))
        assert response.status_code == 302
        return time.monotonic() - started

    return save


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


@pytest.fixture
def test_broker(settings, broker_url):
    settings.CELERY_BROKER_URL = broker_url
    broker = redis.Redis.from_url(broker_url)
    broker.flushdb()
    yield broker
    broker.flushdb()


def test_with_the_broker_down_a_save_succeeds_and_the_sweep_finds_its_delivery(settings, editor_saves, caplog):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{NOBODY_LISTENS}/12"
    EndpointFactory()

    editor_saves()

    assert "webhooks-broker-down deliveries=1" in caplog.text
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.queued_at) == (Status.PENDING, None)
    assert sending.sweep() == [delivery.pk]


def test_a_broker_that_refuses_connections_costs_the_save_one_try_not_a_retry_loop(settings):
    """kombu would try again every 2 s until its connection timeout; the save's hand-over tries once."""
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{NOBODY_LISTENS}/12"
    EndpointFactory()
    ArticleFactory()
    delivery = Delivery.objects.get()

    started = time.monotonic()
    enqueue([delivery.pk])

    assert time.monotonic() - started < 0.5
    delivery.refresh_from_db()
    assert delivery.queued_at is None


@pytest.mark.redis
def test_with_the_broker_up_the_delivery_is_handed_to_it_after_the_commit(editor_saves, test_broker):
    EndpointFactory()

    editor_saves()

    assert test_broker.llen("celery") == 1
    assert Delivery.objects.get().queued_at is not None
    assert sending.sweep() == []  # handed over a moment ago: the sweep leaves it to the worker


def test_without_a_broker_deliveries_wait_in_the_database(settings, editor_saves):
    settings.CELERY_BROKER_URL = ""
    EndpointFactory()

    editor_saves()

    assert Delivery.objects.get().queued_at is None


def test_a_save_with_no_endpoint_touches_no_broker(settings, editor_saves, caplog):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{NOBODY_LISTENS}/12"

    editor_saves()

    assert not Delivery.objects.exists()
    assert "webhooks-broker-down" not in caplog.text
