"""The forged-credential corpus: one table of requests that must not get through.

A real `gatehouse serve` and a real recording origin (origin_recorder.py) on loopback,
one of each for the whole class. Genuine credentials are made first (service tokens
through the admin API, JWTs by presenting their headers and taking the Set-Cookie);
every forgery is derived from one of them so that it differs from a valid credential
in one way. For EACH case (a subTest named after its class) the test asserts:

  * the status is the refusal documented in docs/edge.md (400 for credential-header
    shape problems, 403 otherwise) with the documented reason slug;
  * the origin recorded nothing for it (a unique marker path and X-Forged-Case header
    per request, looked for in the recorder);
  * the response sets no CF_Authorization cookie with a value.

Positive controls (test_controls_*) show the genuine credentials get through the same
server, so a broken setup cannot make every case "pass".

The JWT time and claim cases (exp, nbf, iat, iss, aud, duplicate claims, ...) need a
token signed by the server's own key with chosen claims. The test owns the master key
(GATEHOUSE_MASTER_KEY, random per run), reads the signing key's sealed blob from the
data dir's SQLite file and opens it as src/jwt/key_encryption.cpp sealed it (AES-256-GCM,
associated data "gatehouse.signing-key.v1\\0<kid>"), then re-signs the genuine claims
with one change. A control proves the re-signed genuine claims are accepted, so each
such refusal is about the one claim changed, not about the signature.

No wall-clock sleep: expiry is made with a duration of 1us, grace ends by setting it
in the past, and the JWT time cases use times far beyond the 60 s leeway.

Stdlib + python3-cryptography (no PyJWT, so any python3 with cryptography runs it).

Run: cd tests/integration && GATEHOUSE_BIN=../../build/debug/src/gatehouse python3 -m unittest -v test_forged_credentials
"""

import base64
import datetime
import hashlib
import hmac
import json
import os
import sqlite3
import time
import unittest
import uuid

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

from edge_client import (EdgeServerTestCase, b64url_decode, b64url_encode, edge_request, host_of, jwt_parts,
                         service_headers, set_cookies, set_org, unique, with_payload)
from gatehouse_server import checksummed, rfc3339

KIB = 1024
LEEWAY = 60  # docs/edge.md: exp and nbf/iat with 60 s of leeway
SINGLE_HEADER = "X-Gh-Credential"  # the single-header app's read_service_tokens_from_header
MASTER_KEY_HEX = os.urandom(32).hex()

# Token-header names (docs/edge.md).
ID, SECRET = "CF-Access-Client-Id", "CF-Access-Client-Secret"


# ---- JWS by hand (every byte under the test's control)


def enc_segment(part):
    """A JWS segment: a dict is serialised compactly, bytes/str are taken as they are."""
    if isinstance(part, dict):
        part = json.dumps(part, separators=(",", ":")).encode()
    elif isinstance(part, str):
        part = part.encode()
    return b64url_encode(part)


def signature(alg, key, signing_input):
    data = signing_input.encode()
    if alg in ("RS256", "RS384", "RS512"):
        h = {"RS256": hashes.SHA256, "RS384": hashes.SHA384, "RS512": hashes.SHA512}[alg]()
        return key.sign(data, padding.PKCS1v15(), h)
    if alg == "PS256":
        return key.sign(data, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256())
    if alg == "ES256":
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")
    if alg in ("HS256", "HS384"):
        return hmac.new(key, data, {"HS256": hashlib.sha256, "HS384": hashlib.sha384}[alg]).digest()
    raise ValueError(alg)


def sign(header, payload, key, alg="RS256"):
    signing_input = enc_segment(header) + "." + enc_segment(payload)
    return signing_input + "." + b64url_encode(signature(alg, key, signing_input))


def pem_of_jwk(jwk):
    n = int.from_bytes(b64url_decode(jwk["n"]), "big")
    e = int.from_bytes(b64url_decode(jwk["e"]), "big")
    return rsa.RSAPublicNumbers(e, n).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def jwk_of(public_key, kid):
    nums = public_key.public_numbers()
    return {"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
            "n": b64url_encode(nums.n.to_bytes((nums.n.bit_length() + 7) // 8, "big")),
            "e": b64url_encode(nums.e.to_bytes(3, "big"))}


def self_signed_cert_der(key):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "attacker.example")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.DER)


def server_signing_key(data_dir, kid):
    """The server's private signing key for `kid`: the sealed blob from the data dir's
    SQLite file, opened with the master key this test gave the server."""
    con = sqlite3.connect("file:%s?mode=ro" % os.path.join(data_dir, "gatehouse.db"), uri=True)
    try:
        row = con.execute("SELECT private_key_encrypted FROM signing_keys WHERE kid = ?", (kid,)).fetchone()
    finally:
        con.close()
    assert row, "no signing key %s in the data dir" % kid
    blob = row[0]
    assert blob.startswith("v1:"), blob[:8]
    raw = b64url_decode(blob[3:])
    pem = AESGCM(bytes.fromhex(MASTER_KEY_HEX)).decrypt(raw[:12], raw[12:],
                                                        b"gatehouse.signing-key.v1\x00" + kid.encode())
    return serialization.load_pem_private_key(pem, password=None)


def swap_last_char(s):
    return s[:-1] + ("0" if s[-1] != "0" else "1")


def flip_bit(token, bit):
    h, p, s = token.split(".")
    sig = bytearray(b64url_decode(s))
    sig[bit // 8] ^= 1 << (bit % 8)
    return h + "." + p + "." + b64url_encode(bytes(sig))


def std_b64(b):
    return base64.b64encode(b).decode()


class ForgedCredentialsTest(EdgeServerTestCase):
    server_env = {"GATEHOUSE_MASTER_KEY": MASTER_KEY_HEX}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        srv = cls.server
        mk = lambda prefix, **kw: srv.create_token(unique(prefix), **kw)  # noqa: E731
        cls.tok = mk("forged-main")
        cls.tok_other = mk("forged-other")        # valid, named by no policy of app A
        cls.tok_disabled = mk("forged-disabled")
        cls.tok_deleted = mk("forged-deleted")
        cls.tok_expired = mk("forged-expired")    # expired after its JWT was issued
        cls.tok_born_expired = mk("forged-born-expired", duration="1us")
        cls.tok_rotated = mk("forged-rotated")    # rotated with grace, grace ended, rotated again
        cls.tok_rotated_now = mk("forged-rotated-now")  # rotated without a body: old secret revoked at once
        on_a = [cls.tok, cls.tok_disabled, cls.tok_deleted, cls.tok_expired, cls.tok_born_expired, cls.tok_rotated,
                cls.tok_rotated_now]
        cls.app_a = cls.apps.token_app("forged-a", on_a)
        cls.app_b = cls.apps.token_app("forged-b", [cls.tok])
        cls.app_r = cls.apps.token_app("forged-revoked", [cls.tok])
        cls.app_other = cls.apps.token_app("forged-other", [cls.tok_other])
        cls.app_s = cls.apps.token_app("forged-single", [cls.tok], read_service_tokens_from_header=SINGLE_HEADER)
        cls.host_a, cls.host_b = host_of(cls.app_a), host_of(cls.app_b)
        cls.host_r, cls.host_s = host_of(cls.app_r), host_of(cls.app_s)

        def issued(host, token):
            r = edge_request(srv.edge_url, host, "/setup/" + uuid.uuid4().hex, headers=service_headers(token))
            assert r.status == 200, r
            cookies = set_cookies(r)
            assert len(cookies) == 1 and cookies[0].value, r
            return cookies[0].value

        cls.jwt_a = issued(cls.host_a, cls.tok)
        cls.jwt_b = issued(cls.host_b, cls.tok)        # genuine, for app B
        cls.jwt_other = issued(host_of(cls.app_other), cls.tok_other)  # genuine, other token, other app
        cls.jwt_disabled = issued(cls.host_a, cls.tok_disabled)
        cls.jwt_deleted = issued(cls.host_a, cls.tok_deleted)
        cls.jwt_expired = issued(cls.host_a, cls.tok_expired)
        cls.jwt_before_revoke = issued(cls.host_r, cls.tok)

        # Lifecycle changes after issuing; each takes effect from the next request.
        tokens = srv.tokens_path
        srv.ok("PUT", tokens("/" + cls.tok_disabled["id"]), {"enabled": False})
        srv.ok("DELETE", tokens("/" + cls.tok_deleted["id"]))
        srv.ok("PUT", tokens("/" + cls.tok_expired["id"]), {"duration": "1us"})  # expires_at = now + 1us
        grace = rfc3339(time.time() + 3600)
        cls.rot_v1 = cls.tok_rotated["client_secret"]
        cls.rot_v2 = srv.ok("POST", tokens("/%s/rotate" % cls.tok_rotated["id"]),
                            {"previous_client_secret_expires_at": grace})["client_secret"]
        srv.ok("PUT", tokens("/" + cls.tok_rotated["id"]), {"previous_client_secret_expires_at": "2000-01-01T00:00:00Z"})
        cls.rot_v3 = srv.ok("POST", tokens("/%s/rotate" % cls.tok_rotated["id"]),
                            {"previous_client_secret_expires_at": grace})["client_secret"]  # v2 in grace, v1 gone
        cls.rot_now_old = cls.tok_rotated_now["client_secret"]
        cls.rot_now_new = srv.ok("POST", tokens("/%s/rotate" % cls.tok_rotated_now["id"]),
                                 content_type=None)["client_secret"]
        srv.ok("POST", srv.acct("/access/apps/%s/revoke_tokens" % cls.app_r["id"]), content_type=None)

        cls.header_a, cls.claims_a, _ = jwt_parts(cls.jwt_a)
        cls.kid = cls.header_a["kid"]
        certs = edge_request(srv.edge_url, cls.host_a, "/cdn-cgi/access/certs")
        assert certs.status == 200, certs
        cls.jwks = certs.body
        cls.our_jwk = next(k for k in cls.jwks["keys"] if k["kid"] == cls.kid)
        cls.our_pem = pem_of_jwk(cls.our_jwk)
        cls.server_key = server_signing_key(srv.data_dir, cls.kid)
        # What an attacker can sign with.
        cls.attacker_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cls.attacker_ec = ec.generate_private_key(ec.SECP256R1())
        cls.attacker_jwk = jwk_of(cls.attacker_key.public_key(), cls.kid)

    # ---- building forgeries from the genuine JWT of app A

    def claims(self, drop=(), **changes):
        c = dict(self.claims_a, identity_nonce=uuid.uuid4().hex)  # a fresh text: no cache can answer for it
        c.update(changes)
        for k in drop:
            c.pop(k, None)
        return c

    def resigned(self, drop=(), header=None, **changes):
        """The genuine claims with `changes`, genuinely signed by the server's key."""
        return sign(header or self.header_a, self.claims(drop, **changes), self.server_key)

    def resigned_raw(self, payload_bytes, header=None):
        return sign(header or self.header_a, payload_bytes, self.server_key)

    def hdr(self, drop=(), **changes):
        h = dict(self.header_a)
        h.update(changes)
        for k in drop:
            h.pop(k, None)
        return h

    def raw_header_json(self, text, payload=None):
        """A header given as JSON text (duplicate members), real key, genuine claims."""
        return sign(text.encode(), payload or self.claims(), self.server_key)

    def attacker_signed(self, header, claims=None, alg="RS256", key=None):
        return sign(header, claims or self.claims(), key or self.attacker_key, alg)

    def hmac_signed(self, alg, secret):
        return sign(self.hdr(alg=alg), self.claims(), secret, alg)

    def now(self):
        return int(time.time())

    # ---- the table

    def jwt_cases(self):
        """(class, token, reason): a JWT at app A, presented as cf-access-token and as the
        CF_Authorization cookie, each refused 403 with `reason`."""
        now = self.now()
        h, p, s = self.jwt_a.split(".")
        other_aud = hashlib.sha256(b"not-an-app").hexdigest()
        sig_bytes = b64url_decode(s)
        std_sig = std_b64(sig_bytes)
        assert "+" in std_sig or "/" in std_sig, "this signature happens to be base64url already"
        claims_json = json.dumps(self.claims(), separators=(",", ":"))
        big = self.resigned(padding="x" * (9 * KIB))
        assert len(big) > 8 * KIB
        two_aud = claims_json[:-1] + ',"aud":["%s"]}' % other_aud
        two_exp = claims_json[:-1] + ',"exp":%d}' % (now - 3600)
        kid = self.kid
        return [
            # alg none, every spelling, with no signature and with the real one kept
            ("alg_none", sign_none(self.hdr(alg="none"), self.claims()), "jwt_alg_not_allowed"),
            ("alg_None", sign_none(self.hdr(alg="None"), self.claims()), "jwt_alg_not_allowed"),
            ("alg_NONE", sign_none(self.hdr(alg="NONE"), self.claims()), "jwt_alg_not_allowed"),
            ("alg_nOnE", sign_none(self.hdr(alg="nOnE"), self.claims()), "jwt_alg_not_allowed"),
            ("alg_none_real_signature_kept", enc_segment(self.hdr(alg="none")) + "." + p + "." + s,
             "jwt_alg_not_allowed"),
            ("alg_none_no_kid", sign_none({"alg": "none", "typ": "JWT"}, self.claims()), "jwt_alg_not_allowed"),
            ("alg_empty_string", sign_none(self.hdr(alg=""), self.claims()), "jwt_alg_not_allowed"),
            ("alg_missing", self.resigned(header=self.hdr(drop=("alg",))), "jwt_alg_not_allowed"),
            ("alg_not_a_string", self.resigned(header=self.hdr(alg=["RS256"])), "jwt_alg_not_allowed"),
            ("alg_rs256_lowercase", self.resigned(header=self.hdr(alg="rs256")), "jwt_alg_not_allowed"),
            ("alg_rs256_trailing_space", self.resigned(header=self.hdr(alg="RS256 ")), "jwt_alg_not_allowed"),
            # RSA -> HMAC confusion: the public key (PEM, PEM without the final newline, the
            # certificate, the JWK, the raw modulus) as the HMAC secret
            ("hs256_with_public_pem", self.hmac_signed("HS256", self.our_pem), "jwt_alg_not_allowed"),
            ("hs256_with_public_pem_stripped", self.hmac_signed("HS256", self.our_pem.strip()), "jwt_alg_not_allowed"),
            ("hs384_with_public_pem", self.hmac_signed("HS384", self.our_pem), "jwt_alg_not_allowed"),
            ("hs256_with_public_cert", self.hmac_signed("HS256", self.jwks["public_cert"]["cert"].encode()),
             "jwt_alg_not_allowed"),
            ("hs256_with_jwk_json", self.hmac_signed("HS256", json.dumps(self.our_jwk).encode()),
             "jwt_alg_not_allowed"),
            ("hs256_with_modulus", self.hmac_signed("HS256", b64url_decode(self.our_jwk["n"])), "jwt_alg_not_allowed"),
            # other algorithms, signed for real (with the server's own key where it can)
            ("alg_ps256_server_key", sign(self.hdr(alg="PS256"), self.claims(), self.server_key, "PS256"),
             "jwt_alg_not_allowed"),
            ("alg_rs512_server_key", sign(self.hdr(alg="RS512"), self.claims(), self.server_key, "RS512"),
             "jwt_alg_not_allowed"),
            ("alg_rs384_server_key", sign(self.hdr(alg="RS384"), self.claims(), self.server_key, "RS384"),
             "jwt_alg_not_allowed"),
            ("alg_es256_attacker_key", self.attacker_signed(self.hdr(alg="ES256"), alg="ES256", key=self.attacker_ec),
             "jwt_alg_not_allowed"),
            ("alg_rs256_header_ps256_signature", sign(self.hdr(), self.claims(), self.server_key, "PS256"),
             "jwt_bad_signature"),
            # keys
            ("foreign_key_with_our_kid", self.attacker_signed(self.hdr()), "jwt_bad_signature"),
            ("unknown_kid_attacker_key", self.attacker_signed(self.hdr(kid=hashlib.sha256(b"x").hexdigest())),
             "jwt_unknown_kid"),
            ("unknown_kid_server_key", self.resigned(header=self.hdr(kid=hashlib.sha256(b"y").hexdigest())),
             "jwt_unknown_kid"),
            ("kid_uppercase", self.resigned(header=self.hdr(kid=kid.upper())), "jwt_unknown_kid"),
            ("kid_with_trailing_space", self.resigned(header=self.hdr(kid=kid + " ")), "jwt_unknown_kid"),
            ("kid_with_nul", self.resigned(header=self.hdr(kid=kid + "\u0000")), "jwt_unknown_kid"),
            ("kid_missing", self.resigned(header=self.hdr(drop=("kid",))), "jwt_missing_kid"),
            ("kid_number", self.resigned(header=self.hdr(kid=7)), "jwt_missing_kid"),
            ("kid_null", self.resigned(header=self.hdr(kid=None)), "jwt_missing_kid"),
            ("kid_array", self.resigned(header=self.hdr(kid=[kid])), "jwt_missing_kid"),
            ("kid_path_traversal", self.attacker_signed(self.hdr(kid="../../../../../../dev/null")), "jwt_unknown_kid"),
            ("kid_path_traversal_to_kid", self.attacker_signed(self.hdr(kid="../" + kid)), "jwt_unknown_kid"),
            ("kid_sql_injection", self.attacker_signed(self.hdr(kid="' OR 1=1 --")), "jwt_unknown_kid"),
            ("kid_sql_union", self.attacker_signed(self.hdr(kid="x' UNION SELECT '%s" % kid)), "jwt_unknown_kid"),
            # keys in the token (must be ignored: the attacker's key would verify its own signature)
            ("embedded_jwk_attacker", self.attacker_signed(self.hdr(jwk=self.attacker_jwk)), "jwt_embedded_key"),
            ("embedded_jku_attacker", self.attacker_signed(self.hdr(jku="http://127.0.0.1:1/jwks.json")),
             "jwt_embedded_key"),
            ("embedded_x5u_attacker", self.attacker_signed(self.hdr(x5u="http://127.0.0.1:1/cert.pem")),
             "jwt_embedded_key"),
            ("embedded_x5c_attacker", self.attacker_signed(self.hdr(x5c=[std_b64(self.attacker_cert_der())])),
             "jwt_embedded_key"),
            ("embedded_jwk_no_kid", self.attacker_signed(self.hdr(drop=("kid",), jwk=self.attacker_jwk)),
             "jwt_embedded_key"),
            ("embedded_jwk_server_key", self.resigned(header=self.hdr(jwk=self.our_jwk)), "jwt_embedded_key"),
            ("crit_header", self.resigned(header=self.hdr(crit=["exp"])), "jwt_crit_unsupported"),
            ("crit_empty", self.resigned(header=self.hdr(crit=[])), "jwt_crit_unsupported"),
            # typ
            ("typ_jwe", self.resigned(header=self.hdr(typ="JWE")), "jwt_bad_typ"),
            ("typ_at_jwt", self.resigned(header=self.hdr(typ="at+jwt")), "jwt_bad_typ"),
            ("typ_number", self.resigned(header=self.hdr(typ=1)), "jwt_bad_typ"),
            ("typ_empty", self.resigned(header=self.hdr(typ="")), "jwt_bad_typ"),
            # audience
            ("aud_wrong_array", self.resigned(aud=[other_aud]), "jwt_audience_mismatch"),
            ("aud_wrong_string", self.resigned(aud=other_aud), "jwt_audience_mismatch"),
            ("aud_empty_array", self.resigned(aud=[]), "jwt_audience_mismatch"),
            ("aud_prefix_of_ours", self.resigned(aud=[self.app_a["aud"][:-1]]), "jwt_audience_mismatch"),
            ("aud_missing", self.resigned(drop=("aud",)), "jwt_missing_audience"),
            ("aud_number", self.resigned(aud=[1]), "jwt_bad_claim_type"),
            ("aud_object", self.resigned(aud={"aud": self.app_a["aud"]}), "jwt_bad_claim_type"),
            ("genuine_jwt_of_app_b", self.jwt_b, "jwt_audience_mismatch"),
            ("genuine_jwt_of_other_token_and_app", self.jwt_other, "jwt_audience_mismatch"),
            # issuer
            ("iss_wrong", self.resigned(iss="https://attacker.example"), "jwt_issuer_mismatch"),
            ("iss_trailing_slash", self.resigned(iss=self.claims_a["iss"] + "/"), "jwt_issuer_mismatch"),
            ("iss_missing", self.resigned(drop=("iss",)), "jwt_missing_issuer"),
            ("iss_array", self.resigned(iss=[self.claims_a["iss"]]), "jwt_bad_claim_type"),
            # times (beyond the 60 s leeway)
            ("exp_past", self.resigned(iat=now - 7200, nbf=now - 7200, exp=now - 2 * LEEWAY), "jwt_expired"),
            ("exp_missing", self.resigned(drop=("exp",)), "jwt_missing_exp"),
            ("exp_string", self.resigned(exp=str(self.claims_a["exp"])), "jwt_bad_claim_type"),
            ("exp_null", self.resigned(exp=None), "jwt_bad_claim_type"),
            ("exp_bool", self.resigned(exp=True), "jwt_bad_claim_type"),
            ("nbf_future", self.resigned(nbf=now + 10 * LEEWAY), "jwt_not_yet_valid"),
            ("nbf_string", self.resigned(nbf=str(self.claims_a["nbf"])), "jwt_bad_claim_type"),
            ("iat_future", self.resigned(iat=now + 10 * LEEWAY), "jwt_issued_in_future"),
            ("iat_string", self.resigned(iat=str(self.claims_a["iat"])), "jwt_bad_claim_type"),
            # claims naming something other than a live token of this account
            ("no_service_token_id", self.resigned(drop=("service_token_id",)), "jwt_not_a_service_token"),
            ("service_token_id_unknown", self.resigned(service_token_id=str(uuid.uuid4())), "service_token_deleted"),
            ("service_token_id_uppercase", self.resigned(service_token_id=self.tok["id"].upper()),
             "service_token_deleted"),
            ("service_token_id_of_unlisted_token", self.resigned(service_token_id=self.tok_other["id"],
                                                                 common_name=self.tok_other["client_id"]),
             "policy_denied"),
            ("revocation_epoch_forged", self.resigned(gh_revocation_epoch=1), "jwt_revoked"),
            # lifecycle: genuine JWTs whose token changed since
            ("jwt_before_revoke_tokens", self.jwt_before_revoke, "jwt_revoked", self.host_r),
            ("jwt_of_disabled_token", self.jwt_disabled, "service_token_disabled"),
            ("jwt_of_deleted_token", self.jwt_deleted, "service_token_deleted"),
            ("jwt_of_expired_token", self.jwt_expired, "service_token_expired"),
            # tampering after signing
            ("signature_first_bit_flipped", flip_bit(self.jwt_a, 0), "jwt_bad_signature"),
            ("signature_middle_bit_flipped", flip_bit(self.jwt_a, len(sig_bytes) * 4 + 3), "jwt_bad_signature"),
            ("signature_last_bit_flipped", flip_bit(self.jwt_a, len(sig_bytes) * 8 - 1), "jwt_bad_signature"),
            ("signature_of_other_jwt", h + "." + p + "." + self.jwt_b.split(".")[2], "jwt_bad_signature"),
            ("payload_exp_extended", with_payload(self.jwt_a, exp=self.claims_a["exp"] + 365 * 86400),
             "jwt_bad_signature"),
            ("payload_token_id_changed", with_payload(self.jwt_a, service_token_id=self.tok_other["id"]),
             "jwt_bad_signature"),
            ("payload_of_app_b_signature_of_a", h + "." + self.jwt_b.split(".")[1] + "." + s, "jwt_bad_signature"),
            ("header_changed_typ_dropped", enc_segment(self.hdr(drop=("typ",))) + "." + p + "." + s,
             "jwt_bad_signature"),
            # shape
            ("truncated_two_segments", h + "." + p, "jwt_malformed"),
            ("truncated_header_only", h, "jwt_malformed"),
            ("truncated_empty_signature", h + "." + p + ".", "jwt_bad_signature"),
            ("truncated_half_signature", h + "." + p + "." + s[: len(s) // 2 // 4 * 4], "jwt_bad_signature"),
            ("truncated_signature_4k_plus_1", h + "." + p + "." + s[: len(s) // 2 // 4 * 4 + 1], "jwt_bad_base64"),
            ("extra_segment_four_parts", self.jwt_a + "." + s, "jwt_malformed"),
            ("extra_segment_jwe_five_parts", ".".join([enc_segment({"alg": "RSA-OAEP", "enc": "A256GCM"}),
                                                       b64url_encode(os.urandom(256)), b64url_encode(os.urandom(12)),
                                                       p, b64url_encode(os.urandom(16))]), "jwt_malformed"),
            ("trailing_dot", self.jwt_a + ".", "jwt_malformed"),
            ("two_jwts_comma_joined", self.jwt_a + ", " + self.jwt_b, "jwt_malformed"),
            ("bearer_prefix", "Bearer " + self.jwt_a, "jwt_bad_base64"),
            ("oversize_server_signed", big, "jwt_too_large"),
            ("oversize_kept_signature", with_payload(self.jwt_a, padding="x" * (9 * KIB)), "jwt_too_large"),
            ("only_dots", "..", "jwt_bad_json"),
            ("not_a_jwt", "not-a-jwt", "jwt_malformed"),
            # encoding
            ("base64_padding_on_header", h + "=." + p + "." + s, "jwt_bad_base64"),
            ("base64_padding_on_signature", h + "." + p + "." + b64url_encode(sig_bytes) + "=" * (-len(s) % 4 or 4),
             "jwt_bad_base64"),
            ("base64_standard_alphabet_signature", h + "." + p + "." + std_sig.rstrip("="), "jwt_bad_base64"),
            ("base64_standard_alphabet_padded", h + "." + p + "." + std_sig, "jwt_bad_base64"),
            ("base64_whitespace_inside", h + "." + p[:10] + " " + p[10:] + "." + s, "jwt_bad_base64"),
            # JSON
            ("duplicate_alg_in_header", self.raw_header_json(
                '{"alg":"none","kid":"%s","typ":"JWT","alg":"RS256"}' % kid), "jwt_duplicate_key"),
            ("duplicate_kid_in_header", self.raw_header_json(
                '{"alg":"RS256","kid":"%s","typ":"JWT","kid":"%s"}' % (hashlib.sha256(b"z").hexdigest(), kid)),
             "jwt_duplicate_key"),
            ("duplicate_aud_in_payload", self.resigned_raw(two_aud.encode()), "jwt_duplicate_key"),
            ("duplicate_exp_in_payload", self.resigned_raw(two_exp.encode()), "jwt_duplicate_key"),
            ("payload_not_json", self.resigned_raw(b"exp=9999999999&aud=" + self.app_a["aud"].encode()),
             "jwt_bad_json"),
            ("payload_json_array", self.resigned_raw(b"[" + claims_json.encode() + b"]"), "jwt_not_an_object"),
            ("payload_trailing_garbage", self.resigned_raw(claims_json.encode() + b"x"), "jwt_bad_json"),
            ("header_not_json", sign(b"RS256", self.claims(), self.server_key), "jwt_bad_json"),
        ]

    def attacker_cert_der(self):
        if not hasattr(type(self), "_cert_der"):
            type(self)._cert_der = self_signed_cert_der(self.attacker_key)
        return type(self)._cert_der

    def other_cases(self):
        """(class, status, reason, headers as (name, value) pairs[, host]): everything that is
        not one JWT through one channel."""
        tok, a = self.tok, self.jwt_a
        cid, sec = tok["client_id"], tok["client_secret"]
        forged = sign_none(self.hdr(alg="none"), self.claims())
        well_formed_wrong = checksummed("cfast_", "Q" * 40)
        # The same 40 characters, a checksum that no longer matches them.
        bad_checksum = sec[:-8] + ("%08x" % ((int(sec[-8:], 16) + 1) & 0xFFFFFFFF))
        body_changed = sec[:6] + swap_last_char(sec[6:46]) + sec[46:]  # checksum now wrong for the body
        single = lambda obj: (SINGLE_HEADER, obj if isinstance(obj, str) else json.dumps(obj))  # noqa: E731
        S = self.host_s
        return [
            # no credential at all, in places that are not credentials
            ("client_sent_jwt_assertion_header", 403, "no_credentials", [("Cf-Access-Jwt-Assertion", a)]),
            ("jwt_in_authorization_bearer", 403, "no_credentials", [("Authorization", "Bearer " + a)]),
            ("cookie_name_lowercase", 403, "no_credentials", [("Cookie", "cf_authorization=" + a)]),
            ("cookie_name_prefixed", 403, "no_credentials", [("Cookie", "xCF_Authorization=" + a)]),
            ("single_header_on_app_without_it", 403, "no_credentials",
             [single({"cf-access-client-id": cid, "cf-access-client-secret": sec})]),
            ("token_headers_with_underscores", 403, "no_credentials",
             [("CF_Access_Client_Id", cid), ("CF_Access_Client_Secret", sec)]),
            # half credentials
            ("id_without_secret", 400, "credentials_incomplete", [(ID, cid)]),
            ("secret_without_id", 400, "credentials_incomplete", [(SECRET, sec)]),
            ("empty_id", 400, "credentials_incomplete", [(ID, ""), (SECRET, sec)]),
            ("empty_secret", 400, "credentials_incomplete", [(ID, cid), (SECRET, "")]),
            ("whitespace_only_secret", 400, "credentials_incomplete", [(ID, cid), (SECRET, " \t ")]),
            ("both_empty", 400, "credentials_incomplete", [(ID, ""), (SECRET, "")]),
            ("id_underscored_secret_real", 400, "credentials_incomplete", [("CF_Access_Client_Id", cid), (SECRET, sec)]),
            # a header twice
            ("id_header_twice", 400, "credentials_duplicated", [(ID, cid), (ID, cid), (SECRET, sec)]),
            ("secret_header_twice_wrong_then_right", 400, "credentials_duplicated",
             [(ID, cid), (SECRET, well_formed_wrong), (SECRET.lower(), sec)]),
            ("cf_access_token_twice", 400, "credentials_duplicated", [("cf-access-token", forged), ("cf-access-token", a)]),
            ("cookie_twice_in_one_header", 400, "credentials_duplicated",
             [("Cookie", "CF_Authorization=%s; CF_Authorization=%s" % (forged, a))]),
            ("cookie_twice_in_two_headers", 400, "credentials_duplicated",
             [("Cookie", "CF_Authorization=" + a), ("Cookie", "CF_Authorization=" + forged)]),
            # precedence: a forged credential is judged, a valid lower-precedence one never rescues it
            ("forged_cf_access_token_with_genuine_cookie", 403, "jwt_alg_not_allowed",
             [("cf-access-token", forged), ("Cookie", "CF_Authorization=" + a)]),
            ("jwt_of_app_b_header_with_genuine_cookie", 403, "jwt_audience_mismatch",
             [("cf-access-token", self.jwt_b), ("Cookie", "CF_Authorization=" + a)]),
            ("wrong_secret_with_genuine_cookie", 403, "invalid_service_token",
             [(ID, cid), (SECRET, well_formed_wrong), ("Cookie", "CF_Authorization=" + a)]),
            ("wrong_secret_with_genuine_cf_access_token", 403, "invalid_service_token",
             [(ID, cid), (SECRET, well_formed_wrong), ("cf-access-token", a)]),
            # secrets
            ("real_id_wrong_secret", 403, "invalid_service_token", [(ID, cid), (SECRET, well_formed_wrong)]),
            ("real_id_secret_of_other_token", 403, "invalid_service_token",
             [(ID, cid), (SECRET, self.tok_other["client_secret"])]),
            ("real_id_secret_checksum_changed", 403, "invalid_service_token", [(ID, cid), (SECRET, bad_checksum)]),
            ("real_id_secret_body_changed", 403, "invalid_service_token", [(ID, cid), (SECRET, body_changed)]),
            ("real_id_secret_uppercased", 403, "invalid_service_token", [(ID, cid), (SECRET, sec.upper())]),
            ("real_id_secret_truncated", 403, "invalid_service_token", [(ID, cid), (SECRET, sec[:-1])]),
            ("real_id_secret_extended", 403, "invalid_service_token", [(ID, cid), (SECRET, sec + "0")]),
            ("real_id_secret_without_prefix", 403, "invalid_service_token", [(ID, cid), (SECRET, sec[6:])]),
            ("real_id_secret_inner_space", 403, "invalid_service_token", [(ID, cid), (SECRET, sec[:20] + " " + sec[20:])]),
            ("real_id_secret_trailing_nbsp", 403, "invalid_service_token", [(ID, cid), (SECRET, sec + "\u00a0")]),
            ("real_id_secret_comma_list", 403, "invalid_service_token", [(ID, cid), (SECRET, well_formed_wrong + "," + sec)]),
            ("real_id_secret_is_sha256", 403, "invalid_service_token",
             [(ID, cid), (SECRET, hashlib.sha256(sec.encode()).hexdigest())]),
            ("real_id_jwt_as_secret", 403, "invalid_service_token", [(ID, cid), (SECRET, a)]),
            ("client_id_uppercased", 403, "invalid_service_token", [(ID, cid.upper()), (SECRET, sec)]),
            ("client_id_without_suffix", 403, "invalid_service_token", [(ID, cid.split(".")[0]), (SECRET, sec)]),
            ("client_id_of_other_token", 403, "invalid_service_token", [(ID, self.tok_other["client_id"]), (SECRET, sec)]),
            ("client_id_unknown", 403, "invalid_service_token", [(ID, uuid.uuid4().hex + ".access"), (SECRET, sec)]),
            ("client_id_is_token_id", 403, "invalid_service_token", [(ID, tok["id"]), (SECRET, sec)]),
            # rotation
            ("secret_rotated_out_after_grace", 403, "invalid_service_token",
             service_pairs(self.tok_rotated, self.rot_v1)),
            ("secret_rotated_out_without_grace", 403, "invalid_service_token",
             service_pairs(self.tok_rotated_now, self.rot_now_old)),
            # token state
            ("disabled_token_headers", 403, "service_token_disabled", service_pairs(self.tok_disabled)),
            ("deleted_token_headers", 403, "invalid_service_token", service_pairs(self.tok_deleted)),
            ("expired_token_headers", 403, "service_token_expired", service_pairs(self.tok_expired)),
            ("born_expired_token_headers", 403, "service_token_expired", service_pairs(self.tok_born_expired)),
            ("valid_token_no_policy_names", 403, "policy_denied", service_pairs(self.tok_other)),
            ("genuine_headers_other_app_token", 403, "policy_denied", service_pairs(self.tok), self.host_of_other()),
            # the single-header mode (read_service_tokens_from_header), on its own app
            ("single_header_not_json", 400, "credentials_malformed", [single('{"cf-access-client-id": ')], S),
            ("single_header_json_array", 400, "credentials_malformed", [single([cid, sec])], S),
            ("single_header_json_string", 400, "credentials_malformed", [single(json.dumps(cid))], S),
            ("single_header_oversize", 400, "credentials_malformed",
             [single({"cf-access-client-id": cid, "cf-access-client-secret": sec, "pad": "x" * 5000})], S),
            ("single_header_missing_secret", 400, "credentials_incomplete", [single({"cf-access-client-id": cid})], S),
            ("single_header_secret_not_string", 400, "credentials_incomplete",
             [single({"cf-access-client-id": cid, "cf-access-client-secret": 1})], S),
            ("single_header_keys_in_header_case", 400, "credentials_incomplete",
             [single({"CF-Access-Client-Id": cid, "CF-Access-Client-Secret": sec})], S),
            ("single_header_wrong_secret", 403, "invalid_service_token",
             [single({"cf-access-client-id": cid, "cf-access-client-secret": well_formed_wrong})], S),
            ("single_header_twice", 400, "credentials_duplicated",
             [single({"cf-access-client-id": cid, "cf-access-client-secret": sec}),
              single({"cf-access-client-id": cid, "cf-access-client-secret": sec})], S),
            ("single_header_and_token_headers", 400, "credentials_ambiguous",
             [single({"cf-access-client-id": cid, "cf-access-client-secret": sec}), (ID, cid), (SECRET, sec)], S),
        ]

    def host_of_other(self):
        return host_of(self.app_other)

    # ---- running a case

    def assertRefusedAndUnseen(self, name, status, reason, headers, host):
        mark = uuid.uuid4().hex
        path = "/forged/%s/%s" % (name, mark)
        r = edge_request(self.server.edge_url, host, path, headers=list(headers) + [("X-Forged-Case", mark)])
        self.assertEqual(r.status, status, "%s: %r" % (name, r))
        self.assertTrue(r.headers.get("Cf-Ray"), r)
        self.assertIsNotNone(r.body, r)
        self.assertIs(r.body.get("success"), False, r)
        self.assertEqual(r.body.get("reason"), reason, "%s: %r" % (name, r))
        leaked = [c for c in set_cookies(r) if c.value]
        self.assertEqual(leaked, [], "%s: a refusal set a CF_Authorization cookie" % name)
        seen = [x for x in self.origin.requests if mark in x.path or x.headers.get("X-Forged-Case") == mark]
        self.assertEqual(seen, [], "%s: the origin saw a refused request" % name)

    def assertAdmitted(self, headers, host=None, path=None):
        mark = uuid.uuid4().hex
        path = (path or "/control/") + mark
        r = edge_request(self.server.edge_url, host or self.host_a, path, headers=list(headers))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body.get("origin"), "recorder", r)
        seen = self.origin.requests_for(path)
        self.assertEqual(len(seen), 1, seen)
        return r, seen[0]

    # ---- the tests

    def test_controls_genuine_credentials_get_through(self):
        tok = self.tok
        r, seen = self.assertAdmitted(service_pairs(tok))
        self.assertTrue(seen.headers.get("Cf-Access-Jwt-Assertion"))
        self.assertNotIn(SECRET, seen.headers)
        self.assertEqual(len([c for c in set_cookies(r) if c.value]), 1)
        self.assertAdmitted([("cf-access-token", self.jwt_a)])
        self.assertAdmitted([("Cookie", "CF_Authorization=" + self.jwt_a)])
        self.assertAdmitted([("cf-access-token", self.jwt_b)], host=self.host_b)
        self.assertAdmitted(service_pairs(tok), host=self.host_r)  # after revoke_tokens, a fresh JWT
        # The server's own key as the test re-signs with it: the genuine claims with a new
        # nonce pass, so the re-signed refusals below are about the one claim changed.
        self.assertAdmitted([("cf-access-token", self.resigned())])
        self.assertAdmitted([("Cookie", "CF_Authorization=" + self.resigned())])
        now = self.now()
        self.assertAdmitted([("cf-access-token", self.resigned(iat=now, nbf=now + LEEWAY // 2, exp=now + 600))])
        self.assertAdmitted([("cf-access-token", self.resigned(aud=self.app_a["aud"]))])  # aud as a string
        # Rotation: the newest secret and the one still in its grace work; the token itself is fine.
        self.assertAdmitted(service_pairs(self.tok_rotated, self.rot_v3))
        self.assertAdmitted(service_pairs(self.tok_rotated, self.rot_v2))
        self.assertAdmitted(service_pairs(self.tok_rotated_now, self.rot_now_new))
        # The single-header mode is on for its app.
        self.assertAdmitted([(SINGLE_HEADER, json.dumps({"cf-access-client-id": tok["client_id"],
                                                         "cf-access-client-secret": tok["client_secret"]}))],
                            host=self.host_s)
        self.assertAdmitted(service_pairs(self.tok_other), host=self.host_of_other())

    def test_controls_what_the_edge_accepts_around_the_edges(self):
        """Not forgeries: the spellings HTTP itself makes equal (RFC 9110 §5.1 names are
        case-insensitive, §5.5 whitespace around a value is not part of it), a quoted
        cookie value (RFC 6265), and a client's Cf-Access-Jwt-Assertion, which is
        replaced (docs/edge.md)."""
        cid, sec = self.tok["client_id"], self.tok["client_secret"]
        self.assertAdmitted([(ID.lower(), cid), (SECRET.upper(), sec)])
        self.assertAdmitted([(ID, " " + cid + " "), (SECRET, sec + "  \t")])
        self.assertAdmitted([("Cookie", 'CF_Authorization="%s"' % self.jwt_a)])
        forged = sign_none(self.hdr(alg="none"), self.claims())
        _, seen = self.assertAdmitted([("cf-access-token", self.jwt_a), ("Cf-Access-Jwt-Assertion", forged)])
        self.assertEqual(seen.headers.get_all("Cf-Access-Jwt-Assertion"), [self.jwt_a])

    def test_forged_credentials_are_refused(self):
        # The control first, in the same test: a broken setup fails here, not silently.
        self.assertAdmitted([("cf-access-token", self.jwt_a)])
        jwt_cases, other = self.jwt_cases(), self.other_cases()
        names = [c[0] for c in jwt_cases] + [c[0] for c in other]
        self.assertEqual(len(names), len(set(names)), "case names must be unique")
        for case in jwt_cases:
            name, token, reason = case[:3]
            host = case[3] if len(case) > 3 else self.host_a
            channels = [("cf-access-token", token)]
            if token and ";" not in token and " " not in token.strip():
                channels.append(("Cookie", "CF_Authorization=" + token))
            for header, value in channels:
                with self.subTest(case=name, via=header):
                    self.assertRefusedAndUnseen(name, 403, reason, [(header, value)], host)
        for case in other:
            name, status, reason, headers = case[:4]
            host = case[4] if len(case) > 4 else self.host_a
            with self.subTest(case=name):
                self.assertRefusedAndUnseen(name, status, reason, headers, host)
        # Still serving, and the genuine credential still works after the whole corpus.
        self.assertTrue(self.server.running(), self.server.output())
        self.assertAdmitted([("cf-access-token", self.jwt_a)])
        self.assertAdmitted(service_pairs(self.tok))

    def test_a_genuine_jwt_of_a_former_issuer_is_refused(self):
        """A new auth_domain is a new iss: a JWT of the old one is refused even when the
        edge verified it (and cached that) before, and the token headers get a JWT of
        the new issuer, not a cached one of the old (src/edge/app_jwt.cpp caches both)."""
        tok = self.server.create_token(unique("forged-issuer"))
        host = host_of(self.apps.token_app("forged-issuer", [tok]))
        r, _ = self.assertAdmitted(service_pairs(tok), host=host)
        old = [c for c in set_cookies(r) if c.value][0].value
        for _ in range(16):  # warm the verify cache of every edge thread
            self.assertAdmitted([("cf-access-token", old)], host=host)
        org = self.server.ok("GET", self.server.acct("/access/organizations"))
        renamed = "renamed-%s.example.com" % uuid.uuid4().hex[:8]
        set_org(self.server, auth_domain=renamed)
        try:
            for i in range(16):
                with self.subTest(case="jwt_of_former_issuer", attempt=i):
                    self.assertRefusedAndUnseen("jwt_of_former_issuer", 403, "jwt_issuer_mismatch",
                                                [("cf-access-token", old)], host)
            r, seen = self.assertAdmitted(service_pairs(tok), host=host)
            self.assertEqual(jwt_parts(seen.headers.get("Cf-Access-Jwt-Assertion"))[1]["iss"], "https://" + renamed)
            fresh = [c for c in set_cookies(r) if c.value][0].value
            self.assertEqual(jwt_parts(fresh)[1]["iss"], "https://" + renamed)
            self.assertAdmitted([("cf-access-token", fresh)], host=host)
        finally:
            set_org(self.server, auth_domain=org["auth_domain"])
        self.assertAdmitted([("cf-access-token", old)], host=host)

    def test_the_corpus_is_big_enough(self):
        classes = [c[0] for c in self.jwt_cases()] + [c[0] for c in self.other_cases()]
        self.assertGreaterEqual(len(set(classes)), 30)


def sign_none(header, claims, sig=b""):
    return enc_segment(header) + "." + enc_segment(claims) + "." + b64url_encode(sig)


def service_pairs(token, secret=None):
    return list(service_headers(token, secret).items())


if __name__ == "__main__":
    unittest.main()
