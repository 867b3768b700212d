"""Checks for .ci/add-language, run inside the temporary copy of the project.

    python .ci/add_language_check.py snapshot SNAPSHOT.json
        Before the new language: record every row of the content apps (articles,
        clinic, i18n), the translation report and the API responses in every
        configured language.

    python .ci/add_language_check.py check SNAPSHOT.json LANG EXPORT.po
        After adding LANG (settings, migration, catalogs): the new columns and
        constraints exist, existing content is unchanged, LANG is 0 % translated,
        the exported PO file has one empty entry per translatable field, and the
        API serves LANG with English text, listing every fallen-back field; the
        permissions and staff groups cover LANG as they cover the other languages,
        and the admin's forms have LANG inputs.

    python .ci/add_language_check.py fresh SNAPSHOT.json LANG
        On a database migrated from scratch with LANG configured: the columns,
        constraints, permissions and staff groups.

Every failed check is listed; the exit status is 1 if there is any.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The virtualenv has the project installed in editable mode: without this, "clinic"
# would be imported from the repository the venv belongs to, not from this copy.
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

import django  # noqa: E402

django.setup()

# The checks, in .ci/add_language/ next to this script (they need Django set up).
from add_language.access import check_admin, check_permissions  # noqa: E402
from add_language.api import check_api, check_existing_api  # noqa: E402
from add_language.common import failures, say  # noqa: E402
from add_language.database import check_content, check_schema, check_settings  # noqa: E402
from add_language.snapshot import snapshot  # noqa: E402
from add_language.translations import check_export, check_report  # noqa: E402


def report_failures(language: str) -> int:
    if failures:
        say(f"\n{len(failures)} check(s) failed:")
        for failure in failures:
            say(f"  - {failure}")
        return 1
    say(f"\nEvery check passed for {language}.")
    return 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "snapshot":
        snapshot(Path(argv[1]))
        return 0
    if len(argv) == 4 and argv[0] == "check":
        snap = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
        language = argv[2]
        check_settings(language, snap["languages"])
        if failures:
            return 1
        check_schema(language)
        check_content(snap, language)
        check_report(snap, language)
        check_export(language, Path(argv[3]))
        check_api(snap, language)
        check_existing_api(snap)
        check_permissions(language, snap["languages"])
        check_admin(language)
        return report_failures(language)
    if len(argv) == 3 and argv[0] == "fresh":
        snap = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
        language = argv[2]
        check_settings(language, snap["languages"])
        if failures:
            return 1
        check_schema(language)
        check_permissions(language, snap["languages"])
        return report_failures(language)
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
