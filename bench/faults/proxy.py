"""A TCP proxy the caller controls: forward, refuse, blackhole, cut (threads, stdlib only).

Put between the application and a dependency (``REDIS_URL`` pointing at the
proxy), it makes the faults a network gives rather than the ones a stopped
process gives:

- :meth:`TcpProxy.forward`: relay both ways (the initial mode);
- :meth:`TcpProxy.refuse`: stop listening (new connections are refused) and cut
  the existing ones, as a server going away does, while the server behind keeps
  its data: when forwarding again, the application meets its old entries;
- :meth:`TcpProxy.blackhole`: accept connections and never answer, and relay
  nothing more on the existing ones (a partition, a hung server): only the
  client's timeouts end its wait. Connections that were blackholed are cut when
  forwarding resumes (what was sent into the hole is lost, so the protocol's
  state on them is unknown);
- :meth:`TcpProxy.cut`: close every existing connection, keep the mode.
"""

import contextlib
import socket
import threading

from bench.processes import free_port

FORWARD, REFUSE, BLACKHOLE = "forward", "refuse", "blackhole"


class _Link:
    """A client connection and, unless it was accepted into the blackhole, its upstream."""

    def __init__(self, client: socket.socket, upstream: socket.socket | None) -> None:
        self.client = client
        self.upstream = upstream
        self.blackholed = upstream is None
        self._closed = False
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        for sock in (self.client, self.upstream):
            if sock is None:
                continue
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes the pump blocked in recv()
            sock.close()


class TcpProxy:
    """Listens on 127.0.0.1:``port`` and relays to 127.0.0.1:``upstream_port``."""

    def __init__(self, upstream_port: int, port: int | None = None) -> None:
        self.upstream_port = upstream_port
        self.port = port or free_port()
        self.mode = FORWARD
        self.accepted = 0
        self._links: set[_Link] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    # Control

    def start(self) -> "TcpProxy":
        self._listen()
        self._thread = threading.Thread(target=self._serve, name=f"proxy-{self.port}", daemon=True)
        self._thread.start()
        return self

    def forward(self) -> None:
        with self._lock:
            previous, self.mode = self.mode, FORWARD
            holed = [link for link in self._links if link.blackholed]
        for link in holed:
            link.close()
        if previous == REFUSE:
            self._listen()

    def refuse(self) -> None:
        with self._lock:
            self.mode = REFUSE
            listener, self._listener = self._listener, None
        if listener is not None:
            # Stops listening at once (close() alone waits for the accept loop's poll to end).
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        self.cut()

    def blackhole(self) -> None:
        with self._lock:
            previous, self.mode = self.mode, BLACKHOLE
            for link in self._links:
                link.blackholed = True
        if previous == REFUSE:
            self._listen()

    def cut(self) -> None:
        with self._lock:
            links = list(self._links)
        for link in links:
            link.close()

    def close(self) -> None:
        self._stopped.set()
        self.refuse()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def connections(self) -> int:
        with self._lock:
            return len(self._links)

    # Relaying

    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        listener.settimeout(0.1)  # the accept loop notices a closed listener
        with self._lock:
            self._listener = listener

    def _serve(self) -> None:
        while not self._stopped.is_set():
            listener = self._listener
            if listener is None:
                self._stopped.wait(0.05)
                continue
            try:
                client, _address = listener.accept()
            except (TimeoutError, OSError):
                continue
            client.settimeout(None)
            self._admit(client)

    def _admit(self, client: socket.socket) -> None:
        self.accepted += 1
        upstream = None
        if self.mode == FORWARD:
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()  # the server behind is down: so is the connection
                return
        link = _Link(client, upstream)
        with self._lock:
            if self.mode != FORWARD and upstream is not None:
                link.blackholed = True
            self._links.add(link)
        self._pump_in_thread(link, client, upstream)
        if upstream is not None:
            self._pump_in_thread(link, upstream, client)

    def _pump_in_thread(self, link: _Link, source: socket.socket, target) -> None:
        threading.Thread(target=self._pump, args=(link, source, target), daemon=True).start()

    def _pump(self, link: _Link, source: socket.socket, target: socket.socket | None) -> None:
        try:
            while data := source.recv(65536):
                if not link.blackholed and target is not None:
                    target.sendall(data)
        except OSError:
            pass
        finally:
            link.close()
            with self._lock:
                self._links.discard(link)
