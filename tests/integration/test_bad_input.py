"""Bad input to the admin API: each case gets a clear 4xx in the v4 envelope whose
message names the problem, and leaves the stored state exactly as it was
(compat.md §1.1: "Bad input gets a clear 4xx that names the problem, and leaves state
unchanged")."""

import contextlib
import json
import time
import unittest
import uuid

from gatehouse_server import BASE62, GatehouseServer, checksummed, rfc3339, run_cli

ONE_MIB = 1024 * 1024


def json_body_of_size(size, name="big"):
    """A valid JSON object with `name` and an ignored padding field, exactly `size` bytes."""
    base = json.dumps({"name": name, "pad": ""})
    body = json.dumps({"name": name, "pad": "x" * (size - len(base))})
    assert len(body) == size
    return body


class BadInputTest(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = GatehouseServer().start()
        s = cls.server
        cls.token = s.create_token("existing", duration="72h")
        cls.forever = s.create_token("forever-token", duration="forever")
        # A read-only API token, created through the API by the admin token.
        r = s.api("POST", s.acct("/tokens"), {"name": "reader", "scope": "read"})
        assert r.status in (200, 201), r
        cls.reader = r.body["result"]["value"]
        cls.reader_id = r.body["result"]["id"]

    @classmethod
    def tearDownClass(cls):
        if cls.server:
            cls.server.cleanup()

    # ---- helpers

    def snapshot(self):
        """Everything a bad request could have changed: every service token (the list
        and each GET), every API token, and the audit log's length."""
        s = self.server
        tokens = s.list_all_tokens()
        each = [s.ok("GET", s.tokens_path("/" + t["id"])) for t in tokens]
        api_tokens = s.ok("GET", s.acct("/tokens?per_page=1000"))
        return {"tokens": tokens, "each": each, "api_tokens": api_tokens, "audit_count": s.audit_count()}

    @contextlib.contextmanager
    def unchanged(self):
        before = self.snapshot()
        yield
        after = self.snapshot()
        self.assertEqual(before["audit_count"], after["audit_count"], "the audit log grew")
        self.assertEqual(before, after, "stored state changed")

    def assertRejected(self, reply, status, slug, *fragments):
        """The v4 error envelope with this status, slug and message fragments."""
        self.assertEqual(reply.status, status, reply)
        self.assertIn("application/json", reply.headers.get("Content-Type", ""), reply)
        body = reply.body
        self.assertIsInstance(body, dict, reply)
        self.assertIs(body["success"], False, reply)
        self.assertIsNone(body["result"], reply)
        self.assertEqual(body["messages"], [], reply)
        self.assertGreaterEqual(len(body["errors"]), 1, reply)
        err = body["errors"][0]
        self.assertIsInstance(err["code"], int, reply)
        message = err["message"]
        self.assertTrue(message.startswith("access.api.error.%s:" % slug),
                        "expected slug %r in %r" % (slug, message))
        human = message[len("access.api.error.%s:" % slug):].strip()
        self.assertTrue(human, "the message has no human text: %r" % message)
        for f in fragments:
            self.assertIn(f, message)
        return message

    def random_uuid(self):
        return str(uuid.uuid4())

    # ---- malformed JSON

    def test_malformed_json_is_400(self):
        s, tid = self.server, self.token["id"]
        cases = ['{"name": "x",', "{name: 'x'}", '{"name": "x"} trailing', "\x00", '{"name": "\\x"}']
        with self.unchanged():
            for raw in cases:
                with self.subTest(raw=raw):
                    self.assertRejected(s.api("POST", s.tokens_path(), raw_body=raw), 400, "malformed_json",
                                        "not valid JSON")
                    self.assertRejected(s.api("PUT", s.tokens_path("/" + tid), raw_body=raw), 400,
                                        "malformed_json", "not valid JSON")
                    self.assertRejected(s.api("POST", s.tokens_path("/%s/rotate" % tid), raw_body=raw), 400,
                                        "malformed_json", "not valid JSON")
                    self.assertRejected(s.api("POST", s.tokens_path("/%s/refresh" % tid), raw_body=raw), 400,
                                        "malformed_json", "not valid JSON")

    def test_json_that_is_not_an_object_is_400(self):
        s = self.server
        with self.unchanged():
            for raw, kind in (("[]", "an array"), ('"name"', "a string"), ("5", "a number"), ("null", "null"),
                              ("true", "a boolean")):
                with self.subTest(raw=raw):
                    self.assertRejected(s.api("POST", s.tokens_path(), raw_body=raw), 400, "malformed_json",
                                        "must be a JSON object", kind)

    def test_deeply_nested_json_is_400(self):
        s = self.server
        with self.unchanged():
            raw = '{"name": "x", "pad": ' + "[" * 10000 + "]" * 10000 + "}"
            self.assertRejected(s.api("POST", s.tokens_path(), raw_body=raw), 400, "malformed_json")

    # ---- wrong types

    def test_wrong_types_are_400_naming_the_field(self):
        s, tid = self.server, self.token["id"]
        cases = [
            ({"name": 5}, "name must be a string, got a number"),
            ({"name": ["x"]}, "name must be a string, got an array"),
            ({"name": "ok", "enabled": "yes"}, "enabled must be true or false, got a string"),
            ({"name": "ok", "enabled": 1}, "enabled must be true or false, got a number"),
            ({"name": "ok", "duration": 3}, "duration must be a string, got a number"),
            ({"name": "ok", "duration": {"hours": 3}}, "duration must be a string, got an object"),
        ]
        with self.unchanged():
            for body, text in cases:
                with self.subTest(op="create", body=body):
                    self.assertRejected(s.api("POST", s.tokens_path(), body), 400, "invalid_field_type", text)
                with self.subTest(op="update", body=body):
                    self.assertRejected(s.api("PUT", s.tokens_path("/" + tid), body), 400, "invalid_field_type",
                                        text)
            for field, value, text in (("previous_client_secret_expires_at", 5, "got a number"),
                                       ("previous_client_secret_expires_at", True, "got a boolean")):
                with self.subTest(field=field, value=value):
                    self.assertRejected(s.api("PUT", s.tokens_path("/" + tid), {field: value}), 400,
                                        "invalid_field_type", field, text)
                    self.assertRejected(s.api("POST", s.tokens_path("/%s/rotate" % tid), {field: value}), 400,
                                        "invalid_field_type", field, text)

    def test_bad_timestamp_is_400(self):
        s, tid = self.server, self.token["id"]
        with self.unchanged():
            for value in ("tomorrow", "2026-13-01T00:00:00Z", "2026-01-01 00:00:00", "2026-01-01T00:00:00"):
                with self.subTest(value=value):
                    self.assertRejected(s.api("POST", s.tokens_path("/%s/rotate" % tid),
                                              {"previous_client_secret_expires_at": value}),
                                        400, "invalid_timestamp", "previous_client_secret_expires_at", value)
                    self.assertRejected(s.api("PUT", s.tokens_path("/" + tid),
                                              {"previous_client_secret_expires_at": value}),
                                        400, "invalid_timestamp", "previous_client_secret_expires_at", value)

    # ---- unknown account, unknown token

    def test_unknown_account_is_404(self):
        s = self.server
        other = "0123456789abcdef0123456789abcdef"
        self.assertNotEqual(other, s.account_id)
        with self.unchanged():
            for method, suffix, body in (("GET", "/access/service_tokens", None),
                                         ("POST", "/access/service_tokens", {"name": "x"}),
                                         ("GET", "/access/service_tokens/" + self.token["id"], None),
                                         ("DELETE", "/access/service_tokens/" + self.token["id"], None),
                                         ("GET", "/audit_logs", None),
                                         ("GET", "", None)):
                with self.subTest(method=method, suffix=suffix):
                    r = s.api(method, "/accounts/" + other + suffix, body)
                    self.assertRejected(r, 404, "account_not_found", other)

    def test_unknown_token_id_is_404(self):
        s = self.server
        with self.unchanged():
            for tid in (self.random_uuid(), "not-a-uuid", self.token["client_id"]):
                for method, suffix, body in (("GET", "", None), ("PUT", "", {"name": "renamed"}),
                                             ("PUT", "", {}), ("PATCH", "", {"enabled": False}),
                                             ("DELETE", "", None), ("POST", "/refresh", None),
                                             ("POST", "/rotate", {})):
                    with self.subTest(id=tid, method=method, suffix=suffix):
                        r = s.api(method, s.tokens_path("/" + tid + suffix), body)
                        self.assertRejected(r, 404, "service_token_not_found", tid)

    # ---- durations

    INVALID_DURATIONS = [
        ("0s", "zero"),
        ("0", "zero"),
        ("-1h", "negative"),
        ("-0.5s", "negative"),
        ("1y", 'unknown unit "y"'),
        ("1d", 'unknown unit "d"'),
        ("99999999999h", "overflows"),
        ("9223372036854775808ns", "overflows"),
        ("2562048h", "overflows"),
        ("", "empty"),
        ("-", "empty"),
        ("h", "malformed"),
        (".h", "malformed"),
        ("1", "missing a unit"),
        ("1h30", "missing a unit"),
        ("1 h", "unit"),
        (" 1h", "malformed"),
        ("Forever", "malformed"),
        ("1H", 'unknown unit "H"'),
    ]

    def test_invalid_durations_are_400(self):
        s, tid = self.server, self.token["id"]
        with self.unchanged():
            for d, why in self.INVALID_DURATIONS:
                with self.subTest(op="create", duration=d):
                    self.assertRejected(s.api("POST", s.tokens_path(), {"name": "d", "duration": d}), 400,
                                        "invalid_duration", 'duration "%s"' % d, why)
                with self.subTest(op="update", duration=d):
                    self.assertRejected(s.api("PUT", s.tokens_path("/" + tid), {"duration": d}), 400,
                                        "invalid_duration", 'duration "%s"' % d, why)

    def test_durations_go_accepts_are_accepted(self):
        # Go's time.ParseDuration accepts "1.h" (a fraction with no digits), ".5h",
        # a leading "+", mixed units, and both micro signs; these are not bad input.
        s = self.server
        cases = {"1.h": 3600.0, ".5h": 1800.0, "+5m": 300.0, "1h30m": 5400.0, "2h45m0.5s": 9900.5,
                 "300ms": 0.3, "1µs": 1e-6, "1μs": 1e-6, "1us": 1e-6, "9223372036854775807ns": 9223372036.854775,
                 "1.5h": 5400.0}
        from gatehouse_server import parse_rfc3339
        for d, seconds in cases.items():
            with self.subTest(duration=d):
                t = s.create_token("go-" + d, duration=d)
                self.assertEqual(t["duration"], d)
                lifetime = parse_rfc3339(t["expires_at"]) - parse_rfc3339(t["created_at"])
                self.assertAlmostEqual(lifetime, seconds, delta=2e-6)
                s.ok("DELETE", s.tokens_path("/" + t["id"]))

    # ---- names

    def test_empty_and_too_long_names_are_400(self):
        s, tid = self.server, self.token["id"]
        with self.unchanged():
            for name, text in (("", "name must not be empty"),
                               ("x" * 257, "257 characters long; the maximum is 256"),
                               ("é" * 257, "257 characters long; the maximum is 256"),
                               ("a\nb", "control characters"), ("tab\there", "control characters")):
                with self.subTest(op="create", name=name[:10]):
                    self.assertRejected(s.api("POST", s.tokens_path(), {"name": name}), 400, "invalid_name", text)
                with self.subTest(op="update", name=name[:10]):
                    self.assertRejected(s.api("PUT", s.tokens_path("/" + tid), {"name": name}), 400,
                                        "invalid_name", text)
            self.assertRejected(s.api("POST", s.tokens_path(), {"duration": "1h"}), 400, "missing_field",
                                "name is required")
            self.assertRejected(s.api("POST", s.tokens_path(), {"name": None}), 400, "missing_field",
                                "name is required")
            self.assertRejected(s.api("POST", s.tokens_path(), raw_body=""), 400, "missing_field", "name is required")

    def test_names_of_256_characters_are_accepted(self):
        s = self.server
        for name in ("n" * 256, "é" * 256, "名" * 256):
            with self.subTest(name=name[:3]):
                t = s.create_token(name)
                self.assertEqual(t["name"], name)
                self.assertEqual(s.ok("GET", s.tokens_path("/" + t["id"]))["name"], name)
                s.ok("DELETE", s.tokens_path("/" + t["id"]))

    def test_unknown_fields_are_ignored(self):
        s = self.server
        t = s.create_token("with-extras", bogus=1, client_secret="cfast_mine", id="chosen-id",
                           client_secret_version=9)
        self.assertNotEqual(t["id"], "chosen-id")
        self.assertNotEqual(t["client_secret"], "cfast_mine")
        self.assertEqual(t["client_secret_version"], 1)
        s.ok("DELETE", s.tokens_path("/" + t["id"]))

    # ---- credentials

    def test_missing_credentials_are_401(self):
        s = self.server
        with self.unchanged():
            for method, path, body in (("GET", s.tokens_path(), None), ("POST", s.tokens_path(), {"name": "x"}),
                                       ("GET", s.acct("/audit_logs"), None), ("GET", "/accounts", None),
                                       ("DELETE", s.tokens_path("/" + self.token["id"]), None)):
                with self.subTest(method=method, path=path):
                    r = s.api(method, path, body, token=None)
                    self.assertRejected(r, 401, "missing_api_token", "Authorization: Bearer")
                    self.assertIn("Bearer", r.headers.get("WWW-Authenticate", ""))

    def test_malformed_credentials_are_401(self):
        s = self.server
        good = s.admin_token
        typo = good[:10] + ("A" if good[10] != "A" else "B") + good[11:]  # checksum no longer matches
        with self.unchanged():
            for header in ("Bearer", "Bearer ", "Bearer nonsense", "Basic " + good, good, "Bearer " + good[:-1],
                           "Bearer " + typo, "Bearer cfast_" + good[4:]):
                with self.subTest(header=header[:20]):
                    r = s.api("POST", s.tokens_path(), {"name": "x"}, token=None, headers={"Authorization": header})
                    self.assertRejected(r, 401, "invalid_api_token")
            r = s.api("GET", s.tokens_path(), token=None,
                      headers={"Authorization": "Bearer " + typo})
            self.assertRejected(r, 401, "invalid_api_token", "malformed")

    def test_unknown_api_token_is_401(self):
        s = self.server
        unknown = checksummed("gat_", (BASE62 * 2)[:40])
        with self.unchanged():
            for method, body in (("GET", None), ("POST", {"name": "x"})):
                r = s.api(method, s.tokens_path(), body, token=unknown)
                self.assertRejected(r, 401, "invalid_api_token", "not known")

    def test_revoked_api_token_is_401(self):
        s = self.server
        created = run_cli("admin-token", "create", "--data-dir", s.data_dir, "--name", "to-revoke", "--json")
        self.assertEqual(created.returncode, 0, created.stderr)
        info = json.loads(created.stdout)
        self.assertEqual(s.api("GET", s.tokens_path(), token=info["token"]).status, 200)
        revoked = run_cli("admin-token", "revoke", "--data-dir", s.data_dir, info["id"])
        self.assertEqual(revoked.returncode, 0, revoked.stderr)
        with self.unchanged():
            for method, body in (("GET", None), ("POST", {"name": "x"})):
                r = s.api(method, s.tokens_path(), body, token=info["token"])
                self.assertRejected(r, 401, "api_token_revoked", '"to-revoke"', "revoked at")

    def test_expired_api_token_is_401(self):
        # Expiry needs time to pass: the token is created to expire one second from
        # now and polled (bounded) until the server refuses it as expired. Nothing
        # earlier than its expiry may refuse it.
        s = self.server
        for margin in (1.0, 3.0, 10.0):  # a larger one only if the machine is too slow
            expires = time.time() + margin
            r = s.api("POST", s.acct("/tokens"), {"name": "short-lived", "scope": "edit",
                                                  "expires_on": rfc3339(expires)})
            if r.status != 400:
                break
        self.assertEqual(r.status, 201, r)
        value = r.body["result"]["value"]
        deadline = time.monotonic() + 20
        while True:
            before_call = time.time()
            r = s.api("GET", s.tokens_path(), token=value)
            if r.status != 200:
                break
            self.assertLess(before_call, expires + 0.5, "still accepted after its expiry")
            self.assertLess(time.monotonic(), deadline, "never expired")
            time.sleep(0.05)
        self.assertGreaterEqual(time.time(), expires)
        with self.unchanged():
            for method, body in (("GET", None), ("POST", {"name": "x"})):
                r = s.api(method, s.tokens_path(), body, token=value)
                self.assertRejected(r, 401, "api_token_expired", '"short-lived"', "expired at")

    def test_api_token_expiry_in_the_past_is_400(self):
        s = self.server
        with self.unchanged():
            r = s.api("POST", s.acct("/tokens"), {"name": "late", "expires_on": rfc3339(time.time() - 60)})
            self.assertRejected(r, 400, "invalid_expiry", "expires_on")
            r = s.api("POST", s.acct("/tokens"), {"name": "bad-scope", "scope": "admin"})
            self.assertRejected(r, 400, "invalid_scope", "scope")

    def test_read_only_token_cannot_write(self):
        s, tid = self.server, self.token["id"]
        writes = [
            ("POST", s.tokens_path(), {"name": "x"}),
            ("PUT", s.tokens_path("/" + tid), {"name": "renamed"}),
            ("PATCH", s.tokens_path("/" + tid), {"enabled": False}),
            ("DELETE", s.tokens_path("/" + tid), None),
            ("POST", s.tokens_path("/%s/refresh" % tid), None),
            ("POST", s.tokens_path("/%s/rotate" % tid), {}),
            ("POST", s.acct("/tokens"), {"name": "escalate", "scope": "edit"}),
            ("DELETE", s.acct("/tokens/" + self.reader_id), None),
        ]
        with self.unchanged():
            for method, path, body in writes:
                with self.subTest(method=method, path=path):
                    r = s.api(method, path, body, token=self.reader)
                    self.assertRejected(r, 403, "insufficient_scope", '"reader"', "scope edit")
        # ...while every read works.
        for path in (s.tokens_path(), s.tokens_path("/" + tid), s.acct("/audit_logs"), s.acct("/tokens"), s.acct(),
                     "/accounts"):
            with self.subTest(read=path):
                self.assertEqual(s.api("GET", path, token=self.reader).status, 200)

    # ---- transport limits

    def test_body_over_one_mib_is_413(self):
        s, tid = self.server, self.token["id"]
        with self.unchanged():
            for size in (ONE_MIB + 1, 2 * ONE_MIB):
                with self.subTest(size=size):
                    r = s.api("POST", s.tokens_path(), raw_body=json_body_of_size(size))
                    self.assertRejected(r, 413, "payload_too_large", "1048576 bytes")
                    r = s.api("PUT", s.tokens_path("/" + tid), raw_body=json_body_of_size(size))
                    self.assertRejected(r, 413, "payload_too_large", "1048576 bytes")

    def test_much_larger_body_still_gets_its_413(self):
        # Bigger than what the loopback socket buffers absorb: the client is still
        # writing when the server answers, and must be able to read that answer.
        s = self.server
        with self.unchanged():
            r = s.api("POST", s.tokens_path(), raw_body=json_body_of_size(48 * ONE_MIB))
            self.assertRejected(r, 413, "payload_too_large", "1048576 bytes")

    def test_body_of_exactly_one_mib_is_accepted(self):
        s = self.server
        r = s.api("POST", s.tokens_path(), raw_body=json_body_of_size(ONE_MIB, name="exactly-1mib"))
        self.assertEqual(r.status, 201, r)
        s.ok("DELETE", s.tokens_path("/" + r.body["result"]["id"]))

    def test_headers_over_the_limit_are_431(self):
        s = self.server
        with self.unchanged():
            r = s.api("POST", s.tokens_path(), {"name": "x"}, headers={"X-Padding": "p" * (32 * 1024)})
            self.assertRejected(r, 431, "headers_too_large", "16384 bytes")

    def test_non_json_content_type_is_415(self):
        s, tid = self.server, self.token["id"]
        body = json.dumps({"name": "x"})
        with self.unchanged():
            for ctype in ("text/plain", "application/x-www-form-urlencoded", "application/jsonx", None,
                          "multipart/form-data; boundary=x"):
                with self.subTest(content_type=ctype):
                    r = s.api("POST", s.tokens_path(), raw_body=body, content_type=ctype)
                    self.assertRejected(r, 415, "unsupported_media_type", "Content-Type: application/json")
                    r = s.api("PUT", s.tokens_path("/" + tid), raw_body=body, content_type=ctype)
                    self.assertRejected(r, 415, "unsupported_media_type", "Content-Type: application/json")
        # Parameters and case do not matter.
        r = s.api("POST", s.tokens_path(), raw_body=json.dumps({"name": "charset"}),
                  content_type="Application/JSON; charset=utf-8")
        self.assertEqual(r.status, 201, r)
        s.ok("DELETE", s.tokens_path("/" + r.body["result"]["id"]))

    def test_bad_pagination_is_400(self):
        s = self.server
        cases = [("per_page=1001", "per_page", "1001"), ("per_page=0", "per_page", "0"),
                 ("page=0", "page", '"0"'), ("page=abc", "page", '"abc"'), ("page=-1", "page", '"-1"'),
                 ("per_page=abc", "per_page", '"abc"'), ("page=1.5", "page", '"1.5"'), ("page=", "page", '""'),
                 ("per_page=99999999999999999999", "per_page", "99999999999999999999")]
        with self.unchanged():
            for path in (s.tokens_path(), s.acct("/audit_logs"), s.acct("/tokens")):
                for query, field, shown in cases:
                    with self.subTest(path=path, query=query):
                        r = s.api("GET", path + "?" + query)
                        self.assertRejected(r, 400, "invalid_pagination", field + " must be a whole number", shown)
        r = s.api("GET", s.tokens_path("?per_page=1000&page=1"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["result_info"]["per_page"], 1000)

    def test_wrong_method_is_405(self):
        s, tid = self.server, self.token["id"]
        with self.unchanged():
            for method, path, allow in (("DELETE", s.tokens_path(), "GET, POST"),
                                        ("POST", s.tokens_path("/" + tid), "GET, PUT, DELETE"),
                                        ("GET", s.tokens_path("/%s/refresh" % tid), "POST"),
                                        ("GET", s.tokens_path("/%s/rotate" % tid), "POST")):
                with self.subTest(method=method, path=path):
                    r = s.api(method, path)
                    self.assertRejected(r, 405, "method_not_allowed", allow)
                    self.assertEqual(r.headers.get("Allow"), allow)


if __name__ == "__main__":
    unittest.main()
