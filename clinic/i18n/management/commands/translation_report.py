import json

from django.core.management.base import BaseCommand, CommandError

from clinic.i18n.completeness import completeness_by_type
from clinic.i18n.languages import target_languages


class Command(BaseCommand):
    help = "Translation completeness per language and content type (translated, missing, stale)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--lang", action="append", dest="languages", help="Repeatable.")
        parser.add_argument("--format", choices=("table", "json"), default="table")
        parser.add_argument(
            "--fail-under",
            type=float,
            metavar="N",
            help="Exit non-zero if a language is less than N %% current overall.",
        )

    def handle(self, *args, languages, format: str, fail_under: float | None, **options) -> None:
        unknown = sorted(set(languages or []) - set(target_languages()))
        if unknown:
            raise CommandError(
                f"Unknown language(s): {', '.join(unknown)}. "
                f"Choose from: {', '.join(target_languages())}."
            )
        rows = []
        for language in languages or target_languages():
            by_type = completeness_by_type(language)
            for content_type, figures in by_type.items():
                rows.append(
                    {"language": language, "content_type": content_type, **figures.as_dict()}
                )
        overall = self._overall(rows)
        if format == "json":
            self.stdout.write(json.dumps({"rows": rows, "overall": overall}, indent=2))
        else:
            self._table(rows, overall)
        failing = [
            lang
            for lang, percent in overall.items()
            if fail_under is not None and percent < fail_under
        ]
        if failing:
            raise CommandError(
                f"Below {fail_under:g} %: "
                + ", ".join(f"{lang} ({overall[lang]:g} %)" for lang in failing)
            )

    @staticmethod
    def _overall(rows: list[dict]) -> dict[str, float]:
        totals: dict[str, list[int]] = {}
        for row in rows:
            current, total = totals.setdefault(row["language"], [0, 0])
            totals[row["language"]] = [current + row["current"], total + row["total"]]
        return {
            language: round(100 * current / total, 1) if total else 100.0
            for language, (current, total) in totals.items()
        }

    def _table(self, rows: list[dict], overall: dict[str, float]) -> None:
        header = (
            f"{'language':<9}{'content type':<14}{'translated':>11}{'current':>9}"
            f"{'stale':>7}{'missing':>9}{'total':>7}{'%':>8}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for row in rows:
            translated = row["current"] + row["stale"]
            self.stdout.write(
                f"{row['language']:<9}{row['content_type']:<14}{translated:>11}{row['current']:>9}"
                f"{row['stale']:>7}{row['missing']:>9}{row['total']:>7}{row['percent']:>8.1f}"
            )
        for language, percent in overall.items():
            self.stdout.write(f"{language}: {percent:.1f} % current overall")
