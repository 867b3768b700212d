"""Generate benchmark content: N published articles in English, Arabic and Ukrainian.

    python -m bench.generate                 # N=1000 into bench/bench.sqlite3
    N=100000 DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python -m bench.generate
    python -m bench.generate --n 1000 --reset   # wipe the database first

Each article has a 2–4 KB HTML body of medical-news sentences (bench/textbank.py),
Arabic and Ukrainian translations with the same numbers, published translation
states whose recorded sources are the current English (every field current),
1–3 of 20 topics, 1–3 NCT references and a lead image (one of 20 library images,
each with renditions and alternative text in three languages; every tenth article
shows a second one in its body). The demo content is loaded first (the
treatment-results disclaimer, 3 contact lines, 3 topics, 1 article and its image).

Deterministic: article ``i`` depends only on ``--seed`` and ``i``. Idempotent:
articles that exist are kept and only the missing indexes are added, so 1,000
can grow to 100,000; asking for fewer than exist needs ``--reset``. Rows are
written with ``bulk_create`` in batches (no signals), then the PostgreSQL
search documents are rebuilt (``search_reindex``, when the command exists) and
the published read model is built (``published_rebuild``).
"""

import argparse
import os
import random
import secrets
import sys
import time
from datetime import UTC, datetime, timedelta

DEFAULT_N = 1000
DEFAULT_SEED = 20160420
GENERATED_BY = "bench.generate"
BODY_MIN, BODY_MAX = 2048, 4096
SECTIONS = ("design", "results", "safety", "outlook")
LANGS = ("en", "ar", "uk")
CHECKED_ARTICLES = 25  # the first articles of a run are checked like a PO import would
IMAGES = 20  # library images, shared by the articles (lead image, some in bodies)
BODY_IMAGE_EVERY = 10


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    if not os.environ.get("SECRET_KEY") and os.environ.get("DEBUG", "") == "":
        os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    import django

    django.setup()


def say(message: str) -> None:
    sys.stderr.write(f"[generate] {message}\n")
    sys.stderr.flush()


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def truncate_words(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,:;—-")


def _placeholders(rng: random.Random) -> dict:
    from bench import textbank as tb

    phase_text, phase_value, phase_next = rng.choice(tb.PHASES)
    n = rng.randint(12, 240)
    return {
        "condition": rng.randrange(len(tb.CONDITIONS)),
        "intervention": rng.randrange(len(tb.INTERVENTIONS)),
        "inst": rng.choice(tb.INSTITUTIONS),
        "phase": phase_text,
        "phase_value": phase_value,
        "phase_next": phase_next,
        "n": n,
        "age": rng.randint(28, 67),
        "y": rng.randint(2, 15),
        "doses": rng.randint(2, 4),
        "dose": rng.randint(2, 100),
        "m": rng.randint(3, 12),
        "m2": rng.randint(12, 36),
        "m3": rng.randint(6, 24),
        "d": rng.randint(2, 7),
        "pct": rng.randint(35, 85),
        "pct2": rng.randint(5, 30),
        "pct3": rng.randint(10, 60),
        "pct4": rng.randint(20, 70),
        "k": rng.randint(max(1, n // 2), n),
        "k2": rng.randint(1, n),
        "pts": rng.randint(3, 20),
        "scale": rng.choice((36, 54, 100)),
        "metres": rng.choice((10, 25)),
        "sec": rng.randint(1, 9),
        "centres": rng.randint(3, 25),
        "year": rng.randint(2026, 2028),
        "nct": f"NCT{rng.randint(1_000_000, 99_999_999):08d}",
    }


def _mappings(values: dict) -> dict[str, dict]:
    """The placeholder values in each language."""
    from bench import textbank as tb

    cond = tb.CONDITIONS[values["condition"]]
    interv = tb.INTERVENTIONS[values["intervention"]]
    numbers = {key: value for key, value in values.items() if key not in ("condition",)}
    return {
        "en": {
            **numbers,
            "cond": cond[0],
            "Cond": capitalise(cond[0]),
            "cond_gen": cond[0],
            "interv": interv[0],
            "Interv": capitalise(interv[0]),
            "interv_gen": interv[0],
        },
        "ar": {
            **numbers,
            "cond": cond[1],
            "Cond": cond[1],
            "cond_gen": cond[1],
            "interv": interv[1],
            "Interv": interv[1],
            "interv_gen": interv[1],
        },
        "uk": {
            **numbers,
            "cond": cond[2],
            "Cond": capitalise(cond[2]),
            "cond_gen": cond[3],
            "interv": interv[2],
            "Interv": capitalise(interv[2]),
            "interv_gen": interv[3],
        },
    }


def _body(rng: random.Random, maps: dict[str, dict]) -> dict[str, str]:
    """2–4 KB (English) of HTML paragraphs under section headings, in every language."""
    from django.utils.html import escape

    from bench import textbank as tb
    from clinic.html import sanitize_html

    target = rng.randint(BODY_MIN, BODY_MAX)
    pools: dict[str, list[int]] = {section: [] for section in SECTIONS}
    # The opening sentence says who did what; the rest of the design section follows.
    others = range(1, len(tb.SENTENCES["design"]))
    pools["design"] = [*rng.sample(others, len(others)), 0]
    blocks: list[tuple[str, object]] = []
    length = 0
    for round_number in range(10):
        for section in SECTIONS:
            chosen = []
            for _ in range(rng.randint(2, 3)):
                if not pools[section]:
                    pools[section] = rng.sample(
                        range(len(tb.SENTENCES[section])), len(tb.SENTENCES[section])
                    )
                chosen.append(pools[section].pop())
            english = " ".join(tb.SENTENCES[section][i][0] for i in chosen)
            size = len(english.format_map(maps["en"])) + 7
            if length + size > BODY_MAX and length >= BODY_MIN:
                break
            if round_number == 0 and section != "design":
                blocks.append(("h2", section))
                length += len(tb.HEADINGS[section][0]) + 9
            blocks.append(("p", (section, chosen)))
            length += size
            if length >= target:
                break
        if length >= target or length + 200 > BODY_MAX:
            break
    result = {}
    for position, language in enumerate(LANGS):
        html = []
        for kind, block in blocks:
            if kind == "h2":
                html.append(f"<h2>{escape(tb.HEADINGS[block][position])}</h2>")
            else:
                section, chosen = block
                text = " ".join(
                    tb.SENTENCES[section][i][position].format_map(maps[language]) for i in chosen
                )
                html.append(f"<p>{escape(text)}</p>")
        result[language] = sanitize_html("\n".join(html))
    return result


def article_content(index: int, seed: int) -> dict:
    """Everything about generated article ``index``: texts per language, metadata, links."""
    from django.utils.text import slugify

    from bench import textbank as tb

    rng = random.Random(f"{seed}:{index}")
    values = _placeholders(rng)
    maps = _mappings(values)
    title_t, summary_t = rng.choice(tb.TITLES), rng.choice(tb.SUMMARIES)
    seo_title_t, seo_description_t = rng.choice(tb.SEO_TITLES), rng.choice(tb.SEO_DESCRIPTIONS)
    texts: dict[str, dict[str, str]] = {}
    cond = tb.CONDITIONS[values["condition"]]
    interv = tb.INTERVENTIONS[values["intervention"]]
    for position, language in enumerate(LANGS):
        mapping = maps[language]
        title = title_t[position].format_map(mapping)
        texts[language] = {
            "title": title,
            "slug": f"{slugify(title, allow_unicode=True)[:200].strip('-')}-{index + 1}",
            "summary": summary_t[position].format_map(mapping),
            "seo_title": truncate_words(seo_title_t[position].format_map(mapping), 70),
            "seo_description": truncate_words(seo_description_t[position].format_map(mapping), 160),
            "condition": capitalise((cond[0], cond[1], cond[2])[position]),
            "intervention": capitalise((interv[0], interv[1], interv[2])[position]),
        }
    for language, body in _body(rng, maps).items():
        texts[language]["body"] = body
    start = datetime(2016, 1, 1, tzinfo=UTC)
    published_at = start + timedelta(seconds=rng.randrange(int(9.7 * 365 * 24 * 3600)))
    meeting, place = rng.choice(tb.MEETINGS)
    references = [values["nct"]] + [
        f"NCT{rng.randint(1_000_000, 99_999_999):08d}" for _ in range(rng.randint(0, 2))
    ]
    return {
        "texts": texts,
        "phase": values["phase_value"],
        "enrollment": values["n"],
        "institution": values["inst"],
        "lead_investigator": rng.choice(tb.INVESTIGATORS),
        "presented_at": meeting,
        "presented_place": place,
        "presented_on": (published_at - timedelta(days=rng.randint(1, 60))).date(),
        "published_at": published_at,
        "references": references,
        "topics": rng.sample(range(20), rng.randint(1, 3)),
    }


def _topic_slugs() -> list[str]:
    """English slugs of the 20 topics, in a fixed order (the demo content's 3 first)."""
    import json

    from django.utils.text import slugify

    from bench import textbank as tb
    from clinic.demo import DEMO_CONTENT

    demo = [item["slug"] for item in json.loads(DEMO_CONTENT.read_text("utf-8"))["topics"]]
    return demo + [slugify(names[0]) for names in tb.TOPICS]


def _published_state(obj, content_type, sources: dict):
    from clinic.i18n.models import TranslationState

    return [
        TranslationState(
            content_type=content_type,
            object_id=obj.pk,
            language=language,
            status=TranslationState.Status.PUBLISHED,
            sources=sources,
            origin=TranslationState.Origin.SEED,
            origin_detail=GENERATED_BY,
        )
        for language in LANGS[1:]
    ]


def ensure_topics() -> dict[str, int]:
    """The 17 extra topics (with published, current translations); English slug → pk."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils.text import slugify

    from articles.models import Topic
    from bench import textbank as tb
    from clinic.i18n.models import TranslationState

    content_type = ContentType.objects.get_for_model(Topic)
    with transaction.atomic():
        for en, ar, uk in tb.TOPICS:
            if Topic.objects.filter(slug_en=slugify(en)).exists():
                continue
            topic = Topic(
                name_en=en,
                name_ar=ar,
                name_uk=uk,
                slug_en=slugify(en),
                slug_ar=slugify(ar, allow_unicode=True),
                slug_uk=slugify(uk, allow_unicode=True),
            )
            Topic.objects.bulk_create([topic])
            TranslationState.objects.bulk_create(
                _published_state(topic, content_type, {"name": en})
            )
    by_slug = dict(Topic.objects.values_list("slug_en", "pk"))
    return {slug: by_slug[slug] for slug in _topic_slugs()}


def ensure_images() -> list[tuple[int, str]]:
    """The benchmark's library images (made through the upload path: checked, stripped,
    renditions made; alternative texts published); (pk, key) of each, in order."""
    import uuid
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image as Pillow
    from PIL import ImageDraw

    from clinic.i18n.models import TranslationState
    from clinic.images.models import Image
    from clinic.images.services import image_create
    from clinic.images.uploads import image_from_upload

    found = []
    for index in range(IMAGES):
        key = uuid.uuid5(uuid.NAMESPACE_URL, f"clinic-content-api:bench:image:{index}")
        image = Image.objects.filter(key=key).first()
        if image is None:
            rng = random.Random(index)
            pixels = Pillow.new("RGB", (1600, 1000), (230, 238, 245))
            draw = ImageDraw.Draw(pixels)
            for _ in range(12):
                x, y, r = rng.randrange(1600), rng.randrange(1000), rng.randrange(40, 160)
                colour = tuple(rng.randrange(60, 220) for _ in range(3))
                draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
            out = BytesIO()
            pixels.save(out, format="JPEG", quality=85)
            number = index + 1
            image = image_create(
                upload=image_from_upload(SimpleUploadedFile("bench.jpg", out.getvalue())),
                texts={
                    "alt_text_en": f"Coloured circles, benchmark picture {number}",
                    "alt_text_ar": f"دوائر ملونة، صورة اختبار الأداء {number}",
                    "alt_text_uk": f"Кольорові кола, зображення для вимірювання {number}",
                },
                origin=TranslationState.Origin.SEED,
                origin_detail=GENERATED_BY,
                statuses=dict.fromkeys(LANGS[1:], TranslationState.Status.PUBLISHED),
                key=key,
            )
        found.append((image.pk, str(image.key)))
    return found


def _body_image(key: str) -> str:
    """A library image as the sanitiser leaves it in a body (bulk_create bypasses it)."""
    return f'<figure><img src="/media/images/{key}/original.jpg"></figure>'


def attach_lead_images(images: list[tuple[int, str]]) -> int:
    """Give generated articles without a lead image theirs (a database made before images)."""
    from django.db.models import F

    from articles.models import Article

    added = 0
    for position, (pk, _key) in enumerate(images):
        added += (
            Article.objects.filter(lead_image__isnull=True)
            .annotate(slot=F("pk") % len(images))
            .filter(slot=position)
            .update(lead_image_id=pk)
        )
    return added


def check_invariants(content: dict) -> None:
    """The translations keep the English numbers and identifiers, as the PO import demands."""
    from clinic.i18n.invariants import compare

    for language in LANGS[1:]:
        for name, source in content["texts"]["en"].items():
            if name == "slug":
                continue
            mismatches = compare(source, content["texts"][language][name], language)
            if mismatches:
                raise SystemExit(
                    f"generated {language} {name} breaks the invariants: "
                    + "; ".join(str(mismatch) for mismatch in mismatches)
                )


def _insert_batch(
    indexes: range,
    seed: int,
    topic_pks: list[int],
    check: int,
    images: list[tuple[int, str]],
) -> None:
    """Insert articles ``indexes``; the first ``check`` of them are checked for invariants."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from articles.models import Article, Reference
    from clinic.i18n.models import TranslationState
    from clinic.i18n.registry import localized, translatable_fields

    fields = translatable_fields(Article)
    content_type = ContentType.objects.get_for_model(Article)
    contents = [article_content(index, seed) for index in indexes]
    articles = []
    for position, (index, content) in enumerate(zip(indexes, contents, strict=True)):
        if position < check:
            check_invariants(content)
        if index % BODY_IMAGE_EVERY == 0:
            shown = _body_image(images[(index + 1) % len(images)][1])
            for texts in content["texts"].values():
                texts["body"] += shown
        article = Article(
            lead_image_id=images[index % len(images)][0],
            status=Article.Status.PUBLISHED,
            published_at=content["published_at"],
            phase=content["phase"],
            enrollment=content["enrollment"],
            institution=content["institution"],
            lead_investigator=content["lead_investigator"],
            presented_at=content["presented_at"],
            presented_on=content["presented_on"],
            presented_place=content["presented_place"],
        )
        for language, texts in content["texts"].items():
            for name, text in texts.items():
                setattr(article, localized(name, language), text)
        articles.append(article)
    with transaction.atomic():
        Article.objects.bulk_create(articles)
        references, links, states = [], [], []
        for article, content in zip(articles, contents, strict=True):
            references += [
                Reference(
                    article=article,
                    kind=Reference.Kind.NCT,
                    identifier=nct,
                    url=f"https://clinicaltrials.gov/study/{nct}",
                    order=order,
                )
                for order, nct in enumerate(content["references"])
            ]
            links += [
                Article.topics.through(article_id=article.pk, topic_id=topic_pks[topic])
                for topic in content["topics"]
            ]
            sources = {name: content["texts"]["en"][name] for name in fields}
            states += _published_state(article, content_type, sources)
        Reference.objects.bulk_create(references)
        Article.topics.through.objects.bulk_create(links)
        TranslationState.objects.bulk_create(states)


def reindex_search() -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        started = time.monotonic()
        call_command("search_reindex")
        say(f"search_reindex: {time.monotonic() - started:.1f} s")
    except (CommandError, LookupError) as exc:
        say(f"search_reindex not run: {exc}")


def generated_count() -> int:
    import json

    from django.utils.text import slugify

    from articles.models import Article
    from clinic.demo import DEMO_CONTENT

    demo_title = json.loads(DEMO_CONTENT.read_text("utf-8"))["article"]["title"]["en"]
    return Article.objects.exclude(slug_en=slugify(demo_title)).count()


def _ensure_read_model() -> None:
    """Build the read model of a database generated before it existed (empty: nothing served)."""
    from django.core.management import call_command

    from clinic.published.models import Document

    if not Document.objects.exists():
        say("building the published read model (none yet)")
        call_command("published_rebuild", verbosity=0)


def generate(n: int, *, seed: int = DEFAULT_SEED, reset: bool = False, batch: int = 500) -> int:
    """Make the database hold exactly ``n`` generated articles; returns how many were added."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation

    from clinic.demo import demo_content_load

    started = time.monotonic()
    say(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", interactive=False, verbosity=0)
    if reset:
        say("--reset: flushing the database")
        call_command("flush", interactive=False, verbosity=0)
    with translation.override("en"):
        demo_content_load()
        topic_pks = list(ensure_topics().values())
        images = ensure_images()
        existing = generated_count()
        if existing > n:
            raise SystemExit(
                f"The database holds {existing} generated articles, more than {n}: use --reset."
            )
        if existing == n:
            if attach_lead_images(images):
                say("lead images given to the articles generated before images existed")
                call_command("published_rebuild", verbosity=0)
            say(f"{n} articles already there; nothing to do")
            _ensure_read_model()
            return 0
        say(f"adding articles {existing + 1}..{n}")
        report_every = max(batch, (n - existing) // 20)
        next_report = existing + report_every
        attach_lead_images(images)  # articles generated before images existed
        for start in range(existing, n, batch):
            indexes = range(start, min(start + batch, n))
            _insert_batch(
                indexes,
                seed,
                topic_pks,
                check=CHECKED_ARTICLES if start == existing else 0,
                images=images,
            )
            if indexes.stop >= next_report or indexes.stop == n:
                next_report += report_every
                rate = (indexes.stop - existing) / max(time.monotonic() - started, 1e-9)
                say(f"{indexes.stop}/{n} articles ({rate:.0f}/s)")
    reindex_search()
    say("building the published read model")
    call_command("published_rebuild", verbosity=0)
    if connection.vendor == "postgresql":  # planner statistics of the new rows and documents
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    say(f"done: {n - existing} articles added in {time.monotonic() - started:.1f} s")
    return n - existing


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=int(os.environ.get("N") or DEFAULT_N))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--reset", action="store_true", help="wipe the database first")
    args = parser.parse_args(argv)
    setup_django()
    generate(args.n, seed=args.seed, reset=args.reset, batch=args.batch)


if __name__ == "__main__":
    main()
