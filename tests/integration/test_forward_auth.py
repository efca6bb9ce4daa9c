"""Forward-auth with a real nginx in front (compat.md §3): nginx's auth_request asks
Gatehouse's /cdn-cgi/access/authorize on the edge listener, then proxies to the origin
(origin_recorder.py). The nginx configuration is docs/edge-forward-auth-nginx.conf
itself, with its three addresses filled in, so the documented example cannot rot.

Needs Debian's nginx (scripts/install-deps.sh); the test is skipped without it.

Run: cd tests/integration && GATEHOUSE_BIN=../../build/debug/src/gatehouse python3 -m unittest -v test_forward_auth
"""

import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse
import uuid

from edge_client import Apps, edge_request, host_of, jwt_parts, service_headers, set_cookies, unique
from gatehouse_server import GatehouseServer, checksummed
from origin_recorder import OriginRecorder

HERE = os.path.dirname(os.path.abspath(__file__))
DOC = os.path.join(HERE, "..", "..", "docs", "edge-forward-auth-nginx.conf")
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
START_TIMEOUT = 20.0


def free_port():
    """A port that was free a moment ago (nginx cannot listen on port 0 and tell us)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render_config(text, listen_port, edge_hostport, origin_hostport, prefix):
    """The documented config with our addresses, and the paths a non-root nginx in a
    temp dir needs (Debian's build has absolute temp and log paths under /var)."""
    subs = [
        (r"server 127\.0\.0\.1:8080;", "server %s;" % edge_hostport),
        (r"server 127\.0\.0\.1:3000;", "server %s;" % origin_hostport),
        (r"listen 80;", "listen 127.0.0.1:%d;" % listen_port),
    ]
    for pattern, repl in subs:
        text, n = re.subn(pattern, repl, text)
        assert n == 1, "docs/edge-forward-auth-nginx.conf no longer has %r exactly once" % pattern
    sandbox = "\n".join("    %s %s;" % (d, os.path.join(prefix, name)) for d, name in (
        ("client_body_temp_path", "body"), ("proxy_temp_path", "proxy"), ("fastcgi_temp_path", "fastcgi"),
        ("uwsgi_temp_path", "uwsgi"), ("scgi_temp_path", "scgi"), ("access_log", "access.log")))
    text, n = re.subn(r"^http \{$", "http {\n" + sandbox, text, flags=re.M)
    assert n == 1, "docs/edge-forward-auth-nginx.conf has no top-level 'http {' line"
    return text


class Nginx:
    def __init__(self, config_text):
        self.dir = tempfile.mkdtemp(prefix="gatehouse-nginx-")
        self.port = free_port()
        self.conf = os.path.join(self.dir, "nginx.conf")
        self.config_text = config_text
        self.proc = None
        self.stderr = []

    def start(self, edge_hostport, origin_hostport):
        with open(self.conf, "w") as f:
            f.write(render_config(self.config_text, self.port, edge_hostport, origin_hostport, self.dir))
        self.proc = subprocess.Popen(
            [NGINX, "-p", self.dir, "-e", "stderr", "-c", self.conf,
             "-g", "daemon off; master_process off; pid %s/nginx.pid; error_log stderr;" % self.dir],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        threading.Thread(target=self._pump, daemon=True).start()
        # Ready when it accepts connections (nginx prints nothing on start).
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                raise AssertionError("nginx exited with %s:\n%s" % (self.proc.returncode, self.log()))
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("nginx did not listen within %.0fs:\n%s" % (START_TIMEOUT, self.log()))
                threading.Event().wait(0.02)

    def _pump(self):
        for line in self.proc.stderr:
            self.stderr.append(line.rstrip("\n"))

    def log(self):
        return "\n".join(self.stderr)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


@unittest.skipIf(NGINX is None, "nginx is not installed (scripts/install-deps.sh)")
class ForwardAuthNginxTest(unittest.TestCase):
    server = origin = nginx = None

    @classmethod
    def setUpClass(cls):
        cls.origin = OriginRecorder().start()
        try:
            cls.server = GatehouseServer().start()
            apps = Apps(cls.server, "http://127.0.0.1:9")  # forward-auth: the origin field is not used
            cls.tok = cls.server.create_token(unique("fa"))
            cls.other = cls.server.create_token(unique("fa-other"))
            cls.app = apps.token_app("fa", [cls.tok])
            cls.app401 = apps.token_app("fa401", [cls.tok], service_auth_401_redirect=True)
            with open(DOC) as f:
                cls.doc = f.read()
            edge = urllib.parse.urlsplit(cls.server.edge_url)
            cls.nginx = Nginx(cls.doc).start("127.0.0.1:%d" % edge.port, "127.0.0.1:%d" % cls.origin.port)
        except BaseException:
            cls.tearDownClass()
            raise
        cls.nginx_url = "http://127.0.0.1:%d" % cls.nginx.port

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.nginx:
                cls.nginx.stop()
            if cls.server:
                cls.server.cleanup()
        finally:
            if cls.origin:
                cls.origin.stop()

    def via_nginx(self, app, headers, path=None):
        path = path or "/fa/" + uuid.uuid4().hex
        r = edge_request(self.nginx_url, host_of(app), path, headers=headers)
        return r, path, self.origin.requests_for(path)

    def assertNothingReached(self, r, status, path, seen):
        self.assertEqual(r.status, status, "%r\n--- nginx ---\n%s" % (r, self.nginx.log()))
        self.assertEqual(seen, [], "the origin must see nothing for a refused request")

    def test_a_valid_token_passes_and_the_origin_gets_the_assertion(self):
        r, path, seen = self.via_nginx(self.app, service_headers(self.tok))
        self.assertEqual(r.status, 200, "%r\n--- nginx ---\n%s" % (r, self.nginx.log()))
        self.assertEqual(r.body["origin"], "recorder")
        self.assertEqual(len(seen), 1)
        jwt = seen[0].headers.get("Cf-Access-Jwt-Assertion")
        self.assertTrue(jwt, seen[0].headers)
        _, claims, _ = jwt_parts(jwt)
        self.assertEqual(claims["aud"], [self.app["aud"]])
        self.assertEqual(claims["service_token_id"], self.tok["id"])
        self.assertIsNone(seen[0].headers.get("CF-Access-Client-Secret"), "the secret stays at the gate")
        self.assertEqual(seen[0].path, path)
        # The session cookie reaches the client, and then works alone.
        cookies = set_cookies(r)
        self.assertEqual(len(cookies), 1, r.headers)
        self.assertEqual(cookies[0].value, jwt)
        r, _, seen = self.via_nginx(self.app, {"Cookie": "CF_Authorization=" + jwt})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(seen[0].headers.get("Cf-Access-Jwt-Assertion"), jwt)

    def test_no_or_invalid_credentials_are_refused_before_the_origin(self):
        wrong = service_headers(self.tok, checksummed("cfast_", "D" * 40))
        for headers in ({}, wrong, {"cf-access-token": "a.b.c"}):
            with self.subTest(headers=headers):
                r, path, seen = self.via_nginx(self.app, headers)
                self.assertNothingReached(r, 403, path, seen)
        # A valid token that no policy admits: 403.
        r, path, seen = self.via_nginx(self.app, service_headers(self.other))
        self.assertNothingReached(r, 403, path, seen)

    def test_service_auth_401_redirect_gives_401(self):
        r, path, seen = self.via_nginx(self.app401, {})
        self.assertNothingReached(r, 401, path, seen)
        r, _, seen = self.via_nginx(self.app401, service_headers(self.tok))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(seen), 1)

    def test_the_authorize_endpoint_answers_directly(self):
        # What nginx sends, sent by hand: the decision is for the forwarded request.
        base = {"X-Forwarded-Host": host_of(self.app), "X-Forwarded-Uri": "/x?y=1", "X-Forwarded-Method": "GET",
                "X-Forwarded-For": "192.0.2.7"}
        r = edge_request(self.server.edge_url, "gatehouse_edge", "/cdn-cgi/access/authorize",
                         headers=dict(base, **service_headers(self.tok)))
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers.get("Cf-Access-Jwt-Assertion"))
        self.assertTrue(r.headers.get("Cf-Ray"))
        r = edge_request(self.server.edge_url, "gatehouse_edge", "/cdn-cgi/access/authorize", headers=base)
        self.assertEqual(r.status, 403, r)
        self.assertEqual(r.body["reason"], "no_credentials")
        r = edge_request(self.server.edge_url, "gatehouse_edge", "/cdn-cgi/access/authorize")
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.body["reason"], "forward_auth_incomplete")
        self.assertEqual(self.origin.requests_for("/x"), [])


if __name__ == "__main__":
    unittest.main()
