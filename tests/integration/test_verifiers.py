"""An independent verifier accepts what the edge issues (compat.md §2.3, §2.6): PyJWT,
the way an origin behind Cloudflare Access checks Cf-Access-Jwt-Assertion — keys
fetched from /cdn-cgi/access/certs (PyJWKClient), RS256 only, the app's aud, the team
domain as issuer. The same with Node's jose: tests/compat/jose_verify.test.mjs.

Run: cd tests/integration && GATEHOUSE_BIN=../../build/debug/src/gatehouse python3 -m unittest -v test_verifiers
"""

import time
import unittest
import uuid

import jwt as pyjwt
from cryptography import x509

from edge_client import (EdgeServerTestCase, b64url_encode, edge_request, host_of, jwt_parts, service_headers, unique,
                         with_payload)


class PyJwtVerifierTest(EdgeServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tok = cls.server.create_token(unique("verify"))
        cls.app_a = cls.apps.token_app("va", [cls.tok])
        cls.app_b = cls.apps.token_app("vb", [cls.tok])
        org = cls.server.ok("GET", cls.server.acct("/access/organizations"))
        cls.issuer = "https://" + org["auth_domain"]
        cls.certs_url = cls.server.edge_url + "/cdn-cgi/access/certs"

    def assertion(self, app):
        """The Cf-Access-Jwt-Assertion the origin received for a request with the token."""
        path = "/v/" + uuid.uuid4().hex
        r = edge_request(self.server.edge_url, host_of(app), path, headers=service_headers(self.tok))
        self.assertEqual(r.status, 200, r)
        seen = self.origin.requests_for(path)
        self.assertEqual(len(seen), 1)
        jwt = seen[0].headers.get("Cf-Access-Jwt-Assertion")
        self.assertTrue(jwt)
        return jwt

    def verify(self, token, audience, client=None):
        client = client or pyjwt.PyJWKClient(self.certs_url, cache_jwk_set=False)
        key = client.get_signing_key_from_jwt(token)
        return pyjwt.decode(token, key.key, algorithms=["RS256"], audience=audience, issuer=self.issuer,
                            options={"require": ["exp", "iat", "nbf", "iss", "aud"]})

    def test_pyjwt_accepts_the_assertion_the_origin_received(self):
        token = self.assertion(self.app_a)
        claims = self.verify(token, self.app_a["aud"])
        self.assertEqual(claims["aud"], [self.app_a["aud"]])
        self.assertEqual(claims["iss"], self.issuer)
        self.assertEqual(claims["service_token_id"], self.tok["id"])
        self.assertEqual(claims["common_name"], self.tok["client_id"])
        self.assertEqual(claims["type"], "app")
        self.assertLessEqual(claims["iat"], time.time() + 1)

    def test_the_published_certificate_verifies_too(self):
        token = self.assertion(self.app_a)
        kid = jwt_parts(token)[0]["kid"]
        certs = edge_request(self.server.edge_url, host_of(self.app_a), "/cdn-cgi/access/certs").body
        pem = next(c["cert"] for c in certs["public_certs"] if c["kid"] == kid)
        key = x509.load_pem_x509_certificate(pem.encode()).public_key()
        claims = pyjwt.decode(token, key, algorithms=["RS256"], audience=self.app_a["aud"], issuer=self.issuer)
        self.assertEqual(claims["service_token_id"], self.tok["id"])

    def test_pyjwt_rejects_a_tampered_assertion(self):
        token = self.assertion(self.app_a)
        with self.assertRaises(pyjwt.InvalidSignatureError):
            self.verify(with_payload(token, exp=int(time.time()) + 10 * 86400), self.app_a["aud"])
        h, p, _ = token.split(".")
        sig = bytearray(jwt_parts(token)[2])
        sig[len(sig) // 2] ^= 0x01
        with self.assertRaises(pyjwt.InvalidSignatureError):
            self.verify(h + "." + p + "." + b64url_encode(bytes(sig)), self.app_a["aud"])

    def test_pyjwt_rejects_another_apps_audience_and_another_issuer(self):
        token = self.assertion(self.app_a)
        with self.assertRaises(pyjwt.InvalidAudienceError):
            self.verify(token, self.app_b["aud"])
        client = pyjwt.PyJWKClient(self.certs_url, cache_jwk_set=False)
        key = client.get_signing_key_from_jwt(token)
        with self.assertRaises(pyjwt.InvalidIssuerError):
            pyjwt.decode(token, key.key, algorithms=["RS256"], audience=self.app_a["aud"],
                         issuer="https://someone-else.example.com")
        # And the JWT of app B verifies only for app B.
        token_b = self.assertion(self.app_b)
        self.assertEqual(self.verify(token_b, self.app_b["aud"])["aud"], [self.app_b["aud"]])

    def test_after_a_key_rotation_old_and_new_assertions_verify(self):
        old = self.assertion(self.app_a)
        self.server.ok("POST", self.server.acct("/access/keys/rotate"), content_type=None)
        new = self.assertion(self.app_a)
        self.assertNotEqual(jwt_parts(old)[0]["kid"], jwt_parts(new)[0]["kid"])
        client = pyjwt.PyJWKClient(self.certs_url, cache_jwk_set=False)
        for token in (old, new):
            self.assertEqual(self.verify(token, self.app_a["aud"], client)["service_token_id"], self.tok["id"])


if __name__ == "__main__":
    unittest.main()
