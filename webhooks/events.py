"""What each partner is told when a story changes: deliveries written in the change's own transaction.

Connected to the story's signals in `WebhooksConfig.ready()`, so the articles app knows nothing of webhooks.
A delivery row is the outbox: it is written with the change or not at all, and after the commit it is handed
to the broker (`queue.enqueue_on_commit`); when that fails, the worker's sweep finds it.

- A story readers can see (the publishing gate) is sent as *published* to each endpoint taking its section
  that does not hold it, as *updated* to those holding it when its last substantive update (`updated_at`)
  moved, as *corrected* when a correction is added. A scheduled story's *published* waits for its time.
- A story that stops being public (withdrawn, back to draft, expired, deleted) is sent once as *withdrawn*
  or *expired* (pubstatus canceled) to the endpoints that were sent it; notices not yet sent are dropped.
- A notice still waiting for its first attempt carries the story as it is when sent, so a change meanwhile
  adds no second one.
"""

from django.db import transaction
from django.db.models import Max
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from api.ninjs import story as ninjs_story
from articles.models import Article, Correction, story_saved

from .models import Delivery, Endpoint, Syndication
from .queue import enqueue_on_commit

Event = Delivery.Event
# What a canceled notice keeps of a story that is being deleted (the notice api/ninjs.py gives any story
# readers cannot see).
NOTICE_FIELDS = ["uri", "type", "version", "versioncreated", "standard"]


@receiver(story_saved)
def story_changed(sender, article, before, **kwargs):
    tell_partners(article)


@receiver(post_save, sender=Correction)
def correction_added(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        article = Article.objects.filter(pk=instance.article_id).first()
        if article is not None:
            tell_partners(article, corrected_at=instance.created_at)


@receiver(pre_delete, sender=Article)
def story_deleted(sender, instance, **kwargs):
    """Partners holding a story are told it is gone; the notice is kept on the delivery, the story will not be."""
    if Syndication.objects.filter(article=instance, usable=True).exists():
        notice = {key: value for key, value in ninjs_story(instance).items() if key in NOTICE_FIELDS}
        take_down(instance, Event.WITHDRAWN, payload={**notice, "pubstatus": "canceled"})


def tell_partners(article, corrected_at=None):
    """Write the deliveries this change of `article` calls for (see the module's docstring)."""
    with transaction.atomic():
        if article.is_published() or article.is_scheduled:
            hand_out(article, corrected_at)
        else:
            take_down(article, Event.EXPIRED if article.is_expired else Event.WITHDRAWN)


def hand_out(article, corrected_at):
    now = timezone.now()
    due = max(now, article.published_at)
    copies = {copy.endpoint_id: copy for copy in Syndication.objects.select_for_update().filter(article=article)}
    waiting = set()
    if copies:
        unsent = Delivery.objects.filter(
            article=article, status=Delivery.Status.PENDING, attempts=0, event__in=Delivery.USABLE_EVENTS
        )
        # A new publication time moves the notices still waiting for it.
        unsent.filter(event=Event.PUBLISHED).update(next_attempt_at=due)
        waiting = set(unsent.values_list("endpoint_id", flat=True))
    deliveries, new_copies = [], []
    for endpoint in Endpoint.objects.for_story(article):
        copy = copies.get(endpoint.pk)
        if copy is None or not copy.usable:
            event = Event.PUBLISHED
        elif endpoint.pk in waiting or not article.is_published():
            event = None
        elif corrected_at is not None:
            event = Event.CORRECTED
        elif article.updated_at and article.updated_at != copy.updated_at:
            event = Event.UPDATED
        else:
            event = None
        if event is not None:
            deliveries.append(Delivery(endpoint=endpoint, article=article, event=event, next_attempt_at=due))
        if copy is None:
            new_copies.append(copy := Syndication(endpoint=endpoint, article=article))
        copy.usable = True
        copy.updated_at = corrected_at or article.updated_at
    for copy in copies.values():
        copy.expires_at = article.expires_at
    for copy in new_copies:
        copy.expires_at = article.expires_at
    Syndication.objects.bulk_create(new_copies)
    Syndication.objects.bulk_update(copies.values(), ["usable", "updated_at", "expires_at"])
    send(deliveries, now)


def take_down(article, event, payload=None):
    holders = list(Syndication.objects.select_for_update().filter(article=article, usable=True))
    if not holders:
        return
    Delivery.objects.filter(
        article=article, status=Delivery.Status.PENDING, attempts=0, event__in=Delivery.USABLE_EVENTS
    ).update(status=Delivery.Status.SUPERSEDED, last_error="The story stopped being public before it was sent.")
    # Attempted since the endpoint's last canceled notice (a story can be published and taken down again).
    told_down = dict(
        Delivery.objects.filter(article=article)
        .exclude(event__in=Delivery.USABLE_EVENTS)
        .values_list("endpoint_id")
        .annotate(last=Max("id"))
    )
    attempted = Delivery.objects.filter(article=article, event__in=Delivery.USABLE_EVENTS, attempts__gt=0)
    was_sent = {
        endpoint for endpoint, pk in attempted.values_list("endpoint_id", "pk") if pk > told_down.get(endpoint, 0)
    }
    now = timezone.now()
    deliveries = [
        Delivery(endpoint_id=copy.endpoint_id, article=article, event=event, next_attempt_at=now, payload=payload)
        for copy in holders
        if copy.endpoint_id in was_sent
    ]
    for copy in holders:
        copy.usable = False
    Syndication.objects.bulk_update(holders, ["usable"])
    send(deliveries, now)


def send(deliveries, now):
    """Write the deliveries; those due now go to the broker once the transaction commits."""
    Delivery.objects.bulk_create(deliveries)
    enqueue_on_commit([delivery.pk for delivery in deliveries if delivery.next_attempt_at <= now])
