"""TLS and proxies for the stand-in: a self-signed certificate, the stand-in
served over TLS with it, and a small HTTP proxy on loopback. Shared by the
integration suite and the Windows (Wine) suite."""
import socket
import ssl
import subprocess
import threading


def make_certificate(folder):
    """A self-signed certificate for 127.0.0.1 and localhost, made with the
    openssl CLI in `folder`; returns (cert, key) paths."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    return cert, key


def serve_tls(server, certificate):
    """Makes a running FakeSentry answer over TLS with `certificate`
    ((cert, key)); its url turns https. Returns the server."""
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd = server._httpd
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True,
                                       do_handshake_on_connect=False)
    server.url = server.url.replace("http://", "https://")
    return server


class Proxy:
    """A tiny HTTP proxy on loopback: absolute-form requests and CONNECT."""

    def __init__(self):
        self.seen = []
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.url = "http://127.0.0.1:%d" % self.server.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client):
        head = b""
        while b"\r\n\r\n" not in head:
            data = client.recv(65536)
            if not data:
                client.close()
                return
            head += data
        line = head.split(b"\r\n", 1)[0].decode()
        self.seen.append(line)
        method, target, _ = line.split(" ", 2)
        if method == "CONNECT":
            host, port = target.rsplit(":", 1)
            upstream = socket.create_connection((host, int(port)))
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            rest = head.split(b"\r\n\r\n", 1)[1]
        else:
            rest_of_url = target.split("://", 1)[1]
            hostport, path = rest_of_url.split("/", 1)
            host, port = hostport.rsplit(":", 1)
            upstream = socket.create_connection((host, int(port)))
            rest = head.replace(target.encode(), b"/" + path.encode(), 1)
        if rest:
            upstream.sendall(rest)
        self._pipe(client, upstream)

    @staticmethod
    def _pipe(a, b):
        def copy(src, dst):
            try:
                while True:
                    data = src.recv(65536)
                    if not data:
                        break
                    dst.sendall(data)
            except OSError:
                pass
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        threading.Thread(target=copy, args=(b, a), daemon=True).start()
        copy(a, b)

    def close(self):
        self.server.close()


def no_proxy_env(**extra):
    """Environment overrides that clear every proxy variable, plus `extra`."""
    cleared = {k: None for k in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
                                 "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY")}
    cleared.update(extra)
    return cleared
