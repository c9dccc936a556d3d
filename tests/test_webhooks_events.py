"""Who is told what when a story changes: the deliveries written with each change (webhooks/events.py).

Attempts here run in the test's process (`sending.attempt`) against a real receiver on loopback;
tests/test_webhooks_worker.py runs the same through the worker process and the broker.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from webhooks import sending
from webhooks.models import Delivery, Endpoint, Syndication
from webhooks.signing import is_signed_by

from .factories import ArticleFactory, CorrectionFactory, DraftFactory, EndpointFactory, SectionFactory
from .webhook_receiver import Receiver, serve

pytestmark = pytest.mark.django_db

Event, Status = Delivery.Event, Delivery.Status
PORT = 8112


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    receiver = Receiver(PORT)
    server = serve(receiver)
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def partner(receiver):
    return EndpointFactory(url=receiver.url)


def told(endpoint=None):
    deliveries = Delivery.objects.order_by("id")
    if endpoint is not None:
        deliveries = deliveries.filter(endpoint=endpoint)
    return list(deliveries.values_list("event", "status"))


def send_due():
    """Attempt every delivery that is due, as the worker would."""
    for delivery_id in Delivery.objects.filter(next_attempt_at__lte=timezone.now()).values_list("pk", flat=True):
        sending.attempt(delivery_id)


def test_publishing_tells_the_endpoints_taking_the_section_and_those_taking_every_section():
    news, sport = SectionFactory(name="News"), SectionFactory(name="Sport")
    everything, news_desk, sport_desk = EndpointFactory(), EndpointFactory(), EndpointFactory()
    news_desk.sections.add(news)
    sport_desk.sections.add(sport)
    paused = EndpointFactory(active=False)

    ArticleFactory(section=news)

    assert told(everything) == [(Event.PUBLISHED, Status.PENDING)]
    assert told(news_desk) == [(Event.PUBLISHED, Status.PENDING)]
    assert told(sport_desk) == told(paused) == []


def test_drafts_and_stories_in_review_are_never_told():
    EndpointFactory()
    draft = DraftFactory()
    draft.status = Article.Status.REVIEW
    draft.save()

    assert told() == []


def test_a_scheduled_story_waits_for_its_time_even_when_its_delivery_is_forced_due(partner, receiver):
    go_live = timezone.now() + timedelta(hours=2)
    story = ArticleFactory(published_at=go_live)
    delivery = Delivery.objects.get()
    assert (delivery.event, delivery.next_attempt_at) == (Event.PUBLISHED, go_live)

    Delivery.objects.update(next_attempt_at=timezone.now())
    sending.attempt(delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (Status.PENDING, 0, go_live)
    assert receiver.received == []
    story.published_at = go_live + timedelta(hours=1)  # rescheduled: the delivery follows
    story.save()
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == story.published_at and Delivery.objects.count() == 1


def test_a_post_is_signed_with_the_endpoints_secret_and_carries_the_story_in_ninjs(partner, receiver):
    story = ArticleFactory(headline="Ferry fares frozen for a year")
    send_due()

    (post,) = receiver.wait_for(1)
    delivery = Delivery.objects.get()
    assert post.path == "/hook"
    assert is_signed_by(partner.secret, post.body, post.headers["X-Newsroom-Signature"])
    assert post.headers["X-Newsroom-Signature"].startswith("sha256=")
    assert not is_signed_by("another secret entirely", post.body, post.headers["X-Newsroom-Signature"])
    assert post.headers["X-Newsroom-Event"] == "story.published"
    assert post.headers["X-Newsroom-Delivery"] == str(delivery.uuid) == post.json["delivery"]
    assert int(post.headers["X-Newsroom-Timestamp"]) == post.json["timestamp"]
    assert abs(post.json["timestamp"] - timezone.now().timestamp()) < 60
    assert post.json["event"] == "story.published"
    assert post.json["story"]["pubstatus"] == "usable"
    assert post.json["story"]["headlines"][0]["value"] == "Ferry fares frozen for a year"
    assert post.json["story"]["uri"].endswith(f"/api/v1/stories/{story.pk}/")
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (Status.DELIVERED, 1, 200)


def test_a_substantive_update_is_told_and_a_typo_fix_is_not(partner, receiver):
    story = ArticleFactory()
    send_due()
    story.standfirst = "A short summary, its typo fixed."
    story.save()
    assert told() == [(Event.PUBLISHED, Status.DELIVERED)]

    story.updated_at = timezone.now()
    story.body = "<p>The council voted again tonight.</p>"
    story.save()
    send_due()

    assert told() == [(Event.PUBLISHED, Status.DELIVERED), (Event.UPDATED, Status.DELIVERED)]
    assert "voted again" in receiver.wait_for(2)[1].json["story"]["bodies"][0]["value"]


def test_a_correction_is_told_with_the_correction_in_the_story(partner, receiver):
    story = ArticleFactory()
    send_due()

    CorrectionFactory(article=story, note="The bridge opened in 1998, not 1989.")
    send_due()

    assert told() == [(Event.PUBLISHED, Status.DELIVERED), (Event.CORRECTED, Status.DELIVERED)]
    notes = [d["value"] for d in receiver.wait_for(2)[1].json["story"]["descriptions"] if d["role"] == "correction"]
    assert notes == ["The bridge opened in 1998, not 1989."]
    story.refresh_from_db()
    story.save()  # the correction's own update time is no new update
    assert len(told()) == 2


def test_changes_while_a_notice_waits_add_no_second_one(partner):
    story = ArticleFactory()
    story.updated_at = timezone.now()
    story.save()
    CorrectionFactory(article=story)

    assert told() == [(Event.PUBLISHED, Status.PENDING)]


def test_a_withdrawal_is_told_once_as_canceled_to_endpoints_that_were_sent_the_story(receiver):
    told_before, never_sent = EndpointFactory(url=receiver.url), EndpointFactory(url=receiver.url, active=False)
    story = ArticleFactory()
    send_due()
    Endpoint.objects.filter(pk=never_sent.pk).update(active=True)

    story.status = Article.Status.WITHDRAWN
    story.save()
    story.save()
    send_due()

    assert told(told_before) == [(Event.PUBLISHED, Status.DELIVERED), (Event.WITHDRAWN, Status.DELIVERED)]
    assert told(never_sent) == []
    notice = receiver.wait_for(2)[1]
    assert notice.headers["X-Newsroom-Event"] == "story.withdrawn"
    assert notice.json["story"]["pubstatus"] == "canceled"
    assert "headlines" not in notice.json["story"] and "bodies" not in notice.json["story"]


def test_a_story_withdrawn_before_its_notice_went_is_never_sent(partner, receiver):
    story = ArticleFactory()
    story.status = Article.Status.DRAFT
    story.body = "<p>Unpublished rewrite nobody may see.</p>"
    story.save()
    send_due()

    assert told() == [(Event.PUBLISHED, Status.SUPERSEDED)]
    assert receiver.received == []


def test_a_story_unpublished_while_its_first_post_waits_for_a_retry_is_withdrawn_and_the_retry_dropped(receiver):
    receiver.answers = [500]
    EndpointFactory(url=receiver.url)
    story = ArticleFactory()
    send_due()

    story.status = Article.Status.DRAFT
    story.save()
    Delivery.objects.update(next_attempt_at=timezone.now())
    receiver.answers = [200]
    send_due()

    assert told() == [(Event.PUBLISHED, Status.SUPERSEDED), (Event.WITHDRAWN, Status.DELIVERED)]
    assert [post.json["story"]["pubstatus"] for post in receiver.wait_for(2)] == ["usable", "canceled"]


def test_the_sweep_tells_endpoints_of_a_story_that_expired(partner, receiver):
    story = ArticleFactory(expires_at=timezone.now() + timedelta(hours=1))
    send_due()
    Article.objects.filter(pk=story.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    Syndication.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    due = sending.sweep()
    sending.sweep()
    send_due()

    assert told() == [(Event.PUBLISHED, Status.DELIVERED), (Event.EXPIRED, Status.DELIVERED)]
    assert due == [Delivery.objects.get(event=Event.EXPIRED).pk]
    assert receiver.wait_for(2)[1].json["story"]["pubstatus"] == "canceled"


def test_an_expiry_moved_later_is_followed(partner):
    story = ArticleFactory(expires_at=timezone.now() + timedelta(hours=1))
    story.expires_at = timezone.now() + timedelta(days=3)
    story.save()

    assert Syndication.objects.get().expires_at == story.expires_at


def test_deleting_a_story_that_was_sent_tells_the_endpoint_with_a_notice_kept_on_the_delivery(partner, receiver):
    story = ArticleFactory()
    send_due()
    uri = receiver.wait_for(1)[0].json["story"]["uri"]

    story.delete()
    send_due()

    notice = receiver.wait_for(2)[1]
    assert notice.json["event"] == "story.withdrawn"
    assert notice.json["story"]["uri"] == uri
    assert notice.json["story"]["pubstatus"] == "canceled"
    assert told() == [(Event.PUBLISHED, Status.DELIVERED), (Event.WITHDRAWN, Status.DELIVERED)]
    assert Delivery.objects.filter(article=None).count() == 2


def test_an_endpoint_that_holds_a_story_hears_of_it_after_it_moves_section(receiver):
    news, sport = SectionFactory(), SectionFactory()
    endpoint = EndpointFactory(url=receiver.url)
    endpoint.sections.add(news)
    story = ArticleFactory(section=news)
    send_due()

    story.section = sport
    story.status = Article.Status.WITHDRAWN
    story.save()

    assert told(endpoint) == [(Event.PUBLISHED, Status.DELIVERED), (Event.WITHDRAWN, Status.PENDING)]


def test_a_republished_story_is_published_again_to_an_endpoint_told_it_was_withdrawn(partner):
    story = ArticleFactory()
    send_due()
    story.status = Article.Status.WITHDRAWN
    story.save()
    send_due()

    story.status = Article.Status.PUBLISHED
    story.save()

    assert [event for event, _ in told()] == [Event.PUBLISHED, Event.WITHDRAWN, Event.PUBLISHED]


def test_a_story_republished_and_withdrawn_again_before_its_new_notice_went_is_withdrawn_once(partner):
    story = ArticleFactory()
    send_due()
    story.status = Article.Status.WITHDRAWN
    story.save()
    send_due()

    story.status = Article.Status.PUBLISHED
    story.save()
    story.status = Article.Status.WITHDRAWN
    story.save()
    send_due()

    assert told() == [
        (Event.PUBLISHED, Status.DELIVERED),
        (Event.WITHDRAWN, Status.DELIVERED),
        (Event.PUBLISHED, Status.SUPERSEDED),
    ]
