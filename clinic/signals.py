"""Content changes bump the content version once their transaction commits."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from clinic.content_version import bump_version


def _content_changed(sender, **kwargs) -> None:
    """Bump once per transaction (and savepoint), however many rows it changes."""
    connection = transaction.get_connection()
    savepoints = list(connection.savepoint_ids)
    pending = [(list(sids), func) for sids, func, *_rest in connection.run_on_commit]
    if (savepoints, bump_version) not in pending:
        transaction.on_commit(bump_version)


def connect_content_signals() -> None:
    from articles.models import Article, Reference, Topic
    from clinic.i18n.models import TranslationState
    from clinic.models import ContactLine, Disclaimer

    for model in (Article, Reference, Topic, ContactLine, Disclaimer, TranslationState):
        uid = model._meta.label_lower
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"save-{uid}")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"delete-{uid}")
    for through in (Article.topics.through, Article.disclaimers.through):
        uid = through._meta.label_lower
        m2m_changed.connect(_content_changed, sender=through, dispatch_uid=f"m2m-{uid}")
