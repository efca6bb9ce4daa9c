"""Hostile requests at the edge (compat.md §2, docs/architecture.md "Life of a request"):
forged and mangled JWTs, confused credentials, request smuggling shapes and oversized
heads. Each is refused with its documented status and reason slug, the origin
(origin_recorder.py) never sees it, and the server keeps serving (every test ends
with a request that must still work).

What is deliberately not here: the JWT time checks (exp, nbf, iat, leeway) and every
single-bit flip of a signature need a token signed by the server's own key with chosen
claims, which a black-box test cannot make. They are covered exhaustively by the C++
unit tests (tests/unit/jwt, tests/unit/edge). Here a token with a changed exp keeps its
signature (-> jwt_bad_signature), and tokens with past exp / future nbf are signed by a
key of our own, so the edge stops at the unknown kid before it looks at the times.

Run: cd tests/integration && GATEHOUSE_BIN=../../build/debug/src/gatehouse python3 -m unittest -v test_edge_attacks
"""

import base64
import hashlib
import hmac
import json
import random
import time
import unittest
import uuid

import jwt as pyjwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from edge_client import (Apps, EdgeServerTestCase, b64url_decode, b64url_encode, edge_request, host_of,
                         jwt_encode_unsigned, jwt_parts, raw_exchange, service_headers, unique, with_payload)

KIB = 1024


def jwk_to_pem(jwk):
    n = int.from_bytes(b64url_decode(jwk["n"]), "big")
    e = int.from_bytes(b64url_decode(jwk["e"]), "big")
    return rsa.RSAPublicNumbers(e, n).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


class EdgeAttacksTest(EdgeServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tok = cls.server.create_token(unique("atk"))
        cls.app_a = cls.apps.token_app("a", [cls.tok])
        cls.app_b = cls.apps.token_app("b", [cls.tok])
        cls.host_a, cls.host_b = host_of(cls.app_a), host_of(cls.app_b)
        r = edge_request(cls.server.edge_url, cls.host_a, "/setup", headers=service_headers(cls.tok))
        assert r.status == 200, r
        cls.jwt_a = r.headers["Set-Cookie"].split(";", 1)[0].split("=", 1)[1]
        cls.header_a, cls.claims_a, cls.sig_a = jwt_parts(cls.jwt_a)
        certs = edge_request(cls.server.edge_url, cls.host_a, "/cdn-cgi/access/certs")
        assert certs.status == 200, certs
        cls.jwks = certs.body
        # A key of our own: what an attacker can sign with.
        cls.own_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cls.own_pem = cls.own_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                serialization.NoEncryption())

    def tearDown(self):
        # The server stays up and keeps serving after every attack.
        self.assertTrue(self.server.running(), self.server.output())
        path = "/still-up/" + uuid.uuid4().hex
        r = edge_request(self.server.edge_url, self.host_a, path, headers={"cf-access-token": self.jwt_a})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(len(self.origin.requests_for(path)), 1)

    # ---- helpers

    def marker(self):
        return "/atk/" + uuid.uuid4().hex

    def assertRefused(self, r, status, reason, path):
        self.assertIsNotNone(r, "the edge closed the connection without an answer")
        self.assertEqual(r.status, status, r)
        self.assertTrue(r.headers.get("Cf-Ray"), r)
        self.assertIsNotNone(r.body, r)
        self.assertIs(r.body["success"], False)
        self.assertEqual(r.body["reason"], reason, r)
        self.assertEqual(self.origin.requests_for(path), [], "the origin saw a refused request")

    def present(self, token, status=403, reason=None, host=None, via="header"):
        """Presents `token` as a JWT (cf-access-token header or cookie); must be refused."""
        path = self.marker()
        h = {"cf-access-token": token} if via == "header" else {"Cookie": "CF_Authorization=" + token}
        r = edge_request(self.server.edge_url, host or self.host_a, path, headers=h)
        self.assertRefused(r, status, reason, path)
        return r

    def raw(self, head_lines, body=b"", host=None, path=None):
        """Sends a request written byte for byte: request line, Host, `head_lines`
        (bytes, each without CRLF), blank line, body. Returns (reply or None, path)."""
        path = path or self.marker()
        lines = [b"GET " + path.encode() + b" HTTP/1.1", b"Host: " + (host or self.host_a).encode()]
        lines += head_lines
        data = b"\r\n".join(lines) + b"\r\n\r\n" + body
        return raw_exchange(self.server.edge_url, data), path

    def token_lines(self):
        return [b"CF-Access-Client-Id: " + self.tok["client_id"].encode(),
                b"CF-Access-Client-Secret: " + self.tok["client_secret"].encode()]

    def own_signed(self, claims, kid=None, key=None):
        return pyjwt.encode(claims, key or self.own_pem, algorithm="RS256",
                            headers={"kid": kid or hashlib.sha256(uuid.uuid4().bytes).hexdigest(), "typ": "JWT"})

    # ---- algorithm and key confusion

    def test_alg_none_is_refused(self):
        for alg in ("none", "None", "NONE"):
            with self.subTest(alg=alg):
                forged = jwt_encode_unsigned(dict(self.header_a, alg=alg), self.claims_a)
                self.present(forged, reason="jwt_alg_not_allowed")
                # With the real signature kept, too.
                h, p, s = self.jwt_a.split(".")
                forged = jwt_encode_unsigned(dict(self.header_a, alg=alg), self.claims_a).rsplit(".", 1)[0] + "." + s
                self.present(forged, reason="jwt_alg_not_allowed", via="cookie")

    def test_hs256_signed_with_the_public_key_is_refused(self):
        key = next(k for k in self.jwks["keys"] if k["kid"] == self.header_a["kid"])
        pem = jwk_to_pem(key)
        header = dict(self.header_a, alg="HS256")
        signing_input = jwt_encode_unsigned(header, self.claims_a).rsplit(".", 1)[0]
        for secret in (pem, pem.strip(), self.jwks["public_cert"]["cert"].encode()):
            mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
            self.present(signing_input + "." + b64url_encode(mac), reason="jwt_alg_not_allowed")

    def test_other_algorithms_are_refused(self):
        for alg in ("RS384", "RS512", "PS256", "ES256", "HS512"):
            with self.subTest(alg=alg):
                h, p, s = self.jwt_a.split(".")
                forged = b64url_encode(json.dumps(dict(self.header_a, alg=alg)).encode()) + "." + p + "." + s
                self.present(forged, reason="jwt_alg_not_allowed")

    def test_an_unknown_kid_is_refused(self):
        self.present(self.own_signed(self.claims_a), reason="jwt_unknown_kid")
        # Valid-looking claims with exp in the past or nbf in the future, signed by our own
        # key: the kid is checked (and fails) before the times. See the module docstring.
        now = int(time.time())
        self.present(self.own_signed(dict(self.claims_a, iat=now - 7200, nbf=now - 7200, exp=now - 3600)),
                     reason="jwt_unknown_kid")
        self.present(self.own_signed(dict(self.claims_a, nbf=now + 3600, exp=now + 7200)), reason="jwt_unknown_kid")

    def test_our_kid_with_a_foreign_signature_is_refused(self):
        self.present(self.own_signed(self.claims_a, kid=self.header_a["kid"]), reason="jwt_bad_signature")

    def test_header_tricks_are_refused(self):
        own_jwk = json.loads(pyjwt.algorithms.RSAAlgorithm.to_jwk(self.own_key.public_key()))
        cases = [
            ({"alg": "RS256", "typ": "JWT", "kid": self.header_a["kid"], "jwk": own_jwk}, "jwt_embedded_key"),
            ({"alg": "RS256", "typ": "JWT", "kid": self.header_a["kid"], "jku": "http://127.0.0.1:1/jwks"},
             "jwt_embedded_key"),
            ({"alg": "RS256", "typ": "JWT", "kid": self.header_a["kid"], "crit": ["exp"]}, "jwt_crit_unsupported"),
            ({"alg": "RS256", "typ": "JWT"}, "jwt_missing_kid"),
            ({"alg": "RS256", "typ": "JWT", "kid": 7}, "jwt_missing_kid"),
            ({"alg": "RS256", "typ": "JWE", "kid": self.header_a["kid"]}, "jwt_bad_typ"),
        ]
        _, p, s = self.jwt_a.split(".")
        for header, reason in cases:
            with self.subTest(reason=reason, header=header):
                forged = b64url_encode(json.dumps(header).encode()) + "." + p + "." + s
                self.present(forged, reason=reason)

    # ---- tampering

    def test_a_changed_payload_keeps_a_signature_that_no_longer_verifies(self):
        now = int(time.time())
        for changes in ({"exp": now - 3600}, {"exp": self.claims_a["exp"] + 86400}, {"aud": [self.app_b["aud"]]},
                        {"service_token_id": str(uuid.uuid4())}, {"common_name": "x.access"}):
            with self.subTest(changes=changes):
                self.present(with_payload(self.jwt_a, **changes), reason="jwt_bad_signature")

    def test_a_jwt_of_app_a_is_refused_at_app_b(self):
        self.present(self.jwt_a, host=self.host_b, reason="jwt_audience_mismatch")
        self.present(self.jwt_a, host=self.host_b, reason="jwt_audience_mismatch", via="cookie")

    def test_single_bit_flips_of_the_signature_are_refused(self):
        # A sample: 64 distinct bit positions of the 2048-bit signature, seeded so a
        # failure reproduces (the C++ unit tests flip every bit).
        rng = random.Random(0x6A7E)
        h, p, _ = self.jwt_a.split(".")
        positions = rng.sample(range(len(self.sig_a) * 8), 64)
        for pos in positions:
            sig = bytearray(self.sig_a)
            sig[pos // 8] ^= 1 << (pos % 8)
            forged = h + "." + p + "." + b64url_encode(bytes(sig))
            with self.subTest(bit=pos):
                self.present(forged, reason="jwt_bad_signature")

    def test_truncated_tokens_are_refused(self):
        h, p, s = self.jwt_a.split(".")
        self.present(h + "." + p, reason="jwt_malformed")
        self.present(h, reason="jwt_malformed")
        self.present(self.jwt_a + ".x", reason="jwt_malformed")
        self.present(h + "." + p + ".", reason="jwt_bad_signature")  # empty signature
        # A cut to 4k characters is valid base64url: a short signature.
        self.present(h + "." + p + "." + s[: len(s) // 2 // 4 * 4], reason="jwt_bad_signature")
        # A cut that leaves 4k+1 characters cannot be base64url at all.
        self.present(h + "." + p + "." + s[: len(s) // 2 // 4 * 4 + 1], reason="jwt_bad_base64")
        # The payload cut short: the signature no longer covers it.
        self.present(h + "." + p[: len(p) // 4 * 4] + "." + s, reason="jwt_bad_signature")

    def test_oversized_tokens_are_refused(self):
        big = with_payload(self.jwt_a, padding="x" * (9 * KIB))
        self.assertGreater(len(big), 8 * KIB)
        self.present(big, reason="jwt_too_large")
        self.present(big, reason="jwt_too_large", via="cookie")

    def test_malformed_base64url_and_json_are_refused(self):
        h, p, s = self.jwt_a.split(".")
        self.present(h + "=." + p + "." + s, reason="jwt_bad_base64")          # padding
        self.present("+" + h[1:] + "." + p + "." + s, reason="jwt_bad_base64")  # base64, not base64url
        self.present(h + "." + p + "." + s[:-2] + "/" + s[-1], reason="jwt_bad_base64")
        self.present(h + "." + p + "." + s + "==", reason="jwt_bad_base64")
        self.present(b64url_encode(b"{not json") + "." + p + "." + s, reason="jwt_bad_json")
        self.present(b64url_encode(b"[\"RS256\"]") + "." + p + "." + s, reason="jwt_not_an_object")
        self.present(b64url_encode(('{"alg":"RS256","kid":"%s","typ":"JWT","alg":"none"}' %
                                    self.header_a["kid"]).encode()) + "." + p + "." + s, reason="jwt_duplicate_key")
        self.present("not a jwt at all", reason="jwt_malformed")
        self.present("..", reason="jwt_bad_json")

    # ---- path confusion: the app is chosen by the path as the origin will read it

    def test_a_path_spelled_differently_cannot_escape_a_path_scoped_app(self):
        # A public site (Bypass) with a protected /admin app on the same host. Origins
        # such as nginx serve /admin/x for every target below (dot segments, percent-
        # encoded unreserved characters and slashes, repeated slashes), so each must be
        # judged by the /admin app, not by the public one — or refused as ambiguous
        # (docs/edge.md "Paths").
        apps = Apps(self.server, self.origin.url)
        host = "site-%s.test" % uuid.uuid4().hex[:8]
        apps.create("public", [{"name": "all", "decision": "bypass", "include": [{"everyone": {}}]}], domain=host)
        apps.create("admin", [{"name": "svc", "decision": "non_identity",
                               "include": [{"service_token": {"token_id": self.tok["id"]}}]}], domain=host + "/admin")
        m = uuid.uuid4().hex
        judged_by_admin = ("/admin/%s" % m, "/public/../admin/%s" % m, "/%%61dmin/%s" % m,
                           "/%%61%%64%%6D%%69%%6E/%s" % m, "//admin/%s" % m, "/public//..//admin/%s" % m,
                           "/./admin/%s" % m, "/admin/./%s?x=/../public" % m, "/ADMIN/%s" % m)
        ambiguous = ("/public/%%2e%%2e/admin/%s" % m, "/.%%2E/admin/%s" % m, "/admin%%2f%s" % m,
                     "/admin%%5C%s" % m)
        for target in judged_by_admin + ambiguous:
            with self.subTest(target=target):
                r = raw_exchange(self.server.edge_url, ("GET %s HTTP/1.1\r\nHost: %s\r\nAccept: application/json\r\n"
                                                        "\r\n" % (target, host)).encode())
                if target in ambiguous:
                    self.assertRefused(r, 400, "ambiguous_path", target)
                else:
                    self.assertRefused(r, 403, "no_credentials", target)
                self.assertEqual([x for x in self.origin.requests if m in x.path], [])
        # With the token, the origin gets the canonical target the decision was made on.
        target = "/public/../admin/%s" % m
        r = raw_exchange(self.server.edge_url, ("GET %s HTTP/1.1\r\nHost: %s\r\nCF-Access-Client-Id: %s\r\n"
                                                "CF-Access-Client-Secret: %s\r\n\r\n" % (
                                                    target, host, self.tok["client_id"],
                                                    self.tok["client_secret"])).encode())
        self.assertEqual(r.status, 200, r)
        self.assertEqual([x.path for x in self.origin.requests if m in x.path], ["/admin/%s" % m])
        # The public app still serves what is really outside /admin.
        for target in ("/admin-not/%s" % m, "/admin/../public/%s" % m, "/./public/%s" % m):
            r = raw_exchange(self.server.edge_url, ("GET %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (target, host)).encode())
            self.assertEqual(r.status, 200, (target, r))

    # ---- credential headers

    def test_duplicate_or_half_present_credential_headers_are_400(self):
        tid, sec = self.tok["client_id"].encode(), self.tok["client_secret"].encode()
        cases = [
            ([b"CF-Access-Client-Id: " + tid, b"CF-Access-Client-Id: " + tid, b"CF-Access-Client-Secret: " + sec],
             "credentials_duplicated"),
            ([b"CF-Access-Client-Id: " + tid, b"CF-Access-Client-Secret: " + sec, b"cf-access-client-secret: " + sec],
             "credentials_duplicated"),
            ([b"CF-Access-Client-Id: " + tid], "credentials_incomplete"),
            ([b"CF-Access-Client-Secret: " + sec], "credentials_incomplete"),
            ([b"CF-Access-Client-Id: ", b"CF-Access-Client-Secret: " + sec], "credentials_incomplete"),
            ([b"cf-access-token: " + self.jwt_a.encode(), b"cf-access-token: " + self.jwt_a.encode()],
             "credentials_duplicated"),
            ([b"Cookie: CF_Authorization=" + self.jwt_a.encode(), b"Cookie: CF_Authorization=other"],
             "credentials_duplicated"),
            ([b"Cookie: CF_Authorization=" + self.jwt_a.encode() + b"; CF_Authorization=x"], "credentials_duplicated"),
        ]
        for lines, reason in cases:
            with self.subTest(lines=lines):
                r, path = self.raw(lines)
                self.assertRefused(r, 400, reason, path)

    # ---- framing (the transport refuses these before the Gate)

    def test_cr_or_lf_or_nul_in_a_header_value_is_400(self):
        cases = [
            (b"X-Note: a\rb", "bad_line_ending"),  # a bare CR
            (b"CF-Access-Client-Id: x\rCF-Access-Client-Secret: y", "bad_line_ending"),
            (b"X-Note: a\nX-Injected: b", "invalid_header_value"),  # a bare LF is not a line end
            (b"X-Note: a\x00b", "invalid_header_value"),
            (b"X-Note: a\x01b", "invalid_header_value"),
            (b"X-Note: a\x7fb", "invalid_header_value"),
        ]
        for line, reason in cases:
            with self.subTest(line=line):
                r, path = self.raw(self.token_lines() + [line])
                self.assertRefused(r, 400, reason, path)

    def test_obs_fold_is_400(self):
        r, path = self.raw(self.token_lines() + [b"X-Note: a", b" folded"])
        self.assertRefused(r, 400, "obs_fold", path)

    def test_conflicting_content_length_and_transfer_encoding_are_400(self):
        body = b"5\r\nhello\r\n0\r\n\r\n"
        cases = [
            ([b"Content-Length: 5", b"Transfer-Encoding: chunked"], "content_length_with_transfer_encoding"),
            ([b"Transfer-Encoding: chunked", b"Content-Length: 5"], "content_length_with_transfer_encoding"),
            ([b"Content-Length: 5", b"Content-Length: 6"], "duplicate_content_length"),
            ([b"Content-Length: 5", b"Content-Length: 5"], "duplicate_content_length"),
            ([b"Content-Length: 5, 5"], "duplicate_content_length"),
            ([b"Transfer-Encoding: chunked", b"Transfer-Encoding: chunked"], "duplicate_transfer_encoding"),
            ([b"Transfer-Encoding: gzip"], "transfer_encoding_not_chunked_last"),
            ([b"Transfer-Encoding: chunked, identity"], "transfer_encoding_not_chunked_last"),
            ([b"Content-Length: -1"], "invalid_content_length"),
        ]
        for lines, reason in cases:
            with self.subTest(lines=lines):
                r, path = self.raw(self.token_lines() + lines, body=body)
                self.assertRefused(r, 400, reason, path)

    def test_host_problems_are_400(self):
        path = self.marker()
        data = ("GET %s HTTP/1.1\r\nHost: %s\r\nHost: %s\r\n\r\n" % (path, self.host_a, self.host_b)).encode()
        self.assertRefused(raw_exchange(self.server.edge_url, data), 400, "duplicate_host", path)
        path = self.marker()
        data = ("GET %s HTTP/1.1\r\nCf-Access-Token: %s\r\n\r\n" % (path, self.jwt_a)).encode()
        self.assertRefused(raw_exchange(self.server.edge_url, data), 400, "missing_host", path)
        # An absolute-form target for another host than Host.
        path = self.marker()
        data = ("GET http://%s%s HTTP/1.1\r\nHost: %s\r\ncf-access-token: %s\r\n\r\n" % (
            self.host_b, path, self.host_a, self.jwt_a)).encode()
        self.assertRefused(raw_exchange(self.server.edge_url, data), 400, "unsupported_target", path)

    def test_a_100kb_cookie_is_431(self):
        path = self.marker()
        r = edge_request(self.server.edge_url, self.host_a, path,
                         headers=dict(service_headers(self.tok), Cookie="c=" + "x" * (100 * KIB)))
        self.assertRefused(r, 431, "header_too_large", path)

    def test_an_unknown_host_is_404(self):
        path = self.marker()
        r = edge_request(self.server.edge_url, "unknown-%s.test" % uuid.uuid4().hex[:8], path,
                         headers=service_headers(self.tok))
        self.assertRefused(r, 404, "no_application", path)


if __name__ == "__main__":
    unittest.main()
