"""The task queue: Celery with Redis as the broker. Its worker delivers publish webhooks (docs/webhooks.md).

    celery -A newsroom.celery worker --beat      (`make worker`)

Settings are the `CELERY_*` names in newsroom/settings.py; the beat schedule runs the webhooks' sweep.
"""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

app = Celery("newsroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["webhooks"])


@worker_init.connect
def refuse_to_start_without_a_broker(**kwargs):
    from django.conf import settings

    if not settings.CELERY_BROKER_URL:
        raise SystemExit("CELERY_BROKER_URL is not set: the worker has no queue to read (docs/webhooks.md).")
