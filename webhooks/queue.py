"""Handing deliveries to the broker after the change that wrote them commits.

The broker is optional: without `CELERY_BROKER_URL` (the SQLite demo) nothing is handed over and deliveries
wait in the database for a worker's sweep. A broker that is down costs the save about
`CELERY_BROKER_CONNECTION_TIMEOUT` and nothing else: the rows stay marked not queued and the sweep sends them.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)
DELIVER = "webhooks.deliver"  # the task in webhooks/tasks.py


def broker_configured():
    return bool(settings.CELERY_BROKER_URL)


def enqueue_on_commit(delivery_ids):
    if delivery_ids and broker_configured():
        transaction.on_commit(lambda: enqueue(delivery_ids))


def enqueue(delivery_ids):
    from newsroom.celery import app  # Celery is imported only by a save that has something to deliver

    from .models import Delivery

    # Marked before it is handed over: the worker's claim, which clears the mark, always comes after.
    Delivery.objects.filter(pk__in=delivery_ids).update(queued_at=timezone.now())
    handed = 0
    try:
        # One try at connecting: kombu would otherwise keep trying for the connection timeout, 2 s apart.
        with app.connection_for_write(settings.CELERY_BROKER_URL, transport_options={"max_retries": 0}) as connection:
            for delivery_id in delivery_ids:
                app.send_task(DELIVER, (delivery_id,), connection=connection, retry=False)
                handed += 1
    except Exception as error:  # kombu and redis raise their own kinds; any of them means "not queued"
        logger.warning("webhooks-broker-down deliveries=%s error=%r", len(delivery_ids) - handed, error)
        Delivery.objects.filter(pk__in=delivery_ids[handed:]).update(queued_at=None)
