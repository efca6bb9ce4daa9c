"""The differential path test (docs/edge.md "Paths", docs/security.md): hundreds of
request-targets, built by combining every known path-confusion class, are sent to one
host that carries two apps — A on <host>/admin (Service Auth, token A) and B on the
whole host (Bypass on one host, Service Auth with token B on another) — with an origin
that records what it receives. For each target the test asserts the property the edge
guarantees:

    no request reaches the origin under a path that app A's prefix covers, unless
    app A admitted it (and then the path is covered by A).

"Covers" is judged by several models of how real origins read a path (as received;
nginx-style decoding and dot-segment removal; Tomcat/Spring's ;params; IIS/Windows:
backslashes, case, trailing dots and spaces; double decoding; Unicode case folding and
compatibility forms) — the request may only reach the origin under B if *no* model puts
it under /admin. Forward-auth is held to the same property for the URI it approves
(the proxy in front forwards that URI as it is).

Run: cd tests/integration && GATEHOUSE_BIN=../../build/debug/src/gatehouse python3 -m unittest -v test_path_differential
"""

import base64
import json
import re
import unicodedata
import unittest
import urllib.parse
import uuid

from edge_client import EdgeServerTestCase, raw_exchange, service_auth, unique

# Spellings of the protected segment "admin" an origin may read as "admin".
SPELLINGS = ["admin", "ADMIN", "Admin", "%61dmin", "%41DMIN", "adm%69n", "%61%64%6d%69%6e", "admin.", "admin%20",
             "admin%00", "admin%2e", "adm%C4%B1n", "%EF%BD%81dmin", "admin;x", "admin%3b", "admin%09", "ad%6Din.",
             "ADM%C4%B0N", "%2561dmin", "admin%2520"]
# Ways to put a spelling at the front of the path, from B's side of the host.
ROUTES = ["/{s}/x", "/{s}", "/{s}/", "/public/../{s}/x", "/public/..%2f{s}/x", "/public/%2e%2e/{s}/x",
          "/public/.%2e/{s}/x", "/public/%2E./{s}/x", "/public/..\\{s}/x", "/public/..;/{s}/x", "//{s}/x",
          "///{s}//x", "/./{s}/x", "/;/{s}/x", "/public%2f..%2f{s}/x", "/public/%252e%252e/{s}/x",
          "/public/%c0%ae%c0%ae/{s}/x", "/{s}#x", "/{s}?x=1", "/{s}%23/x", "/{s}%3f/x", "/x/..%5c{s}/x",
          "/public/..%5c{s}/x", "/public/%2e%2e%2f{s}/x", "/{s}%2fx", "/public/.%00./{s}/x", "/%2e/{s}/x",
          "/public/..%c0%af{s}/x", "/public/..%e0%80%af{s}/x", "/{s}/..%2f..%2fpublic"]
# A few that are plainly B's, so the test also sees B serve what it should.
PLAIN_B = ["/", "/public", "/public/x", "/admin-not/x", "/adminx", "/admin/../public", "/public/./x",
           "/%70ublic", "/public/caf%C3%A9", "/a|b", "/public?next=/admin"]


def targets():
    out = []
    for route in ROUTES:
        for s in SPELLINGS:
            out.append(route.replace("{s}", s))
    out.extend(PLAIN_B)
    return list(dict.fromkeys(out))


# ---- models of origins


def pct_decode(s, times=1):
    b = s.encode("latin-1", "surrogateescape") if isinstance(s, str) else s
    for _ in range(times):
        b = urllib.parse.unquote_to_bytes(b)
    return b.decode("utf-8", "replace")


def remove_dots(path):
    out = []
    segs = path.split("/")
    for seg in segs[1:] if path.startswith("/") else segs:
        if seg == "..":
            if out:
                out.pop()
        elif seg != "." and seg != "":
            out.append(seg)
    return "/" + "/".join(out)


def interpretations(target):
    path = target.split("?", 1)[0].split("#", 1)[0]
    raw = target.split("?", 1)[0]
    seen = {path, raw}
    for times in (1, 2):
        d = pct_decode(path, times)
        seen.add(d)
        seen.add(remove_dots(d))
        seen.add(remove_dots(d.replace("\\", "/")))
        # Tomcat/Spring: ";params" stripped from every segment, before or after decoding.
        seen.add(remove_dots(re.sub(r";[^/]*", "", d)))
        seen.add(remove_dots(pct_decode(re.sub(r";[^/]*", "", path), times)))
        # IIS / Windows: backslashes, trailing dots and spaces dropped, NUL ends the name.
        win = d.replace("\\", "/").split("\x00", 1)[0]
        win = "/".join(seg.rstrip(". ") if seg not in (".", "..") else seg for seg in win.split("/"))
        seen.add(remove_dots(win))
        # Unicode-aware routers: compatibility forms and case folding via upper case.
        nf = unicodedata.normalize("NFKC", d)
        seen.add(remove_dots(nf))
        seen.add(remove_dots(nf.upper()))
    seen.add(remove_dots(path))
    return seen


def covered_by_admin(target):
    for p in interpretations(target):
        q = p.lower()
        if q == "/admin" or q.startswith("/admin/"):
            return True
    return False


def audience(headers):
    jwt = headers.get("Cf-Access-Jwt-Assertion")
    if not jwt:
        return None
    payload = jwt.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return claims["aud"][0]


class PathDifferentialTest(EdgeServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tok_a = cls.server.create_token(unique("diff-a"))
        cls.tok_b = cls.server.create_token(unique("diff-b"))
        # Host 1: A protects /admin, B lets everyone into the rest.
        cls.host1 = "%s.test" % unique("diff1")
        cls.b1 = cls.apps.create("b1", [{"name": "all", "decision": "bypass", "include": [{"everyone": {}}]}],
                                 domain=cls.host1)
        cls.a1 = cls.apps.create("a1", [service_auth([cls.tok_a["id"]])], domain=cls.host1 + "/admin")
        # Host 2: B admits token B only; a holder of B's token must not get into A.
        cls.host2 = "%s.test" % unique("diff2")
        cls.b2 = cls.apps.create("b2", [service_auth([cls.tok_b["id"]])], domain=cls.host2)
        cls.a2 = cls.apps.create("a2", [service_auth([cls.tok_a["id"]])], domain=cls.host2 + "/admin")
        cls.targets = targets()

    def send(self, host, target, case, credentials=None, extra=""):
        lines = ["GET %s HTTP/1.1" % target, "Host: %s" % host, "Accept: application/json", "X-Diff-Case: %s" % case]
        if credentials:
            lines.append("CF-Access-Client-Id: %s" % credentials["client_id"])
            lines.append("CF-Access-Client-Secret: %s" % credentials["client_secret"])
        data = ("\r\n".join(lines) + "\r\n" + extra + "\r\n").encode("latin-1")
        return raw_exchange(self.server.edge_url, data)

    def received(self, case):
        return [r for r in self.origin.requests if r.headers.get("X-Diff-Case") == case]

    def check_edge(self, host, credentials, a_aud, b_aud, stats):
        for target in self.targets:
            case = uuid.uuid4().hex
            with self.subTest(host=host, target=target, credentials=bool(credentials)):
                reply = self.send(host, target, case, credentials)
                seen = self.received(case)
                if reply is None or reply.status >= 400:
                    self.assertEqual(seen, [], "refused (%s) but the origin saw it" % (reply and reply.status))
                    stats["refused"] += 1
                    continue
                self.assertEqual(reply.status, 200, reply)
                self.assertEqual(len(seen), 1)
                got = seen[0].path
                aud = audience(seen[0].headers)
                if aud == a_aud:
                    stats["admitted_by_a"] += 1
                    # A admitted it: the origin's path is under A's prefix (as the edge reads it).
                    self.assertTrue(got.split("?", 1)[0].lower() == "/admin" or got.lower().startswith("/admin/"), got)
                else:
                    self.assertEqual(aud, b_aud)
                    stats["admitted_by_b"] += 1
                    self.assertFalse(covered_by_admin(got), "reached the origin as %r under B" % got)

    def test_edge_without_credentials_never_reaches_admin_through_the_public_app(self):
        stats = {"refused": 0, "admitted_by_a": 0, "admitted_by_b": 0}
        self.check_edge(self.host1, None, self.a1["aud"], None, stats)
        self.assertGreaterEqual(len(self.targets), 200)
        # The table means something: B serves its own paths, and many tricks were refused.
        self.assertGreaterEqual(stats["admitted_by_b"], len(PLAIN_B) - 1, stats)
        self.assertGreater(stats["refused"], 200, stats)

    def test_a_holder_of_bs_token_never_reaches_admin(self):
        stats = {"refused": 0, "admitted_by_a": 0, "admitted_by_b": 0}
        self.check_edge(self.host2, self.tok_b, self.a2["aud"], self.b2["aud"], stats)
        self.assertGreaterEqual(stats["admitted_by_b"], len(PLAIN_B) - 1, stats)

    def test_a_holder_of_as_token_is_admitted_by_a_only_under_admin(self):
        stats = {"refused": 0, "admitted_by_a": 0, "admitted_by_b": 0}
        self.check_edge(self.host2, self.tok_a, self.a2["aud"], self.b2["aud"], stats)
        self.assertGreater(stats["admitted_by_a"], 20, stats)

    def check_forward_auth(self, host, credentials, b_aud):
        approved = 0
        for target in self.targets:
            for header in ("X-Forwarded-Uri", "X-Original-URI"):
                with self.subTest(target=target, header=header, credentials=bool(credentials)):
                    extra = "X-Forwarded-Host: %s\r\n%s: %s\r\n" % (host, header, target)
                    reply = self.send(host, "/cdn-cgi/access/authorize", uuid.uuid4().hex, credentials, extra)
                    self.assertIsNotNone(reply)
                    if reply.status != 200:
                        self.assertIn(reply.status, (400, 401, 403, 404), reply)
                        continue
                    approved += 1
                    aud = audience(reply.headers)
                    self.assertEqual(aud, b_aud, (target, aud))
                    # The proxy in front sends this URI to the origin unchanged.
                    self.assertFalse(covered_by_admin(target), "forward-auth approved %r for B" % target)
        return approved

    def test_forward_auth_never_approves_admin_for_the_public_app(self):
        approved = self.check_forward_auth(self.host1, None, None)
        self.assertGreaterEqual(approved, len(PLAIN_B), approved)

    def test_forward_auth_never_approves_admin_for_bs_token(self):
        approved = self.check_forward_auth(self.host2, self.tok_b, self.b2["aud"])
        self.assertGreaterEqual(approved, len(PLAIN_B), approved)


if __name__ == "__main__":
    unittest.main()
