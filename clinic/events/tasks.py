"""The tasks of change events, run by the django-tasks database worker (``manage.py db_worker``).

Enqueued in the transaction of the change that needs them (the database backend
writes a task as a row), so a rolled-back change enqueues nothing and a committed
one loses nothing.
"""

from django.db import transaction
from django_tasks import task

QUEUE = "webhooks"


@task(queue_name=QUEUE)
def deliver(delivery_id: int, token: str) -> str:
    """Attempt one delivery (and schedule its retry if it fails)."""
    from clinic.events.webhooks import delivery_attempt

    return delivery_attempt(delivery_id=delivery_id, token=token)


@task(queue_name=QUEUE)
def emit(event_id: str) -> bool:
    """Emit a scheduled event at its time: its deliveries start."""
    from clinic.events.outbox import event_emit

    with transaction.atomic():
        return event_emit(event_id)
