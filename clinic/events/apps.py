from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Change events of public content, and webhooks that deliver them (docs/frontends.md)."""

    name = "clinic.events"
    label = "events"
    verbose_name = _("Change events and webhooks")

    def ready(self) -> None:
        from clinic.events.outbox import events_record
        from clinic.published.store import on_announce

        if events_record not in _listening:
            on_announce(events_record)
            _listening.append(events_record)


_listening: list = []
