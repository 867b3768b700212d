"""The demo content's entry point: the clinic page in every shipped language.

A wiring module (like settings and the URL confs): it calls each app's part of
the demo content, so it may name every app.
"""

import json
import logging
from collections import Counter
from pathlib import Path

from django.db import transaction

from articles.demo import demo_articles_load
from clinic.content import bulk_write
from clinic.demo_corrections import demo_corrections_apply
from clinic.revisions import content_revision
from clinic.services import demo_clinic_load

logger = logging.getLogger(__name__)

DEMO_CONTENT = Path(__file__).resolve().parent / "seed" / "clinic_page.json"


@transaction.atomic
@content_revision("Demo content loaded")
def demo_content_load(*, path: Path = DEMO_CONTENT) -> Counter:
    """Create the clinic page's content (and its translations) where it is missing.

    Objects are found by stable keys (topic and article English slugs, E.164
    numbers, disclaimer keys); existing ones are left as they are, so running it
    again changes nothing and never overwrites an editor's work. Earlier demo
    translations still unchanged are corrected. Returns how many objects were
    created (and fields corrected). What the saves derive (the read model, search
    documents) is built once, at the end (:func:`clinic.content.bulk_write`).
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    with bulk_write():
        created = demo_clinic_load(data) + demo_articles_load(data)
        created.update(demo_corrections_apply())  # the earlier demo text, where still unchanged
    logger.info("Demo content loaded: %s", dict(created) or "nothing new")
    return created
