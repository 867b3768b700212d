"""Profile one benchmark endpoint in-process with pyinstrument (uncached, production settings).

    .venv/bin/pip install pyinstrument        # not a project dependency
    .venv/bin/python -m bench.profile detail  # list, detail, contacts, search, topic, limit
    .venv/bin/python -m bench.profile list --repeat 50 --html /tmp/list.html
    .venv/bin/python -m bench.profile detail --time   # no profiler: CPU ms per request

Uses the same database and URLs as bench.run (bench.probe picks them), the
Django test client and ``API_RESPONSE_CACHE_SECONDS=0`` (``--cached``: 300, so the
requests measured are hits). Prints the call tree of
``--repeat`` warm requests, and the mean time per request.
"""

import argparse
import os
import secrets
import sys
import time


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "endpoint", choices=["list", "detail", "contacts", "search", "topic", "limit"]
    )
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--html", help="also write pyinstrument's HTML report here")
    parser.add_argument(
        "--time", action="store_true", help="no profiler: CPU time per request (best of 5 runs)"
    )
    parser.add_argument(
        "--cached",
        action="store_true",
        help="with the server-side response cache on (the requests measured are hits)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ.setdefault("API_THROTTLE_RATE", "100000000/second")
    os.environ["API_RESPONSE_CACHE_SECONDS"] = "300" if args.cached else "0"
    os.environ.pop("DEBUG", None)
    import django

    django.setup()
    from django.test import Client

    from bench.probe import HEADERS, endpoints

    path = endpoints()[args.endpoint]
    client = Client(**HEADERS)
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    if args.time:
        runs = []
        for _ in range(5):
            started = time.process_time()
            for _ in range(args.repeat):
                client.get(path)
            runs.append((time.process_time() - started) / args.repeat)
        sys.stdout.write(f"{args.endpoint}: {min(runs) * 1000:.2f} ms of CPU per request\n")
        return
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    profiler.start()
    for _ in range(args.repeat):
        client.get(path)
    profiler.stop()
    elapsed = (time.perf_counter() - started) / args.repeat
    sys.stdout.write(
        profiler.output_text(
            unicode=True, color=False, show_all=bool(os.environ.get("PROFILE_ALL"))
        )
    )
    sys.stdout.write(f"\n{args.endpoint}: {elapsed * 1000:.1f} ms per request (profiled)\n")
    if args.html:
        with open(args.html, "w", encoding="utf-8") as handle:
            handle.write(profiler.output_html())


if __name__ == "__main__":
    main()
