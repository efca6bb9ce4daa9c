"""Helpers for the edge tests (test_edge_*.py, test_verifiers.py, test_forward_auth.py):
requests to the edge listener with an explicit Host, raw bytes over a socket, JWT and
Set-Cookie parsing, Access apps/policies created through the admin API, and
EdgeServerTestCase: a server and an origin shared by a test class.

Stdlib only (PyJWT is used by the tests that need it, not here).
"""

import base64
import http.client
import json
import socket
import ssl
import unittest
import urllib.parse
import uuid

from gatehouse_server import HTTP_TIMEOUT, GatehouseServer, Reply
from origin_recorder import OriginRecorder

CF_RAY = "Cf-Ray"


# ---- requests to the edge


def _parse(resp, raw):
    parsed = None
    if raw and "json" in (resp.getheader("Content-Type") or ""):
        parsed = json.loads(raw)
    return Reply(resp.status, resp.headers, parsed, raw)


def edge_request(edge_url, host, path="/", method="GET", headers=(), body=None, timeout=HTTP_TIMEOUT,
                 ssl_context=None, accept="application/json"):
    """One request on a fresh connection to the edge at `edge_url`, with `Host: host`.
    `headers` is a dict or a list of (name, value) pairs (duplicates are sent as given).
    `accept` None sends no Accept header. Returns a Reply (headers: an HTTPMessage, so
    get_all("Set-Cookie") works)."""
    url = urllib.parse.urlsplit(edge_url)
    if url.scheme == "https":
        conn = http.client.HTTPSConnection(url.hostname, url.port, timeout=timeout, context=ssl_context)
    else:
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        pairs = list(headers.items()) if isinstance(headers, dict) else list(headers)
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        if host is not None:
            conn.putheader("Host", host)
        if accept is not None and not any(k.lower() == "accept" for k, _ in pairs):
            conn.putheader("Accept", accept)
        data = body.encode() if isinstance(body, str) else body
        if data is not None:
            conn.putheader("Content-Length", str(len(data)))
        for k, v in pairs:
            conn.putheader(k, v)
        conn.endheaders(data)
        resp = conn.getresponse()
        raw = resp.read()
        return _parse(resp, raw)
    finally:
        conn.close()


def raw_exchange(edge_url, data, timeout=HTTP_TIMEOUT):
    """Sends `data` (bytes, a whole request as written) on a fresh TCP connection and
    reads one reply. Returns a Reply, or None if the edge closed the connection
    without answering."""
    url = urllib.parse.urlsplit(edge_url)
    sock = socket.create_connection((url.hostname, url.port), timeout=timeout)
    try:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the edge may answer and close before it has read everything; read what it said
        resp = http.client.HTTPResponse(sock, method="GET")
        try:
            resp.begin()
        except (http.client.RemoteDisconnected, ConnectionResetError):
            return None
        raw = resp.read()
        return _parse(resp, raw)
    finally:
        sock.close()


def service_headers(token, secret=None):
    return {"CF-Access-Client-Id": token["client_id"],
            "CF-Access-Client-Secret": token["client_secret"] if secret is None else secret}


# ---- JWTs and cookies


def b64url_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def b64url_encode(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def jwt_parts(token):
    """(header dict, payload dict, signature bytes) without verifying anything."""
    h, p, s = token.split(".")
    return json.loads(b64url_decode(h)), json.loads(b64url_decode(p)), b64url_decode(s)


def jwt_encode_unsigned(header, payload, signature=b""):
    return ".".join([b64url_encode(json.dumps(header, separators=(",", ":")).encode()),
                     b64url_encode(json.dumps(payload, separators=(",", ":")).encode()),
                     b64url_encode(signature)])


def with_payload(token, **changes):
    """The token with claims changed and the original signature kept (so: a bad signature)."""
    h, p, s = token.split(".")
    payload = json.loads(b64url_decode(p))
    payload.update(changes)
    return ".".join([h, b64url_encode(json.dumps(payload, separators=(",", ":")).encode()), s])


class SetCookie:
    """One Set-Cookie header: name, value, attrs (lower-case name -> value or True)."""

    def __init__(self, text):
        self.text = text
        parts = [p.strip() for p in text.split(";")]
        self.name, _, self.value = parts[0].partition("=")
        self.attrs = {}
        self.order = []
        for p in parts[1:]:
            k, eq, v = p.partition("=")
            self.attrs[k.strip().lower()] = v.strip() if eq else True
            self.order.append(k.strip())

    def __repr__(self):
        return "SetCookie(%r)" % self.text


def set_cookies(reply, name="CF_Authorization"):
    return [SetCookie(v) for v in (reply.headers.get_all("Set-Cookie") or []) if v.split("=", 1)[0].strip() == name]


def the_cookie(testcase, reply):
    cookies = set_cookies(reply)
    testcase.assertEqual(len(cookies), 1, "expected one CF_Authorization Set-Cookie, got %r" % (cookies,))
    return cookies[0]


# ---- apps and policies through the admin API


def unique(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:10])


def service_auth(token_ids, name=None):
    """An inline Service Auth policy for the given token ids."""
    return {"name": name or unique("svc"), "decision": "non_identity",
            "include": [{"service_token": {"token_id": t}} for t in token_ids]}


class Apps:
    """Creates Access apps pointing at an origin. Hosts are unique per call (`<name>-<rand>.test`)."""

    def __init__(self, server, origin_url):
        self.server = server
        self.origin_url = origin_url

    def path(self, suffix=""):
        return self.server.acct("/access/apps" + suffix)

    def create(self, name, policies, domain=None, origin=None, **fields):
        host = domain or "%s.test" % unique(name)
        body = {"type": "self_hosted", "name": unique(name), "domain": host,
                "origin": origin or self.origin_url, "policies": policies}
        body.update(fields)
        app = self.server.ok("POST", self.path(), body)
        return app

    def token_app(self, name, tokens, **fields):
        """An app whose only policy is Service Auth for `tokens` (token objects or ids)."""
        ids = [t["id"] if isinstance(t, dict) else t for t in tokens]
        return self.create(name, [service_auth(ids)], **fields)

    def update(self, app_id, **fields):
        return self.server.ok("PUT", self.path("/" + app_id), fields)


def host_of(app):
    return app["domain"].split("/", 1)[0]


def set_org(server, **fields):
    return server.ok("PATCH", server.acct("/access/organizations"), fields)


def https_context_for(cert_file):
    ctx = ssl.create_default_context(cafile=cert_file)
    ctx.check_hostname = False  # the edge is addressed as 127.0.0.1; the cert names the app host
    return ctx


# ---- a server and an origin for a test class


class EdgeServerTestCase(unittest.TestCase):
    """Starts an OriginRecorder (cls.origin) and a real `gatehouse serve` (cls.server) once
    for the class, with cls.apps making apps that forward to the origin; stops both after
    the class. Subclasses extend setUpClass (call super() first); `server_env` adds
    environment variables for the server."""
    server = origin = apps = None
    server_env = None

    @classmethod
    def setUpClass(cls):
        cls.origin = OriginRecorder().start()
        try:
            cls.server = GatehouseServer(env=cls.server_env).start()
        except BaseException:
            cls.origin.stop()
            raise
        cls.apps = Apps(cls.server, cls.origin.url)

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.server:
                cls.server.cleanup()
        finally:
            if cls.origin:
                cls.origin.stop()
