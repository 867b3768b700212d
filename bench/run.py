"""API benchmark: wrk against gunicorn in production settings (see bench/README.md).

    .venv/bin/python -m bench.run            # N=1000 articles; SQLite unless DATABASE_URL is set
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python -m bench.run --scale

Default mode: generates the data if needed (bench.generate), measures SQL queries
and response sizes in-process (bench.probe), starts two gunicorn instances with the
repository's gunicorn.conf.py (server-side response cache off and on) and a third
for the bare limit (bench.bare: Django with no app and no middleware, answering
the bytes of the project's Arabic detail), and runs wrk on each endpoint, on the
project-stack limit view and on the bare limit, in interleaved rounds; then the
mixed run (bench.mixed): Zipf-distributed reads of every article detail with the
cache on, in Redis, while bench.editor saves one article a second. Scale mode:
the same endpoints, uncached, at 1,000 and 100,000 articles on PostgreSQL, and
the timing of the PO export and import on 10,000 articles.

Prints Markdown tables and writes bench/results/<timestamp>.json (and .md).

The processes (settings, gunicorn, CPU and memory) are bench.processes, the wrk
load driver bench.load, the mixed run bench.mixed, the tables and result files
bench.report; this module runs the two modes step by step.
"""

import argparse
import os
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.bare import PATH as BARE_PATH
from bench.config import Config
from bench.editor import EDIT_SUFFIXES, toggle_suffix
from bench.load import ensure_wrk, measure, serving
from bench.mixed import DEFAULT_REDIS_URL, check_redis, run_mixed
from bench.processes import (
    Server,
    base_env,
    check_quiet,
    database_url_for,
    ensure_database,
    fetch,
    generate,
    probe,
    run_command,
    say,
)
from bench.report import (
    default_markdown,
    default_rows,
    default_targets,
    label,
    load_summary,
    machine,
    mixed_summary,
    publish,
    run_settings,
    scale_markdown,
    scale_rows,
    scale_targets,
    summarise,
    timestamp,
)

ENDPOINTS = ("list", "detail", "contacts", "search", "topic")
CACHE_ON_SECONDS = 300


def size_limit_view(facts: dict[str, dict], servers: list[Server]) -> int:
    """The project-stack limit view answers a body as large as the Arabic detail: recorded, and
    set on servers."""
    limit_bytes = facts["detail"]["bytes"]
    facts["limit"]["bytes"] = limit_bytes  # by construction; verify() checks it through gunicorn
    for server in servers:
        server.env["BENCH_LIMIT_BYTES"] = str(limit_bytes)
    return limit_bytes


# Default mode


def run_default(cfg: Config) -> None:
    """Every endpoint, cache off and on, as shares of the two limits; then the mixed run."""
    database_url = os.environ.get("DATABASE_URL") or None
    stamp = timestamp()
    if database_url and database_url.startswith(("postgres://", "postgresql://")):
        ensure_database(database_url)
    if not cfg.skip_mixed:
        check_redis(cfg.mixed_redis_url)
    generation = generate(database_url, cfg.n)
    log_dir = Path(tempfile.mkdtemp(prefix=f"bench-{stamp}-"))
    servers = cache_servers(database_url, cfg, log_dir)
    info = probe(database_url, servers["off"].port)
    facts = info["endpoints"]
    limit_bytes = size_limit_view(facts, list(servers.values()))
    paths = {name: fact["path"] for name, fact in facts.items()}
    plan = [(endpoint, key) for endpoint in ENDPOINTS for key in ("off", "on")]
    plan += [("limit", "off"), ("bare", "bare"), ("bare-list", "bare-list")]
    quiet = check_quiet()
    with serving(servers, cfg.workers):
        bare, facts["bare"] = bare_server(servers["off"].url(paths["detail"]), cfg, log_dir)
        # For information: the same bare view with the list's bytes (what its size costs).
        bare_list, facts["bare-list"] = bare_server(
            servers["off"].url(paths["list"]), cfg, log_dir, name="bare-list"
        )
        with serving({"bare": bare, "bare-list": bare_list}, cfg.workers):
            runs, memory = measure(
                plan,
                {**servers, "bare": bare, "bare-list": bare_list},
                {
                    "off": paths,
                    "on": paths,
                    "bare": {"bare": facts["bare"]["path"]},
                    "bare-list": {"bare-list": facts["bare-list"]["path"]},
                },
                {
                    "off": facts,
                    "on": facts,
                    "bare": {"bare": facts["bare"]},
                    "bare-list": {"bare-list": facts["bare-list"]},
                },
                cfg,
            )
    results = {f"{endpoint}:{key}": summarise(runs[(endpoint, key)]) for endpoint, key in plan}
    rows = default_rows(plan, results, facts)
    mixed = None
    if not cfg.skip_mixed:
        figures, memory["mixed"] = run_mixed(database_url, info["detail_paths"], cfg, log_dir)
        mixed = mixed_summary(figures, results)
    data = {
        "kind": "default",
        "timestamp": stamp,
        "machine": machine(info),
        "n_articles": cfg.n,
        "database": info["database"],
        "generation_seconds": generation,
        "settings": {
            **run_settings(
                cfg,
                cache="Redis " + os.environ["REDIS_URL"]
                if os.environ.get("REDIS_URL")
                else "local memory (one cache per worker)",
            ),
            "limit_bytes": limit_bytes,
            "bare_bytes": facts["bare"]["bytes"],
            "bare_content_type": facts["bare"]["content_type"],
            "other_load": load_summary(quiet, runs),
        },
        "rows": rows,
        "mixed": mixed,
        "memory": memory,
        "targets": default_targets(rows, memory, mixed),
        "probe": facts,
        "results": results,
    }
    publish(stamp, data, default_markdown(data), log_dir)


def cache_servers(database_url: str | None, cfg: Config, log_dir: Path) -> dict[str, Server]:
    """Two gunicorn instances on the same database: response cache off and on."""
    env = {**base_env(database_url), "WEB_CONCURRENCY": str(cfg.workers)}
    return {
        "off": Server("cache-off", {**env, "API_RESPONSE_CACHE_SECONDS": "0"}, log_dir),
        "on": Server(
            "cache-on", {**env, "API_RESPONSE_CACHE_SECONDS": str(CACHE_ON_SECONDS)}, log_dir
        ),
    }


def bare_server(url: str, cfg: Config, log_dir: Path, *, name: str = "bare") -> tuple[Server, dict]:
    """A bare limit's gunicorn, set to answer what ``url`` answers now; its facts.

    The body is fetched from the project's own server (the cache-off instance),
    written to ``log_dir`` and served with the same Content-Type.
    """
    status, body, content_type = fetch(url)
    if status != 200:
        raise SystemExit(f"{url} answered HTTP {status}: {body[:300]!r}")
    body_file = log_dir / f"{name}-body"
    body_file.write_bytes(body)
    env = {
        **base_env(None),
        "DJANGO_SETTINGS_MODULE": "bench.bare.settings",
        "WEB_CONCURRENCY": str(cfg.workers),
        "BENCH_BARE_BODY": str(body_file),
        "BENCH_BARE_CONTENT_TYPE": content_type,
    }
    path = f"/{BARE_PATH}"
    server = Server(name, env, log_dir, app="bench.bare.wsgi:application", ready_path=path)
    facts = {
        "path": path,
        "bytes": len(body),
        "content_type": content_type,
        "queries": 0,
        "cached_queries": 0,
    }
    return server, facts


# Scale mode


def run_scale(cfg: Config) -> None:
    """The same endpoints, uncached, on a small and a large database; then the PO timing."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "--scale needs DATABASE_URL pointing to PostgreSQL, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres"
        )
    stamp = timestamp()
    sizes = {"small": cfg.small, "large": cfg.large}
    urls = {key: database_url_for(base, f"bench_{label(n)}") for key, n in sizes.items()}
    exchange_url = database_url_for(base, f"bench_{label(cfg.exchange)}")
    generation = scale_data(cfg, sizes, urls, exchange_url)
    log_dir = Path(tempfile.mkdtemp(prefix=f"bench-{stamp}-"))
    servers, infos = scale_servers(cfg, sizes, urls, log_dir)
    facts = {key: info["endpoints"] for key, info in infos.items()}
    paths = {key: {name: fact["path"] for name, fact in facts[key].items()} for key in urls}
    plan = [(endpoint, key) for endpoint in (*ENDPOINTS, "limit") for key in sizes]
    quiet = check_quiet()
    with serving(servers, cfg.workers):
        runs, memory = measure(plan, servers, paths, facts, cfg)
    exchange = None if cfg.skip_exchange else time_exchange(exchange_url)
    results = {f"{endpoint}:{key}": summarise(runs[(endpoint, key)]) for endpoint, key in plan}
    rows = scale_rows((*ENDPOINTS, "limit"), results, facts, sizes)
    data = {
        "kind": "scale",
        "timestamp": stamp,
        "machine": machine(infos["small"]),
        "sizes": {key: n for key, n in sizes.items()} | {"exchange": cfg.exchange},
        "databases": {key: infos[key]["database"] for key in sizes},
        "generation_seconds": generation,
        "settings": {
            **run_settings(cfg, cache="off (API_RESPONSE_CACHE_SECONDS=0)"),
            "other_load": load_summary(quiet, runs),
        },
        "rows": rows,
        "exchange": exchange,
        "memory": memory,
        "targets": scale_targets(rows, memory, cfg, exchange),
        "probe": facts,
        "results": results,
    }
    publish(f"{stamp}-scale", data, scale_markdown(data), log_dir)


def scale_data(
    cfg: Config, sizes: dict[str, int], urls: dict[str, str], exchange_url: str
) -> dict[str, float | None]:
    """Create and fill the databases that lack articles; seconds spent per size (None: none)."""
    generation = {}
    for key, n in [*sizes.items(), *([] if cfg.skip_exchange else [("exchange", cfg.exchange)])]:
        url = exchange_url if key == "exchange" else urls[key]
        ensure_database(url)
        say(f"data: {n} articles in {urlsplit(url).path.lstrip('/')}")
        generation[label(n)] = generate(url, n)
    return generation


def scale_servers(
    cfg: Config, sizes: dict[str, int], urls: dict[str, str], log_dir: Path
) -> tuple[dict[str, Server], dict[str, dict]]:
    """One uncached gunicorn per database, and bench.probe's facts about each."""
    servers, infos = {}, {}
    for key, url in urls.items():
        env = {**base_env(url), "API_RESPONSE_CACHE_SECONDS": "0"}
        env["WEB_CONCURRENCY"] = str(cfg.workers)
        servers[key] = Server(f"{label(sizes[key])}-uncached", env, log_dir)
        infos[key] = probe(url, servers[key].port)
        size_limit_view(infos[key]["endpoints"], [servers[key]])
    return servers, infos


# PO exchange timing (scale mode)


def edit_po(source: Path, target: Path, every: int = 10) -> int:
    """A copy of an exported PO file, the summary of every ``every``-th article edited."""
    import polib

    po = polib.pofile(str(source), wrapwidth=79)
    edited = 0
    for entry in po:
        model, _sep, rest = (entry.msgctxt or "").partition(":")
        pk, _sep, field = rest.partition(":")
        if model != "articles.article" or field != "summary" or int(pk) % every or not entry.msgstr:
            continue
        entry.msgstr = toggle_suffix(entry.msgstr, EDIT_SUFFIXES["ar"])
        edited += 1
    po.save(str(target))
    return edited


def time_exchange(database_url: str) -> dict:
    """Wall seconds of ``manage.py`` export, unchanged import and edited import, as subprocesses."""
    env = base_env(database_url)
    with tempfile.TemporaryDirectory(prefix="bench-po-") as folder:
        exported = Path(folder) / "ar.po"
        edited = Path(folder) / "ar-edited.po"
        say("export_translations ar")
        export_s, export_out = run_command(["export_translations", "ar", "-o", str(exported)], env)
        entries = sum(
            1 for line in exported.read_text("utf-8").splitlines() if line.startswith("msgctxt")
        )
        say(f"  {export_s} s, {entries} entries; import_translations (unchanged)")
        same_s, same_out = run_command(["import_translations", str(exported), "--lang", "ar"], env)
        edits = edit_po(exported, edited)
        say(f"  {same_s} s; import_translations ({edits} entries edited)")
        edit_s, edit_out = run_command(["import_translations", str(edited), "--lang", "ar"], env)
        say(f"  {edit_s} s")
        size = exported.stat().st_size
    return {
        "export_s": export_s,
        "export_output": export_out,
        "entries": entries,
        "po_bytes": size,
        "import_unchanged_s": same_s,
        "import_unchanged_output": same_out,
        "edited_entries": edits,
        "import_edited_s": edit_s,
        "import_edited_output": edit_out,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    env = os.environ.get
    parser.add_argument("--scale", action="store_true", help="1k vs 100k on PostgreSQL, PO timing")
    parser.add_argument("--n", type=int, default=int(env("N") or 1000), help="articles (default)")
    parser.add_argument("--threads", type=int, default=int(env("BENCH_THREADS") or 2))
    parser.add_argument("--connections", type=int, default=int(env("BENCH_CONNECTIONS") or 8))
    parser.add_argument(
        "--duration", type=int, default=int(env("BENCH_DURATION") or 6), help="seconds per run"
    )
    parser.add_argument("--warmup", type=int, default=int(env("BENCH_WARMUP") or 2))
    parser.add_argument("--rounds", type=int, default=int(env("BENCH_ROUNDS") or 3))
    parser.add_argument("--workers", type=int, default=int(env("WEB_CONCURRENCY") or 2))
    parser.add_argument("--small", type=int, default=int(env("SCALE_SMALL") or 1000))
    parser.add_argument("--large", type=int, default=int(env("SCALE_LARGE") or 100_000))
    parser.add_argument("--exchange", type=int, default=int(env("SCALE_EXCHANGE") or 10_000))
    parser.add_argument("--skip-exchange", action="store_true", help="scale: no PO timing")
    parser.add_argument("--skip-mixed", action="store_true", help="default: no mixed run")
    parser.add_argument(
        "--mixed-duration",
        type=int,
        default=int(env("BENCH_MIXED_DURATION") or 30),
        help="seconds of the mixed run",
    )
    parser.add_argument(
        "--mixed-redis-url",
        default=env("BENCH_MIXED_REDIS_URL") or DEFAULT_REDIS_URL,
        help="the mixed run's Redis database (flushed)",
    )
    args = parser.parse_args(argv)
    cfg = Config(
        n=args.n,
        threads=args.threads,
        connections=args.connections,
        duration=args.duration,
        warmup=args.warmup,
        rounds=args.rounds,
        workers=args.workers,
        small=args.small,
        large=args.large,
        exchange=args.exchange,
        skip_exchange=args.skip_exchange,
        skip_mixed=args.skip_mixed,
        mixed_duration=args.mixed_duration,
        mixed_redis_url=args.mixed_redis_url,
    )
    ensure_wrk()
    started = time.monotonic()
    if args.scale:
        run_scale(cfg)
    else:
        run_default(cfg)
    say(f"total {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
