"""A webhook receiver (a small local HTTP server) and the real task worker, for the tests."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from clinic.events.models import Endpoint


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Records every request; answers each with the next of ``answers`` (then 204)."""

    url: str
    requests: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    #: Seconds to wait before answering (a slow endpoint).
    delay: float = 0.0
    #: Where a 3xx answer points.
    location: str = "/elsewhere"

    def endpoint(self, **fields) -> Endpoint:
        return Endpoint.objects.create(name="Frontend", url=self.url, **fields)


@pytest.fixture
def receiver():
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.requests.append(
                Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            if state.delay:
                time.sleep(state.delay)
            status = state.answers.pop(0) if state.answers else 204
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", state.location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/clinic"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _loopback_allowed(settings):
    """The receiver listens on loopback, which production refuses (tested on its own)."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 5.0


@pytest.fixture
def run_worker():
    """Run django-tasks' database worker until no task is due (``db_worker --batch``)."""

    def run() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "webhooks")

    return run
