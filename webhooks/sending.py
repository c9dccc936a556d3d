"""The worker's side: one attempt at a delivery, and the sweep that finds what is due.

An attempt first claims its row (an UPDATE that moves `next_attempt_at` past the POST's timeout), so a
delivery handed to the broker twice, or by a sweep as well as by the save, is posted once. A worker that
dies mid-POST leaves the row due again when the claim runs out.
"""

import json
import logging
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from api.ninjs import story as ninjs_story
from articles.models import Article

from .events import tell_partners
from .models import Delivery, Syndication
from .posting import Answer, post
from .signing import SIGNATURE_HEADER, signature

USER_AGENT = "Newsroom-Webhooks/1.0"
# A due delivery handed to the broker this long ago and still waiting is handed again (the message was lost,
# e.g. with a broker restarted); a duplicate is harmless, its claim fails.
REQUEUE_AFTER = timedelta(minutes=5)
SWEEP_BATCH = 500
Status = Delivery.Status
logger = logging.getLogger(__name__)


def attempt(delivery_id):
    """Post the delivery if it is still due; record the answer, and when to try again after a failure."""
    now = timezone.now()
    claim_until = now + timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS + 30)
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=Status.PENDING, next_attempt_at__lte=now, endpoint__active=True
    ).update(next_attempt_at=claim_until, queued_at=None)
    if not claimed:
        return None
    delivery = Delivery.objects.select_related("endpoint").get(pk=delivery_id)
    story, wait_until = story_to_send(delivery)
    if wait_until is not None:
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=wait_until)
        return None
    if story is None:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Status.SUPERSEDED, last_error="The story changed before this was sent: nothing to tell."
        )
        return None
    delivery.attempts += 1
    delivery.give_up_at = delivery.give_up_at or now + timedelta(seconds=settings.WEBHOOK_GIVE_UP_SECONDS)
    # Counted before posting, and only if still waiting: a withdrawal that dropped this delivery meanwhile wins;
    # one that comes after sees it attempted and sends its notice (webhooks/events.py, take_down).
    started = Delivery.objects.filter(pk=delivery.pk, status=Status.PENDING).update(
        attempts=delivery.attempts, last_attempt_at=now, give_up_at=delivery.give_up_at
    )
    if not started:
        return None
    body, headers = signed_request(delivery, story)
    answer = post(delivery.endpoint.url, body, headers)
    record(delivery, answer)
    return answer


def story_to_send(delivery):
    """(the story's ninjs, None) to send now; (None, a time) to wait for a scheduled story; (None, None): drop it."""
    if delivery.article_id is None:
        return delivery.payload, None
    if delivery.is_usable_event:
        public = Article.objects.published().for_detail().filter(pk=delivery.article_id).first()
        if public is not None:
            return ninjs_story(public), None
        article = Article.objects.filter(pk=delivery.article_id).first()
        if delivery.event == Delivery.Event.PUBLISHED and article is not None and article.is_scheduled:
            return None, article.published_at
        return None, None
    article = Article.objects.filter(pk=delivery.article_id).first()
    if article is None:
        return delivery.payload, None
    if article.is_published():
        return None, None  # public again since: the story's new publication is on its way instead
    return ninjs_story(article), None


def envelope(delivery, story, timestamp):
    """The body: the event, the delivery's id, when it was sent (all signed with it) and the story."""
    return {"event": delivery.event, "delivery": str(delivery.uuid), "timestamp": timestamp, "story": story}


def signed_request(delivery, story):
    timestamp = int(timezone.now().timestamp())
    body = json.dumps(
        envelope(delivery, story, timestamp), cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8", "replace")  # a lone surrogate (SQLite may hold one) cannot be UTF-8
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": f"{USER_AGENT} (+{settings.SITE_URL})",
        "X-Newsroom-Event": delivery.event,
        "X-Newsroom-Delivery": str(delivery.uuid),
        "X-Newsroom-Timestamp": str(timestamp),
        SIGNATURE_HEADER: signature(delivery.endpoint.secret, body),
    }
    return body, headers


def record(delivery, answer: Answer):
    now = timezone.now()
    changes = {"last_status_code": answer.status, "last_error": answer.error[:2000], "queued_at": None}
    if answer.ok:
        changes.update(status=Status.DELIVERED, delivered_at=now)
    else:
        retry_at = now + timedelta(seconds=delivery.retry_delay())
        if retry_at > delivery.give_up_at:
            changes.update(status=Status.FAILED)
        else:
            changes.update(next_attempt_at=retry_at)
    Delivery.objects.filter(pk=delivery.pk, status=Status.PENDING).update(**changes)
    logger.info(
        "webhook delivery=%s endpoint=%s event=%s attempt=%s status=%s http=%s error=%r",
        delivery.uuid,
        delivery.endpoint_id,
        delivery.event,
        delivery.attempts,
        changes.get("status", Status.PENDING),
        answer.status,
        answer.error,
    )


def sweep():
    """Tell partners of stories that expired; return the due deliveries nobody has handed to the broker lately."""
    now = timezone.now()
    expired = (
        Syndication.objects.filter(usable=True, expires_at__lte=now)
        .values_list("article_id", flat=True)
        .distinct()[:SWEEP_BATCH]
    )
    for article_id in list(expired):
        with transaction.atomic():
            article = Article.objects.select_for_update().filter(pk=article_id).first()
            if article is not None:
                tell_partners(article)
    now = timezone.now()
    due = (
        Delivery.objects.filter(status=Status.PENDING, next_attempt_at__lte=now, endpoint__active=True)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lte=now - REQUEUE_AFTER))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    ids = list(due)
    Delivery.objects.filter(pk__in=ids).update(queued_at=now)
    return ids
