"""A TCP proxy in front of the Sentry stand-in that models the uplink.

Every byte a tool sends (all connections together) passes one token bucket
at the link's rate; answers come back unpaced. It also counts what the tool
sent, headers and bodies, so both tools' bytes are measured the same way.
"""
import socket
import threading
import time

READ = 256 * 1024


class TokenBucket:
    def __init__(self, rate, burst=64 * 1024):
        self.rate, self.burst = float(rate), float(burst)
        self.tokens, self.last = self.burst, time.monotonic()
        self.lock = threading.Lock()

    def take(self, n):
        """Waits until `n` bytes may pass; debts are paid in arrival order."""
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
            self.last = now
            self.tokens -= n
            wait = -self.tokens / self.rate if self.tokens < 0 else 0.0
        if wait > 0:
            time.sleep(wait)


class LinkProxy:
    """Listens on 127.0.0.1; `mbit` None means no pacing (bytes still counted)."""

    def __init__(self, mbit=None):
        self.upstream = None  # set by forward_to() before any tool runs
        self.bucket = TokenBucket(mbit * 1e6 / 8) if mbit else None
        self.sent = 0
        self.count_lock = threading.Lock()
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.url = "http://127.0.0.1:%d" % self.listener.getsockname()[1]
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def forward_to(self, upstream_url):
        host_port = upstream_url.split("://", 1)[1].split("/", 1)[0]
        host, port = host_port.rsplit(":", 1)
        self.upstream = (host, int(port))

    def take_count(self):
        with self.count_lock:
            sent, self.sent = self.sent, 0
        return sent

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            for s in (client, server):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, src, dst, upstream):
        try:
            while True:
                data = src.recv(READ)
                if not data:
                    break
                if upstream:
                    with self.count_lock:
                        self.sent += len(data)
                    if self.bucket:
                        self.bucket.take(len(data))
                dst.sendall(data)
        except OSError:
            pass
        finally:
            try:
                dst.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            if not upstream:
                for s in (src, dst):
                    try:
                        s.close()
                    except OSError:
                        pass

    def close(self):
        self.closed = True
        self.listener.close()
