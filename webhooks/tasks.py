"""The worker's two tasks: one delivery, and the periodic sweep (newsroom/settings.py, CELERY_BEAT_SCHEDULE)."""

from newsroom.celery import app

from . import sending
from .queue import DELIVER


@app.task(name=DELIVER)
def deliver(delivery_id):
    sending.attempt(delivery_id)


@app.task(name="webhooks.sweep")
def sweep():
    for delivery_id in sending.sweep():
        deliver.apply_async((delivery_id,))
