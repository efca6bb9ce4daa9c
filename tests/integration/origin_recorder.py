"""A real origin server on loopback for edge tests: records every request it receives
and answers 200 with a small JSON body.

    with OriginRecorder() as origin:          # 127.0.0.1, port 0
        ... point an Access app's "origin" at origin.url ...
        seen = origin.requests_for("/marker")  # [Recorded(method, path, headers, body_length)]

Behaviour can be chosen per request by path prefix (so that tests sharing one origin do
not disturb each other), or for every request with `origin.mode`:

    /__slow/<ms>/...   answers after <ms> milliseconds (an Event wait, interruptible by
                       origin.release_slow())
    /__reset/...       resets the TCP connection (SO_LINGER 0) without answering
    /__status/<code>/  answers with that status
    Upgrade: websocket completes the handshake (101, Sec-WebSocket-Accept) and then echoes
                       every byte it receives until the client closes

A request is recorded before it is answered, so once the client has its reply the
record is there: tests need no waiting to check what the origin saw.

Stdlib only.
"""

import base64
import hashlib
import http.server
import json
import socket
import struct
import sys
import threading

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class Headers:
    """The headers as received, in order, with case-insensitive lookup."""

    def __init__(self, pairs):
        self.pairs = list(pairs)

    def get(self, name, default=None):
        for k, v in self.pairs:
            if k.lower() == name.lower():
                return v
        return default

    def get_all(self, name):
        return [v for k, v in self.pairs if k.lower() == name.lower()]

    def __contains__(self, name):
        return any(k.lower() == name.lower() for k, _ in self.pairs)

    def names(self):
        return [k for k, _ in self.pairs]

    def __repr__(self):
        return "Headers(%r)" % (self.pairs,)


class Recorded:
    def __init__(self, method, path, headers, body_length, body, client):
        self.method = method
        self.path = path  # the request target as received (path and query)
        self.headers = headers
        self.body_length = body_length
        self.body = body
        self.client = client  # (ip, port) of the peer: the edge

    def __repr__(self):
        return "Recorded(%s %s, %d header(s), %d body bytes)" % (self.method, self.path, len(self.headers.pairs),
                                                                  self.body_length)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so the edge's pool is exercised
    server_version = "origin-recorder/1"

    def log_message(self, fmt, *args):  # quiet
        pass

    # BaseHTTPRequestHandler dispatches on do_<METHOD>.
    def do_GET(self):
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = do_GET

    def _read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            body = b""
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    # trailers until the empty line
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return body
                body += self.rfile.read(size)
                self.rfile.readline(65537)  # CRLF after the chunk
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _handle(self):
        rec = self.server.recorder
        websocket = (self.headers.get("Upgrade") or "").lower() == "websocket"
        body = b"" if websocket else self._read_body()
        rec._record(Recorded(self.command, self.path, Headers(self.headers.items()), len(body), body,
                             self.client_address))
        path = self.path
        mode = rec.mode
        if websocket:
            return self._websocket()
        if path.startswith("/__reset/") or mode == "reset":
            return self._reset()
        delay_ms = 0
        if path.startswith("/__slow/"):
            delay_ms = int(path.split("/")[2])
        elif mode == "slow":
            delay_ms = rec.slow_ms
        if delay_ms:
            rec._slow_release.wait(delay_ms / 1000.0)
        status = 200
        if path.startswith("/__status/"):
            status = int(path.split("/")[2])
        payload = json.dumps({"origin": "recorder", "method": self.command, "path": path,
                              "body_length": len(body)}).encode() + b"\n"
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("X-Origin", "recorder")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _reset(self):
        # SO_LINGER with a zero timeout: close() sends RST instead of FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def _websocket(self):
        key = self.headers.get("Sec-WebSocket-Key") or ""
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        self.send_response(101, "Switching Protocols")
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        self.wfile.flush()
        # Echo raw bytes (frames come back unchanged; enough to prove the tunnel).
        self.close_connection = True
        try:
            while True:
                data = self.connection.recv(65536)
                if not data:
                    return
                self.connection.sendall(data)
        except OSError:
            return


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        # The edge gave up on a slow answer or closed a pooled connection: expected in
        # these tests, not worth a traceback. Anything else is still printed.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class OriginRecorder:
    def __init__(self, host="127.0.0.1"):
        self.host = host
        self.mode = "ok"  # "ok" | "slow" | "reset"
        self.slow_ms = 2000
        self._requests = []
        self._cond = threading.Condition()
        self._slow_release = threading.Event()
        self._server = None
        self._thread = None

    # ---- lifecycle

    def start(self):
        self._server = _Server((self.host, 0), _Handler)
        self._server.recorder = self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server:
            self._slow_release.set()
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=10)
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        return "http://%s:%d" % (self.host, self.port)

    def release_slow(self):
        """Lets every slow answer go now (and later ones too, until reset_slow())."""
        self._slow_release.set()

    def reset_slow(self):
        self._slow_release.clear()

    # ---- what was seen

    def _record(self, r):
        with self._cond:
            self._requests.append(r)
            self._cond.notify_all()

    @property
    def requests(self):
        with self._cond:
            return list(self._requests)

    def requests_for(self, path_prefix):
        """Every recorded request whose target starts with `path_prefix`."""
        return [r for r in self.requests if r.path.startswith(path_prefix)]

    def count(self):
        with self._cond:
            return len(self._requests)

    def clear(self):
        with self._cond:
            self._requests.clear()

    def wait_for(self, predicate, timeout=10.0):
        """Blocks until some recorded request satisfies `predicate` (bounded by
        `timeout`); returns it, or None."""
        with self._cond:
            found = []

            def ready():
                found[:] = [r for r in self._requests if predicate(r)]
                return bool(found)

            self._cond.wait_for(ready, timeout=timeout)
            return found[0] if found else None
