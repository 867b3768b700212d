from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishedConfig(AppConfig):
    """The published read model: what the API serves, built when content is written."""

    name = "clinic.published"
    label = "published"
    verbose_name = _("Published documents")

    def ready(self) -> None:
        from clinic.content import on_bulk_write
        from clinic.published import edge
        from clinic.published.store import documents_deferred, on_announce

        on_bulk_write(documents_deferred)
        edge.edges()  # a malformed EDGE_CACHE_PURGE_URLS stops start-up with a clear message
        on_announce(edge.purge_on_commit)
