"""The edge end to end (compat.md §2, §3): a real `gatehouse serve`, apps and policies
made through the admin API, requests through the edge listener to a real origin
(origin_recorder.py) that records what it received.

The seed flow (token headers -> 200 + cookie + assertion; the cookie alone; the
cf-access-token header), refusals with their reason slugs (wrong secret, unknown id,
expired, disabled, deleted — also for a cookie issued before), rotation grace, strict
mode, Allow/Bypass/Block/IP policies, 401 redirect, JSON vs HTML denials, the in-band
expiry warning, signing-key rotation, revoke_tokens, and the /cdn-cgi/access endpoints.

Run: cd tests/integration && GATEHOUSE_BIN=../../build/debug/src/gatehouse python3 -m unittest -v test_edge_flow
"""

import email.utils
import http.client
import re
import socket
import time
import unittest
import urllib.parse
import uuid

from edge_client import (EdgeServerTestCase, b64url_decode, edge_request, host_of, jwt_parts, service_auth,
                         service_headers, set_cookies, set_org, the_cookie, unique)
from gatehouse_server import checksummed, parse_rfc3339, rfc3339

KID_RE = re.compile(r"^[0-9a-f]{64}$")
RAY_RE = re.compile(r"^\S+$")
# compat.md §2.2, in this order; Secure only over TLS (test_edge_tls.py).
COOKIE_RE = re.compile(r"^CF_Authorization=([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+); Path=/; "
                       r"Expires=([^;]+); HttpOnly; SameSite=(Lax|Strict|None)$")
DENIAL_FIELDS = {"success", "status", "reason", "message", "ray_id"}


class EdgeFlowTest(EdgeServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.org = cls.server.ok("GET", cls.server.acct("/access/organizations"))

    # ---- helpers

    def token(self, prefix="tok", **fields):
        return self.server.create_token(unique(prefix), **fields)

    def marker(self, prefix="/m"):
        return "%s/%s" % (prefix, uuid.uuid4().hex)

    def get(self, app_or_host, path="/", headers=(), **kw):
        host = app_or_host if isinstance(app_or_host, str) else host_of(app_or_host)
        return edge_request(self.server.edge_url, host, path, headers=headers, **kw)

    def assertRay(self, r):
        ray = r.headers.get("Cf-Ray")
        self.assertTrue(ray and RAY_RE.match(ray), "no Cf-Ray on %r" % (r,))
        return ray

    def assertRefused(self, r, status, reason):
        """A denial: the status, JSON {success:false, status, reason, message, ray_id}, Cf-Ray."""
        self.assertEqual(r.status, status, r)
        ray = self.assertRay(r)
        self.assertIn("application/json", r.headers.get("Content-Type", ""), r)
        self.assertEqual(set(r.body), DENIAL_FIELDS, r)
        self.assertIs(r.body["success"], False)
        self.assertEqual(r.body["status"], status)
        self.assertEqual(r.body["reason"], reason, r)
        self.assertTrue(r.body["message"])
        self.assertEqual(r.body["ray_id"], ray)
        self.assertIsNone(r.headers.get("Set-Cookie"), "a refusal sets no cookie")
        return r

    def assertOrigin(self, path, count=1):
        seen = self.origin.requests_for(path)
        self.assertEqual(len(seen), count, "origin saw %r for %s" % (seen, path))
        return seen

    def assertNotAtOrigin(self, path):
        self.assertEqual(self.origin.requests_for(path), [], "the origin must not see a refused request")

    def admitted(self, app, headers, path=None):
        """A request that must reach the origin; returns (reply, what the origin saw)."""
        path = path or self.marker()
        r = self.get(app, path, headers)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["origin"], "recorder", r)
        self.assertRay(r)
        return r, self.assertOrigin(path)[0]

    def refused(self, app, headers, status, reason, path=None):
        path = path or self.marker()
        r = self.assertRefused(self.get(app, path, headers), status, reason)
        self.assertNotAtOrigin(path)
        return r

    def cookie_for(self, app, token):
        r, _ = self.admitted(app, service_headers(token))
        return the_cookie(self, r).value

    def token_app(self, tokens, **fields):
        return self.apps.token_app("app", tokens, **fields)

    def tokens_path(self, suffix):
        return self.server.tokens_path(suffix)

    # ---- the seed flow

    def test_token_headers_give_200_a_cookie_and_an_assertion(self):
        tok = self.token()
        app = self.token_app([tok])
        before = time.time()
        r, seen = self.admitted(app, service_headers(tok))
        after = time.time()

        raw_cookie = r.headers.get_all("Set-Cookie")
        self.assertEqual(len(raw_cookie), 1, raw_cookie)
        m = COOKIE_RE.match(raw_cookie[0])
        self.assertTrue(m, "Set-Cookie %r does not follow compat.md §2.2 (plain HTTP: no Secure)" % raw_cookie[0])
        jwt, expires = m.group(1), m.group(2)
        self.assertNotIn("Secure", raw_cookie[0])
        # Expires = the JWT's exp = now + the app's session (24h by default).
        exp_at = email.utils.parsedate_to_datetime(expires).timestamp()
        header, claims, _ = jwt_parts(jwt)
        self.assertEqual(exp_at, claims["exp"])
        self.assertGreaterEqual(claims["exp"], int(before) + 24 * 3600)
        self.assertLessEqual(claims["exp"], int(after) + 24 * 3600 + 1)

        # The origin got the assertion (the same JWT) and the cookie, never the secret.
        self.assertEqual(seen.headers.get_all("Cf-Access-Jwt-Assertion"), [jwt])
        self.assertNotIn("CF-Access-Client-Secret", seen.headers)
        self.assertNotIn(tok["client_secret"], repr(seen.headers.pairs))
        self.assertIn("CF_Authorization=" + jwt, seen.headers.get("Cookie", ""))

        # compat.md §2.3
        self.assertEqual(header, {"alg": "RS256", "kid": header["kid"], "typ": "JWT"})
        self.assertRegex(header["kid"], KID_RE)
        self.assertEqual(claims["type"], "app")
        self.assertEqual(claims["aud"], [app["aud"]])
        self.assertEqual(claims["iss"], "https://" + self.org["auth_domain"])
        self.assertEqual(claims["sub"], "")
        self.assertEqual(claims["common_name"], tok["client_id"])
        self.assertEqual(claims["service_token_id"], tok["id"])
        self.assertEqual(claims["nbf"], claims["iat"])
        self.assertEqual(claims["exp"] - claims["iat"], 24 * 3600)
        self.assertTrue(claims["identity_nonce"])

    def test_the_cookie_alone_opens_the_app(self):
        tok = self.token()
        app = self.token_app([tok])
        jwt = self.cookie_for(app, tok)
        _, seen = self.admitted(app, {"Cookie": "theme=dark; CF_Authorization=" + jwt})
        self.assertEqual(seen.headers.get("Cf-Access-Jwt-Assertion"), jwt)
        self.assertIn("theme=dark", seen.headers.get("Cookie", ""))

    def test_the_cf_access_token_header_opens_the_app(self):
        tok = self.token()
        app = self.token_app([tok])
        jwt = self.cookie_for(app, tok)
        _, seen = self.admitted(app, {"cf-access-token": jwt})
        self.assertEqual(seen.headers.get("Cf-Access-Jwt-Assertion"), jwt)

    def test_the_single_header_credential_is_read_and_stripped(self):
        tok = self.token()
        app = self.token_app([tok], read_service_tokens_from_header="Authorization-Gh")
        value = '{"cf-access-client-id": "%s", "cf-access-client-secret": "%s"}' % (
            tok["client_id"], tok["client_secret"])
        r, seen = self.admitted(app, {"Authorization-Gh": value})
        self.assertNotIn("Authorization-Gh", seen.headers)
        self.assertTrue(seen.headers.get("Cf-Access-Jwt-Assertion"))
        self.assertNotIn(tok["client_secret"], repr(seen.headers.pairs))
        the_cookie(self, r)

    def test_a_client_sent_assertion_never_reaches_the_origin(self):
        tok = self.token()
        app = self.token_app([tok])
        h = service_headers(tok)
        h["Cf-Access-Jwt-Assertion"] = "forged"
        _, seen = self.admitted(app, h)
        self.assertEqual(len(seen.headers.get_all("Cf-Access-Jwt-Assertion")), 1)
        self.assertNotEqual(seen.headers.get("Cf-Access-Jwt-Assertion"), "forged")

    # ---- refusals

    def test_wrong_secret_and_unknown_client_id_look_the_same(self):
        tok = self.token()
        app = self.token_app([tok])
        other_secret = checksummed("cfast_", "A" * 40)
        mistyped = tok["client_secret"][:-1] + ("0" if tok["client_secret"][-1] != "0" else "1")
        unknown_id = uuid.uuid4().hex + ".access"
        bodies = []
        for h in (service_headers(tok, other_secret), service_headers(tok, mistyped),
                  {"CF-Access-Client-Id": unknown_id, "CF-Access-Client-Secret": tok["client_secret"]}):
            r = self.refused(app, h, 403, "invalid_service_token")
            bodies.append({k: v for k, v in r.body.items() if k != "ray_id"})
        self.assertEqual(bodies[0], bodies[1])
        self.assertEqual(bodies[0], bodies[2])
        # Never which part of the secret was wrong.
        for b in bodies:
            self.assertNotIn("checksum", b["message"].lower())

    def test_no_credentials_on_a_service_auth_app_is_403(self):
        app = self.token_app([self.token()])
        self.refused(app, {}, 403, "no_credentials")

    def test_a_valid_token_that_no_policy_names_is_denied(self):
        app = self.token_app([self.token()])
        self.refused(app, service_headers(self.token("other")), 403, "policy_denied")

    def test_an_expired_token_is_refused_also_for_an_earlier_cookie(self):
        born_expired = self.token("expired", duration="1us")
        app = self.token_app([born_expired])
        self.refused(app, service_headers(born_expired), 403, "service_token_expired")

        tok = self.token()
        app = self.token_app([tok])
        jwt = self.cookie_for(app, tok)
        # A new duration counts from now (compat.md §1.2): 1us means expired at once.
        self.server.ok("PUT", self.tokens_path("/" + tok["id"]), {"duration": "1us"})
        self.refused(app, {"Cookie": "CF_Authorization=" + jwt}, 403, "service_token_expired")
        self.refused(app, {"cf-access-token": jwt}, 403, "service_token_expired")
        self.refused(app, service_headers(tok), 403, "service_token_expired")
        # Refresh: max(now, expires_at) + 1 year; the token and its JWTs work again.
        self.server.ok("POST", self.tokens_path("/%s/refresh" % tok["id"]), content_type=None)
        self.admitted(app, service_headers(tok))
        self.admitted(app, {"Cookie": "CF_Authorization=" + jwt})

    def test_disabling_refuses_the_token_and_its_cookie_on_the_next_request(self):
        tok = self.token()
        app = self.token_app([tok])
        jwt = self.cookie_for(app, tok)
        self.server.ok("PUT", self.tokens_path("/" + tok["id"]), {"enabled": False})
        self.refused(app, {"Cookie": "CF_Authorization=" + jwt}, 403, "service_token_disabled")
        self.refused(app, service_headers(tok), 403, "service_token_disabled")
        self.server.ok("PUT", self.tokens_path("/" + tok["id"]), {"enabled": True})
        self.admitted(app, {"Cookie": "CF_Authorization=" + jwt})
        self.admitted(app, service_headers(tok))

    def test_deleting_refuses_the_token_and_its_cookie_on_the_next_request(self):
        tok = self.token()
        app = self.token_app([tok])
        jwt = self.cookie_for(app, tok)
        self.admitted(app, {"cf-access-token": jwt})
        self.server.ok("DELETE", self.tokens_path("/" + tok["id"]))
        self.refused(app, {"Cookie": "CF_Authorization=" + jwt}, 403, "service_token_deleted")
        self.refused(app, {"cf-access-token": jwt}, 403, "service_token_deleted")
        self.refused(app, service_headers(tok), 403, "invalid_service_token")

    def test_the_previous_secret_works_until_its_grace_ends(self):
        tok = self.token()
        app = self.token_app([tok])
        grace = rfc3339(time.time() + 3600)
        rotated = self.server.ok("POST", self.tokens_path("/%s/rotate" % tok["id"]),
                                 {"previous_client_secret_expires_at": grace})
        self.assertEqual(rotated["client_id"], tok["client_id"])
        self.assertNotEqual(rotated["client_secret"], tok["client_secret"])
        self.admitted(app, service_headers(tok))  # old secret, in grace
        self.admitted(app, service_headers(rotated))
        self.server.ok("PUT", self.tokens_path("/" + tok["id"]),
                       {"previous_client_secret_expires_at": "2000-01-01T00:00:00Z"})
        self.refused(app, service_headers(tok), 403, "invalid_service_token")
        self.admitted(app, service_headers(rotated))

    # ---- strict mode (organization-wide, restored after the test)

    def test_strict_mode_sets_no_cookie_ignores_cookies_and_answers_401_or_403(self):
        tok = self.token()
        app = self.token_app([tok])
        jwt = self.cookie_for(app, tok)
        set_org(self.server, strict_service_token_auth=True)
        try:
            r, seen = self.admitted(app, service_headers(tok))
            self.assertEqual(set_cookies(r), [], "strict mode sets no cookie")
            fresh = seen.headers.get("Cf-Access-Jwt-Assertion")
            self.assertTrue(fresh)
            self.assertNotIn("CF_Authorization", seen.headers.get("Cookie", ""))
            # The cookie is ignored: cannot authenticate -> 401.
            self.refused(app, {"Cookie": "CF_Authorization=" + jwt}, 401, "no_credentials")
            # The cf-access-token header still works.
            self.admitted(app, {"cf-access-token": fresh})
            # A wrong secret cannot authenticate (401); a valid token without a policy is
            # not authorised (403).
            self.refused(app, service_headers(tok, checksummed("cfast_", "B" * 40)), 401, "invalid_service_token")
            self.refused(app, service_headers(self.token("other")), 403, "policy_denied")
        finally:
            set_org(self.server, strict_service_token_auth=False)
        self.admitted(app, {"Cookie": "CF_Authorization=" + jwt})

    # ---- policies

    def test_an_allow_policy_app_redirects_to_the_login_page(self):
        app = self.apps.create("web", [{"name": "people", "decision": "allow", "include": [{"everyone": {}}]}])
        host = host_of(app)
        path = self.marker("/page") + "?x=1&y=%20"
        for accept in ("text/html", "application/json"):
            r = self.get(app, path, accept=accept)
            self.assertEqual(r.status, 302, r)
            self.assertRay(r)
            self.assertEqual(r.headers.get("Location"),
                             "/cdn-cgi/access/login/%s?redirect_url=%s" % (
                                 host, urllib.parse.quote("http://%s%s" % (host, path), safe="")))
        # With the port in Host, the redirect keeps it.
        with_port = "%s:%d" % (host, urllib.parse.urlsplit(self.server.edge_url).port)
        r = self.get(with_port, "/a")
        self.assertEqual(r.status, 302, r)
        loc = urllib.parse.urlsplit(r.headers["Location"])
        self.assertEqual(urllib.parse.parse_qs(loc.query)["redirect_url"], ["http://%s/a" % with_port])
        # A service token is not a user: Allow needs a login, so it is redirected too.
        r = self.get(app, "/b", service_headers(self.token()))
        self.assertEqual(r.status, 302, r)
        self.assertNotAtOrigin("/page")
        # The login page itself.
        r = self.get(app, r.headers["Location"], accept="text/html")
        self.assertEqual(r.status, 200, r)
        self.assertIn("text/html", r.headers["Content-Type"])
        self.assertRay(r)

    def test_bypass_reaches_the_origin_without_an_assertion(self):
        app = self.apps.create("open", [{"name": "all", "decision": "bypass", "include": [{"everyone": {}}]}])
        _, seen = self.admitted(app, {"Cf-Access-Jwt-Assertion": "forged"})
        self.assertNotIn("Cf-Access-Jwt-Assertion", seen.headers)

    def test_block(self):
        tok = self.token()
        app = self.apps.create("blocked", [
            service_auth([tok["id"]]),
            {"name": "block all", "decision": "deny", "include": [{"everyone": {}}]},
        ])
        # Service Auth is evaluated before Block: the named token gets in.
        self.admitted(app, service_headers(tok))
        # Any other authenticated token hits the Block.
        self.refused(app, service_headers(self.token("other")), 403, "policy_blocked")

    def test_ip_rules(self):
        tok = self.token()
        inside = self.apps.create("ip-in", [{"name": "lo", "decision": "non_identity",
                                             "include": [{"service_token": {"token_id": tok["id"]}}],
                                             "require": [{"ip": {"ip": "127.0.0.0/8"}}]}])
        outside = self.apps.create("ip-out", [{"name": "ten", "decision": "non_identity",
                                               "include": [{"service_token": {"token_id": tok["id"]}}],
                                               "require": [{"ip": {"ip": "10.0.0.0/8"}}]}])
        self.admitted(inside, service_headers(tok))
        self.refused(outside, service_headers(tok), 403, "policy_denied")
        # Bypass by address: 127.0.0.1 in the CIDR passes without credentials.
        by_ip = self.apps.create("ip-bypass", [{"name": "lo", "decision": "bypass",
                                                "include": [{"ip": {"ip": "127.0.0.1/32"}}]}])
        self.admitted(by_ip, {})
        not_by_ip = self.apps.create("ip-nobypass", [{"name": "doc", "decision": "bypass",
                                                      "include": [{"ip": {"ip": "192.0.2.0/24"}}]}])
        self.refused(not_by_ip, {}, 403, "no_credentials")
        # Excluding loopback turns the first app off for this client.
        self.apps.update(inside["id"], policies=[{"name": "not lo", "decision": "non_identity",
                                                  "include": [{"service_token": {"token_id": tok["id"]}}],
                                                  "exclude": [{"ip": {"ip": "127.0.0.1/32"}}]}])
        self.refused(inside, service_headers(tok), 403, "policy_denied")

    def test_service_auth_401_redirect_answers_401(self):
        tok = self.token()
        app = self.token_app([tok], service_auth_401_redirect=True)
        self.refused(app, {}, 401, "no_credentials")
        self.refused(app, service_headers(tok, checksummed("cfast_", "C" * 40)), 401, "invalid_service_token")
        self.admitted(app, service_headers(tok))

    def test_options_preflight_bypass_lets_cors_preflights_through(self):
        tok = self.token()
        app = self.token_app([tok], options_preflight_bypass=True)
        preflight = {"Origin": "https://ui.example.com", "Access-Control-Request-Method": "POST",
                     "Access-Control-Request-Headers": "content-type"}
        path = self.marker()
        r = self.get(app, path, preflight, method="OPTIONS")
        self.assertEqual(r.status, 200, r)
        seen = self.assertOrigin(path)[0]
        self.assertEqual(seen.method, "OPTIONS")
        self.assertNotIn("Cf-Access-Jwt-Assertion", seen.headers)
        # Only preflights: a plain OPTIONS, or any other method, still needs credentials.
        self.assertRefused(self.get(app, self.marker(), {"Origin": "https://ui.example.com"}, method="OPTIONS"),
                           403, "no_credentials")
        self.refused(app, preflight, 403, "no_credentials")
        # Without the setting a preflight is refused like anything else.
        plain = self.token_app([tok])
        path = self.marker()
        self.assertRefused(self.get(plain, path, preflight, method="OPTIONS"), 403, "no_credentials")
        self.assertNotAtOrigin(path)

    # ---- transport: what the origin gets and what happens when it fails

    def test_bodies_methods_and_keep_alive(self):
        tok = self.token()
        app = self.token_app([tok])
        path = self.marker()
        r = self.get(app, path, service_headers(tok), method="POST", body=b"x" * 100_000)
        self.assertEqual(r.status, 200, r)
        seen = self.assertOrigin(path)[0]
        self.assertEqual((seen.method, seen.body_length), ("POST", 100_000))
        path = self.marker()
        r = self.get(app, path, service_headers(tok), method="HEAD")
        self.assertEqual((r.status, r.raw), (200, b""))
        self.assertEqual(self.assertOrigin(path)[0].method, "HEAD")
        # One connection: allowed, refused, allowed again; the origin's status passes through.
        port = urllib.parse.urlsplit(self.server.edge_url).port
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            for path, headers, status in (
                    (self.marker(), service_headers(tok), 200),
                    (self.marker(), {}, 403),
                    ("/__status/503" + self.marker(), service_headers(tok), 503),
                    (self.marker(), service_headers(tok), 200)):
                conn.request("GET", path, headers=dict(headers, Host=host_of(app), Accept="application/json"))
                resp = conn.getresponse()
                resp.read()
                self.assertEqual(resp.status, status, path)
                self.assertTrue(resp.getheader("Cf-Ray"))
                self.assertEqual(len(self.origin.requests_for(path)), 0 if status == 403 else 1)
        finally:
            conn.close()

    def test_origin_failures_are_502_and_504(self):
        tok = self.token()
        app = self.token_app([tok])
        r = self.get(app, "/__reset" + self.marker(), service_headers(tok))
        self.assertRefused(r, 502, "origin_reset")
        with socket.socket() as s:  # a port with nobody listening
            s.bind(("127.0.0.1", 0))
            closed = s.getsockname()[1]
        down = self.token_app([tok], origin="http://127.0.0.1:%d" % closed)
        self.assertRefused(self.get(down, "/d", service_headers(tok)), 502, "origin_unreachable")
        slow = self.token_app([tok], origin_timeout={"response_header": "300ms"})
        try:
            path = "/__slow/20000" + self.marker()
            r = self.get(slow, path, service_headers(tok))
            self.assertRefused(r, 504, "origin_timeout")
            self.assertOrigin(path)
        finally:
            self.origin.release_slow()  # let the recorder's handler thread go
        self.admitted(app, service_headers(tok))

    def test_websocket_upgrade_is_authenticated_and_tunnelled(self):
        tok = self.token()
        app = self.token_app([tok])
        port = urllib.parse.urlsplit(self.server.edge_url).port

        def upgrade(path, extra):
            return ("GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n%s\r\n" % (
                        path, host_of(app), "".join("%s: %s\r\n" % kv for kv in extra.items()))).encode()

        path = self.marker("/ws")
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            s.sendall(upgrade(path, service_headers(tok)))
            f = s.makefile("rb")
            status = f.readline()
            self.assertTrue(status.startswith(b"HTTP/1.1 101"), status)
            lines = []
            while True:
                line = f.readline()
                if line in (b"\r\n", b""):
                    break
                lines.append(line.decode().strip())
            self.assertIn("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", lines)
            s.sendall(b"\x81\x04ping")  # bytes through the tunnel, echoed by the origin
            self.assertEqual(f.read(6), b"\x81\x04ping")
        seen = self.assertOrigin(path)[0]
        self.assertTrue(seen.headers.get("Cf-Access-Jwt-Assertion"))
        self.assertNotIn("CF-Access-Client-Secret", seen.headers)
        # Without credentials the upgrade never reaches the origin.
        path = self.marker("/ws")
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            s.sendall(upgrade(path, {"Accept": "application/json"}))
            status = s.makefile("rb").readline()
            self.assertTrue(status.startswith(b"HTTP/1.1 403"), status)
        self.assertNotAtOrigin(path)

    # ---- denial bodies

    def test_json_for_api_clients_and_html_for_browsers(self):
        app = self.token_app([self.token()])
        path = self.marker()
        for accept in ("application/json", None, "*/*"):
            r = self.get(app, path, accept=accept)
            self.assertRefused(r, 403, "no_credentials")
        r = self.get(app, path, accept="text/html,application/xhtml+xml,*/*;q=0.8")
        self.assertEqual(r.status, 403)
        self.assertIn("text/html", r.headers["Content-Type"])
        ray = self.assertRay(r)
        page = r.raw.decode()
        self.assertIn("<html", page)
        self.assertIn("no_credentials", page)
        self.assertIn(ray, page)
        self.assertNotAtOrigin(path)

    def test_custom_deny_message(self):
        app = self.token_app([self.token()], custom_deny_message="Ask #platform for a token")
        r = self.refused(app, {}, 403, "no_credentials")
        self.assertEqual(r.body["message"], "Ask #platform for a token")

    def test_unknown_host_is_404(self):
        r = self.get("nowhere-%s.test" % uuid.uuid4().hex[:8], "/x")
        self.assertRefused(r, 404, "no_application")

    # ---- §3: in-band expiry warning

    def test_expiry_warning_header_within_seven_days_only(self):
        soon = self.token("soon", duration="48h")
        later = self.token("later", duration="8760h")
        app = self.token_app([soon, later])
        r, _ = self.admitted(app, service_headers(soon))
        warned = r.headers.get("Gatehouse-Service-Token-Expires")
        self.assertIsNotNone(warned, "a token expiring within 7 days carries the warning")
        self.assertAlmostEqual(parse_rfc3339(warned), parse_rfc3339(soon["expires_at"]), delta=1.0)
        jwt = the_cookie(self, r).value
        r, _ = self.admitted(app, {"Cookie": "CF_Authorization=" + jwt})
        self.assertIsNotNone(r.headers.get("Gatehouse-Service-Token-Expires"), "also when the cookie is used")
        r, _ = self.admitted(app, service_headers(later))
        self.assertIsNone(r.headers.get("Gatehouse-Service-Token-Expires"))

    # ---- keys and revocation

    def certs(self, app):
        r = self.get(app, "/cdn-cgi/access/certs")
        self.assertEqual(r.status, 200, r)
        self.assertRay(r)
        return r.body

    def test_certs_publish_the_signing_key(self):
        tok = self.token()
        app = self.token_app([tok])
        jwt = self.cookie_for(app, tok)
        doc = self.certs(app)
        kids = [k["kid"] for k in doc["keys"]]
        self.assertIn(jwt_parts(jwt)[0]["kid"], kids)
        for k in doc["keys"]:
            self.assertEqual(k["kty"], "RSA")
            self.assertRegex(k["kid"], KID_RE)
            self.assertGreaterEqual(len(b64url_decode(k["n"])), 256)
        self.assertIn(doc["public_cert"]["kid"], kids)
        self.assertTrue(doc["public_cert"]["cert"].startswith("-----BEGIN CERTIFICATE-----"))
        self.assertEqual(len(doc["public_certs"]), len(doc["keys"]))

    def test_key_rotation_keeps_old_jwts_valid(self):
        tok = self.token()
        app = self.token_app([tok])
        old = self.cookie_for(app, tok)
        old_kid = jwt_parts(old)[0]["kid"]
        result = self.server.ok("POST", self.server.acct("/access/keys/rotate"), content_type=None)
        self.assertIn("last_key_rotation_at", result)
        doc = self.certs(app)
        kids = [k["kid"] for k in doc["keys"]]
        self.assertIn(old_kid, kids, "the rotated-out key stays in the JWKS")
        self.assertGreaterEqual(len(kids), 2)
        self.assertNotEqual(doc["public_cert"]["kid"], old_kid, "public_cert is the new key")
        self.admitted(app, {"Cookie": "CF_Authorization=" + old})
        new = self.cookie_for(app, tok)
        new_kid = jwt_parts(new)[0]["kid"]
        self.assertNotEqual(new_kid, old_kid, "new JWTs are signed with the new key")
        self.assertEqual(new_kid, doc["public_cert"]["kid"])
        self.admitted(app, {"cf-access-token": new})

    def test_revoke_tokens_refuses_earlier_jwts(self):
        tok = self.token()
        app = self.token_app([tok])
        other = self.token_app([tok])
        jwt = self.cookie_for(app, tok)
        other_jwt = self.cookie_for(other, tok)
        self.server.ok("POST", self.apps.path("/%s/revoke_tokens" % app["id"]), content_type=None)
        self.refused(app, {"Cookie": "CF_Authorization=" + jwt}, 403, "jwt_revoked")
        self.refused(app, {"cf-access-token": jwt}, 403, "jwt_revoked")
        # Only this app's JWTs; the credentials themselves still work and get a fresh JWT.
        self.admitted(other, {"Cookie": "CF_Authorization=" + other_jwt})
        fresh = self.cookie_for(app, tok)
        self.assertNotEqual(fresh, jwt)
        self.admitted(app, {"Cookie": "CF_Authorization=" + fresh})

    # ---- /cdn-cgi/access endpoints

    def test_get_identity(self):
        tok = self.token()
        app = self.token_app([tok])
        jwt = self.cookie_for(app, tok)
        for h in ({"Cookie": "CF_Authorization=" + jwt}, {"cf-access-token": jwt}):
            r = self.get(app, "/cdn-cgi/access/get-identity", h)
            self.assertEqual(r.status, 200, r)
            self.assertRay(r)
            self.assertEqual(r.body["service_token_id"], tok["id"])
            self.assertIs(r.body["service_token_status"], True)
            self.assertEqual(r.body["common_name"], tok["client_id"])
        r = self.get(app, "/cdn-cgi/access/get-identity")
        self.assertEqual(r.status, 401, r)
        self.assertRay(r)
        self.server.ok("PUT", self.tokens_path("/" + tok["id"]), {"enabled": False})
        r = self.get(app, "/cdn-cgi/access/get-identity", {"cf-access-token": jwt})
        self.assertEqual(r.status, 401, r)
        self.assertEqual(r.body["reason"], "service_token_disabled")
        self.assertEqual(self.origin.requests_for("/cdn-cgi"), [])

    def test_logout_clears_the_cookie(self):
        app = self.token_app([self.token()])
        r = self.get(app, "/cdn-cgi/access/logout")
        self.assertEqual(r.status, 200, r)
        self.assertRay(r)
        cookie = the_cookie(self, r)
        self.assertEqual(cookie.value, "")
        self.assertEqual(cookie.attrs.get("path"), "/")
        expired = cookie.attrs.get("max-age") == "0" or (
            "expires" in cookie.attrs and email.utils.parsedate_to_datetime(cookie.attrs["expires"]).timestamp()
            < time.time())
        self.assertTrue(expired, cookie)

    def test_a_cdn_cgi_path_that_does_not_exist_is_404(self):
        app = self.token_app([self.token()])
        r = self.get(app, "/cdn-cgi/access/nope")
        self.assertRefused(r, 404, "not_found")
        self.assertEqual(self.origin.requests_for("/cdn-cgi"), [])


if __name__ == "__main__":
    unittest.main()
