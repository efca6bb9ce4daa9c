"""A webhook endpoint on loopback for the alert tests: records every POST (path,
headers, parsed JSON) and answers `status` (200 by default; set 503 to play a
receiver that is down).

    with WebhookReceiver() as hook:
        hook.url                  # http://127.0.0.1:PORT/hook
        hook.wait_for(1)          # polls (bounded deadline)
"""

import http.server
import json
import threading
import time


class Post:
    def __init__(self, path, headers, body):
        self.path = path
        self.headers = headers
        self.raw = body
        self.json = json.loads(body) if body else None

    def __repr__(self):
        return "Post(%s, %r)" % (self.path, self.raw[:300])


class WebhookReceiver:
    def __init__(self, status=200):
        self.status = status
        self.posts = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                status = receiver.status
                if status < 300:
                    with receiver.lock:
                        receiver.posts.append(Post(self.path, dict(self.headers.items()), body))
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return "http://127.0.0.1:%d/hook" % self.server.server_address[1]

    def received(self):
        with self.lock:
            return list(self.posts)

    def wait_for(self, count, timeout=60.0):
        deadline = time.monotonic() + timeout
        while True:
            got = self.received()
            if len(got) >= count:
                return got
            if time.monotonic() >= deadline:
                raise AssertionError("expected %d webhook POST(s) within %.0fs, got %d: %r" % (
                    count, timeout, len(got), got))
            time.sleep(0.05)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
