"""The report of a run: medians, rows judged against the targets, tables, result files.

Everything a run measured ends up in ``bench/results/<timestamp>.json`` (every
round, every status code, the probe's SQL) and in a Markdown table printed and
saved next to it as ``.md``.
"""

import json
import os
import platform
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench.config import Config
from bench.processes import BENCH, THROTTLE_RATE, say

RESULTS = BENCH / "results"
LABELS = {
    "list": "Arabic list of 20",
    "detail": "Arabic detail",
    "contacts": "contacts (ar)",
    "search": "search (ar)",
    "topic": "topic-filtered list (ar)",
    "limit": "project-stack limit",
    "bare": "bare limit",
    "bare-list": "bare limit, the list's bytes",
}
SERVERS = {
    "off": "cache off",
    "on": "cache on",
    "bare": "bare limit",
    "bare-list": "bare limit, the list's bytes",
    "mixed": "mixed run",
}
MB = 1024 * 1024

# Targets of the issue (a 2-core machine), as shares of the bare limit's requests/s.
SHARE_TARGETS = {
    ("detail", "off"): 25,
    ("list", "off"): 15,
    ("search", "off"): 8,
    ("detail", "on"): 60,
    ("list", "on"): 60,
}
MIXED_HIT_TARGET_PCT, MIXED_SHARE_TARGET_PCT = 90, 40
RATIO_TARGETS = {"list": 1.5, "detail": 1.5, "topic": 1.5, "search": 2.0}
EXPORT_TARGET_S, IMPORT_TARGET_S = 10.0, 30.0
RSS_TARGET_MB = 150


# Figures


def summarise(runs: list[dict]) -> dict:
    def median(values):
        return statistics.median(values) if values else None

    return {
        "rps": round(median([run["rps"] for run in runs]), 1),
        "p50_ms": round(median([run["latency_us"]["p50"] for run in runs]) / 1000, 2),
        "p99_ms": round(median([run["latency_us"]["p99"] for run in runs]) / 1000, 2),
        "requests": sum(run["requests"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
        "statuses": _merge([run["statuses"] for run in runs]),
        "x_cache": _merge([run["x_cache"] for run in runs]),
        "body_bytes": max(run["body_bytes"]["max"] for run in runs),
        "other_cpu_cores": median([run["other_cpu_cores"] for run in runs]),
        "rounds": runs,
    }


def _merge(maps: list[dict[str, int]]) -> dict[str, int]:
    merged: dict[str, int] = {}
    for mapping in maps:
        for key, value in mapping.items():
            merged[key] = merged.get(key, 0) + value
    return merged


def load_summary(before: float, runs: dict[tuple[str, str], list[dict]]) -> dict:
    during = [run["other_cpu_cores"] for series in runs.values() for run in series]
    return {
        "before_cores": before,
        "during_mean_cores": round(statistics.mean(during), 2) if during else None,
        "during_max_cores": max(during) if during else None,
    }


# Rows and targets


def share(rps: float, limit_rps: float) -> float:
    """``rps`` as a percentage of ``limit_rps`` (0 when the limit served nothing)."""
    return round(100 * rps / limit_rps, 1) if limit_rps else 0.0


def default_rows(
    plan: list[tuple[str, str]], results: dict[str, dict], facts: dict[str, dict]
) -> list[dict]:
    """One row per measurement: its shares of the bare and project-stack limits, its target.

    Targets are shares of the bare limit; the project-stack share is for information.
    """
    bare_rps, stack_rps = results["bare:bare"]["rps"], results["limit:off"]["rps"]
    rows = []
    for endpoint, key in plan:
        summary = results[f"{endpoint}:{key}"]
        fact = facts[endpoint]
        of_bare = share(summary["rps"], bare_rps)
        target = SHARE_TARGETS.get((endpoint, key))
        rows.append(
            {
                "endpoint": endpoint,
                "cache": key,
                "share_of_bare_pct": of_bare,
                "share_of_stack_pct": share(summary["rps"], stack_rps),
                "sql_queries": fact["queries"] if key != "on" else fact["cached_queries"],
                "bytes": summary["body_bytes"],
                "target_pct": target,
                "target_met": None if target is None else of_bare >= target,
                **{name: value for name, value in summary.items() if name != "rounds"},
            }
        )
    return rows


def mixed_summary(mixed: dict, results: dict[str, dict]) -> dict:
    """The mixed run's figures with its share of the bare limit, judged against its targets."""
    of_bare = share(mixed["rps"], results["bare:bare"]["rps"])
    hit_ratio = mixed["hit_ratio_pct"]
    return {
        **mixed,
        "share_of_bare_pct": of_bare,
        "non_200": {code: n for code, n in mixed["statuses"].items() if code != "200"},
        "hit_target_met": hit_ratio is not None and hit_ratio >= MIXED_HIT_TARGET_PCT,
        "share_target_met": of_bare >= MIXED_SHARE_TARGET_PCT,
    }


def default_targets(
    rows: list[dict], memory: dict[str, dict], mixed: dict | None
) -> dict[str, bool]:
    """The share targets (uncached, cached), the mixed run's (if run), the worker memory."""
    peak_rss = max(memory[key]["peak_rss_mb"] for key in memory)
    targets = {
        f"{row['endpoint']} {'cached' if row['cache'] == 'on' else 'uncached'} "
        f"≥ {row['target_pct']} % of bare limit": row["target_met"]
        for row in rows
        if row["target_pct"] is not None
    }
    if mixed:
        targets[f"mixed: hit ratio ≥ {MIXED_HIT_TARGET_PCT} %"] = mixed["hit_target_met"]
        targets[f"mixed: ≥ {MIXED_SHARE_TARGET_PCT} % of bare limit"] = mixed["share_target_met"]
    targets[f"worker RSS ≤ {RSS_TARGET_MB} MB"] = peak_rss <= RSS_TARGET_MB
    return targets


def scale_rows(
    endpoints: tuple[str, ...],
    results: dict[str, dict],
    facts: dict[str, dict[str, dict]],
    sizes: dict[str, int],
) -> list[dict]:
    """One row per endpoint: small and large side by side, the ratio of their p50 latencies."""
    rows = []
    for endpoint in endpoints:
        small, large = results[f"{endpoint}:small"], results[f"{endpoint}:large"]
        ratio = large["p50_ms"] / small["p50_ms"] if small["p50_ms"] else None
        target = RATIO_TARGETS.get(endpoint)
        rows.append(
            {
                "endpoint": endpoint,
                "small": {k: v for k, v in small.items() if k != "rounds"},
                "large": {k: v for k, v in large.items() if k != "rounds"},
                "sql_queries": {key: facts[key][endpoint]["queries"] for key in sizes},
                "bytes": {key: results[f"{endpoint}:{key}"]["body_bytes"] for key in sizes},
                "matches": {key: facts[key][endpoint].get("count") for key in sizes},
                "p50_ratio": round(ratio, 2) if ratio else None,
                "target_ratio": target,
                "target_met": None if target is None or ratio is None else ratio <= target,
            }
        )
    return rows


def scale_targets(
    rows: list[dict], memory: dict[str, dict], cfg: Config, exchange: dict | None
) -> dict[str, bool]:
    """The latency ratio targets, the PO export and import times (if timed), worker memory."""
    peak_rss = max(memory[key]["peak_rss_mb"] for key in memory)
    small, large = label(cfg.small), label(cfg.large)
    targets = {
        f"{row['endpoint']} p50 at {large} ≤ {row['target_ratio']}× {small}": row["target_met"]
        for row in rows
        if row["target_ratio"] is not None
    }
    if exchange:
        targets[f"export_translations ar ({label(cfg.exchange)}) ≤ {EXPORT_TARGET_S:.0f} s"] = (
            exchange["export_s"] <= EXPORT_TARGET_S
        )
        targets[
            f"import_translations unchanged ({label(cfg.exchange)}) ≤ {IMPORT_TARGET_S:.0f} s"
        ] = exchange["import_unchanged_s"] <= IMPORT_TARGET_S
        targets[f"import_translations edited ({label(cfg.exchange)}) ≤ {IMPORT_TARGET_S:.0f} s"] = (
            exchange["import_edited_s"] <= IMPORT_TARGET_S
        )
    targets[f"worker RSS ≤ {RSS_TARGET_MB} MB"] = peak_rss <= RSS_TARGET_MB
    return targets


# Facts about the run and the machine


def run_settings(cfg: Config, *, cache: str) -> dict:
    """How the servers were driven, as recorded in every result file."""
    return {
        "workers": cfg.workers,
        "wrk": f"-t{cfg.threads} -c{cfg.connections} -d{cfg.duration}s",
        "warmup_s": cfg.warmup,
        "rounds": cfg.rounds,
        "cache": cache,
        "throttle_rate": THROTTLE_RATE,
    }


def machine(info: dict) -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "python": info["python"],
        "django": info["django"],
        "database": info["database"]["version"],
        "kernel": platform.release(),
        "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
        .stdout.strip()
        .splitlines()[0],
    }


# Result files


def timestamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def save(name: str, data: dict, markdown: str) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    path.with_suffix(".md").write_text(markdown + "\n", encoding="utf-8")
    return path


def publish(name: str, data: dict, markdown: str, log_dir: Path) -> None:
    """Print the tables and write the result files (``name``.json and .md)."""
    sys.stdout.write(markdown + "\n")
    path = save(name, data, markdown)
    say(f"wrote {path} (gunicorn logs in {log_dir})")


# Tables


def met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def label(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 and n >= 1000 else str(n)


def _header(data: dict) -> list[str]:
    m, s = data["machine"], data["settings"]
    load = s["other_load"]
    noisy = max(load["before_cores"], load["during_mean_cores"] or 0) > 0.25
    return [
        f"- Machine: {m['cpu']}, {m['cores']} cores; kernel {m['kernel']}",
        f"- Python {m['python']}, Django {m['django']}, {m['database']}; {m['wrk']}",
        f"- gunicorn: {s['workers']} sync workers (gunicorn.conf.py), DEBUG off; "
        f"wrk {s['wrk']}, warm-up {s['warmup_s']} s, {s['rounds']} interleaved rounds, "
        "figures are medians over the rounds (errors: totals)",
        f"- Server-side response cache: {s['cache']}; throttle rate {s['throttle_rate']}",
        f"- Other processes on the machine (CPU cores busy): {load['before_cores']} before, "
        f"{load['during_mean_cores']} on average during the measurements "
        f"(max {load['during_max_cores']})"
        + (" — **not quiet: figures are low**" if noisy else ""),
    ]


def default_markdown(data: dict) -> str:
    db, s = data["database"], data["settings"]
    lines = [
        f"## API benchmark — N = {data['n_articles']} articles, {db['version']} ({db['name']})",
        "",
        *_header(data),
        f"- Bare limit: `bench.bare` (no installed app, no middleware, no database) answering "
        f"the Arabic detail's {s['bare_bytes']} bytes as the project served them "
        f"({s['bare_content_type']}), same gunicorn.conf.py and workers; targets are shares of it "
        "(the same view answering the Arabic list's bytes is shown for information: what a "
        "body's size costs by itself)",
        f"- Project-stack limit: `/bench/limit/` in the project, constant "
        f"{s['limit_bytes']}-byte JSON through the whole middleware stack, no database",
        "",
        "| endpoint | server cache | req/s | % of bare limit | % of project-stack limit "
        "| p50 ms | p99 ms | SQL/req | bytes | errors | target |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in data["rows"]:
        target = (
            f"≥ {row['target_pct']} %: {met(row['target_met'])}"
            if row["target_pct"] is not None
            else ""
        )
        cache = "—" if row["endpoint"] in ("limit", "bare", "bare-list") else row["cache"]
        lines.append(
            f"| {LABELS[row['endpoint']]} | {cache} | {row['rps']:.1f} | "
            f"{row['share_of_bare_pct']:.1f} | {row['share_of_stack_pct']:.1f} | "
            f"{row['p50_ms']:.1f} | {row['p99_ms']:.1f} | "
            f"{row['sql_queries']} | {row['bytes']} | {row['errors']} | {target} |"
        )
    if data["mixed"]:
        lines += ["", *mixed_markdown(data["mixed"])]
    lines += ["", "Gunicorn worker memory (VmRSS):", ""]
    for key, memory in data["memory"].items():
        workers = ", ".join(f"{mb} MB" for mb in memory["workers_rss_mb"].values())
        lines.append(
            f"- {SERVERS[key]}: after the run {workers}; peak {memory['peak_rss_mb']} MB; "
            f"workers recycled (max_requests) {memory['worker_restarts']}"
        )
    lines += ["", "| target | result |", "|---|---|"]
    for name, ok in data["targets"].items():
        lines.append(f"| {name} | {met(ok)} |")
    return "\n".join(lines)


def mixed_markdown(mixed: dict) -> list[str]:
    """The mixed run's section: how it was driven, then one row of figures and targets."""
    editor = mixed["editor"]
    hit_ratio = mixed["hit_ratio_pct"]
    non_200 = ", ".join(f"{code}: {n}" for code, n in sorted(mixed["non_200"].items())) or "none"
    targets = (
        f"hit ratio ≥ {MIXED_HIT_TARGET_PCT} %: {met(mixed['hit_target_met'])}; "
        f"≥ {MIXED_SHARE_TARGET_PCT} % of bare limit: {met(mixed['share_target_met'])}"
    )
    return [
        "### Mixed run: reads under edits",
        "",
        f"- Reads: the {mixed['urls']} article details ({editor['articles']} published articles, "
        "each in every "
        f"language by its slug in that language), Zipf-like (s = {mixed['zipf_s']}, seeded random "
        f"ranks: the most read URL gets {mixed['top_url_share_pct']} % of the requests, the first "
        f"100 {mixed['top_100_share_pct']} %), wrk as above for {mixed['duration_s']} s",
        f"- Response cache on, shared by the workers and the editor through Redis "
        f"({mixed['redis_url']}, flushed first), warmed up by the same reads without edits "
        f"for {mixed['warmup_s']} s",
        f"- Edits: `bench.editor`, one article every {editor['interval_s']:g} s "
        f"({editor['picked']}; {' and '.join(editor['fields'])} alternately) saved through "
        f"`content_save`, on a copy of the database: {editor['edits']} done, {editor['failed']} "
        f"failed, save median {editor['save_ms']['median']} ms, max {editor['save_ms']['max']} ms"
        + "".join(f"; {message} ({n}×)" for message, n in editor["failures"].items()),
        f"- Other processes kept {mixed['other_cpu_cores']} cores busy during the mixed run "
        "(gunicorn, wrk, the editor and Redis excluded)",
        "",
        "| req/s | % of bare limit | p50 ms | p99 ms | hit ratio | hits / misses | edits "
        "| non-200 | errors | target |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---:|---|",
        f"| {mixed['rps']:.1f} | {mixed['share_of_bare_pct']:.1f} | {mixed['p50_ms']:.1f} | "
        f"{mixed['p99_ms']:.1f} | {'—' if hit_ratio is None else f'{hit_ratio:.1f} %'} | "
        f"{mixed['x_cache'].get('hit', 0)} / {mixed['x_cache'].get('miss', 0)} | "
        f"{editor['edits']} | {non_200} | {mixed['errors']} | {targets} |",
    ]


def scale_markdown(data: dict) -> str:
    small, large = label(data["sizes"]["small"]), label(data["sizes"]["large"])
    dbs = data["databases"]
    lines = [
        f"## Scale — uncached, {small} vs {large} articles, {dbs['small']['version']}",
        "",
        *_header(data),
        f"- Databases: {dbs['small']['name']} ({dbs['small']['articles']} articles), "
        f"{dbs['large']['name']} ({dbs['large']['articles']} articles)",
        "",
        f"| endpoint | req/s {small} | req/s {large} | p50 ms {small} | p50 ms {large} "
        f"| p99 ms {small} | p99 ms {large} | p50 {large}/{small} | SQL/req | errors | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in data["rows"]:
        s, lg = row["small"], row["large"]
        target = (
            f"≤ {row['target_ratio']}×: {met(row['target_met'])}"
            if row["target_ratio"] is not None
            else ""
        )
        queries = row["sql_queries"]
        lines.append(
            f"| {LABELS[row['endpoint']]} | {s['rps']:.1f} | {lg['rps']:.1f} | {s['p50_ms']:.1f} "
            f"| {lg['p50_ms']:.1f} | {s['p99_ms']:.1f} | {lg['p99_ms']:.1f} | "
            f"{row['p50_ratio']} | {queries['small']} / {queries['large']} | "
            f"{s['errors'] + lg['errors']} | {target} |"
        )
    exchange = data["exchange"]
    if exchange:
        n = label(data["sizes"]["exchange"])
        lines += [
            "",
            f"PO exchange on {n} articles (manage.py as a subprocess, wall seconds):",
            "",
            "| command | seconds | output | target |",
            "|---|---:|---|---|",
            f"| export_translations ar ({exchange['entries']} entries, "
            f"{exchange['po_bytes'] // MB} MB) | {exchange['export_s']} | "
            f"{exchange['export_output']} | ≤ {EXPORT_TARGET_S:.0f} s: "
            f"{met(exchange['export_s'] <= EXPORT_TARGET_S)} |",
            f"| import_translations, unchanged export | {exchange['import_unchanged_s']} | "
            f"{exchange['import_unchanged_output']} | ≤ {IMPORT_TARGET_S:.0f} s: "
            f"{met(exchange['import_unchanged_s'] <= IMPORT_TARGET_S)} |",
            f"| import_translations, {exchange['edited_entries']} summaries edited | "
            f"{exchange['import_edited_s']} | {exchange['import_edited_output']} | "
            f"≤ {IMPORT_TARGET_S:.0f} s: {met(exchange['import_edited_s'] <= IMPORT_TARGET_S)} |",
        ]
    lines += ["", "Gunicorn worker memory (VmRSS):", ""]
    for key, memory in data["memory"].items():
        workers = ", ".join(f"{mb} MB" for mb in memory["workers_rss_mb"].values())
        lines.append(
            f"- {label(data['sizes'][key])}: after the run {workers}; peak "
            f"{memory['peak_rss_mb']} MB; workers recycled {memory['worker_restarts']}"
        )
    generated = {n: s for n, s in data["generation_seconds"].items() if s is not None}
    if generated:
        lines.append(
            "- Generated this run: "
            + ", ".join(f"{n} articles in {s:.0f} s" for n, s in generated.items())
        )
    lines += ["", "| target | result |", "|---|---|"]
    for name, ok in data["targets"].items():
        lines.append(f"| {name} | {met(ok)} |")
    return "\n".join(lines)
