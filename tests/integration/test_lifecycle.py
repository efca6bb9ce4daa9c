"""The service-token lifecycle through plain HTTP (compat.md §1.2): create, list with
pagination and filters, update, refresh, rotate, enable/disable, delete, and the audit
event each change leaves, which never holds a secret or a hash."""

import hashlib
import json
import re
import time
import unittest
import uuid
import zlib

from gatehouse_server import GatehouseServer, parse_rfc3339, rfc3339

YEAR = 8760 * 3600
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
CLIENT_ID_RE = re.compile(r"^[0-9a-f]{32}\.access$")
SECRET_RE = re.compile(r"^cfast_[0-9A-Za-z]{40}[0-9a-f]{8}$")
TOKEN_FIELDS = {"id", "name", "client_id", "duration", "enabled", "expires_at", "created_at", "updated_at",
                "last_seen_at", "client_secret_version", "previous_client_secret_expires_at",
                # Gatehouse extensions (compat.md §3): last use per secret version.
                "client_secret_last_seen_at", "previous_client_secret_last_seen_at",
                "client_secret_versions_last_seen"}
# Server times have microsecond resolution (truncated); Python's clock is finer.
EPS = 2e-6


class LifecycleTest(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = GatehouseServer().start()
        cls.secrets = []  # every client_secret ever shown, checked against all later output

    @classmethod
    def tearDownClass(cls):
        if cls.server:
            cls.server.cleanup()

    # ---- helpers

    def unique(self, prefix):
        return "%s-%s" % (prefix, uuid.uuid4().hex[:8])

    def create(self, name, **fields):
        t = self.server.create_token(name, **fields)
        self.assertIn("client_secret", t)
        self.secrets.append(t["client_secret"])
        return t

    def get(self, tid):
        r = self.server.api("GET", self.server.tokens_path("/" + tid))
        self.assertEqual(r.status, 200, r)
        self.assertNotIn("client_secret", r.body["result"])
        return r.body["result"]

    def timed(self, method, path, body=None, **kw):
        """A request and the wall-clock window in which the server handled it."""
        before = time.time()
        r = self.server.api(method, path, body, **kw)
        after = time.time()
        return r, before, after

    def assertWithin(self, ts, lo, hi, offset=0.0):
        t = parse_rfc3339(ts)
        self.assertGreaterEqual(t, lo + offset - EPS, "%s is before the request" % ts)
        self.assertLessEqual(t, hi + offset + EPS, "%s is after the request" % ts)

    def assertTokenShape(self, t, with_secret=False):
        expected = TOKEN_FIELDS | ({"client_secret"} if with_secret else set())
        self.assertEqual(set(t), expected)
        self.assertRegex(t["id"], UUID_RE)
        self.assertRegex(t["client_id"], CLIENT_ID_RE)
        for key in ("created_at", "updated_at"):
            parse_rfc3339(t[key])
        if with_secret:
            self.assertRegex(t["client_secret"], SECRET_RE)
            body = t["client_secret"][:-8]
            self.assertEqual(t["client_secret"][-8:], "%08x" % (zlib.crc32(body.encode()) & 0xFFFFFFFF))

    def events_for(self, tid):
        events, _ = self.server.audit_log()
        return [e for e in reversed(events) if e["resource"]["id"] == tid]  # oldest first

    def assertNoSecretsAnywhere(self, text):
        for secret in self.secrets:
            self.assertNotIn(secret, text)
            self.assertNotIn(hashlib.sha256(secret.encode()).hexdigest(), text)
            self.assertNotIn(secret[6:46], text)  # the random part alone
        self.assertNotIn("cfast_", text)
        self.assertNotIn(self.server.admin_token, text)
        self.assertNotIn(hashlib.sha256(self.server.admin_token.encode()).hexdigest(), text)
        self.assertNotIn("secret_hash", text)
        self.assertNotIn("token_hash", text)

    # ---- create

    def test_create_returns_the_secret_once(self):
        s = self.server
        name = self.unique("once")
        r, before, after = self.timed("POST", s.tokens_path(), {"name": name})
        self.assertIn(r.status, (200, 201), r)
        self.assertTrue(r.body["success"])
        self.assertEqual(r.body["errors"], [])
        t = r.body["result"]
        self.secrets.append(t["client_secret"])
        self.assertTokenShape(t, with_secret=True)
        self.assertEqual(t["name"], name)
        self.assertEqual(t["duration"], "8760h")
        self.assertIs(t["enabled"], True)
        self.assertIsNone(t["last_seen_at"])
        self.assertEqual(t["client_secret_version"], 1)
        self.assertIsNone(t["previous_client_secret_expires_at"])
        self.assertEqual(t["created_at"], t["updated_at"])
        self.assertWithin(t["created_at"], before, after)
        self.assertAlmostEqual(parse_rfc3339(t["expires_at"]) - parse_rfc3339(t["created_at"]), YEAR, delta=EPS)

        # Never again: not in get, list, search by client_id, nor any reply that follows.
        secret = t["client_secret"]
        replies = [s.api("GET", s.tokens_path("/" + t["id"])),
                   s.api("GET", s.tokens_path()),
                   s.api("GET", s.tokens_path("?name=" + name)),
                   s.api("GET", s.tokens_path("?search=" + t["client_id"])),
                   s.api("PUT", s.tokens_path("/" + t["id"]), {"name": name + "-x"}),
                   s.api("POST", s.tokens_path("/%s/refresh" % t["id"])),
                   s.api("PUT", s.tokens_path("/" + t["id"]), {"enabled": False}),
                   s.api("DELETE", s.tokens_path("/" + t["id"]))]
        for reply in replies:
            self.assertEqual(reply.status, 200, reply)
            self.assertNotIn(secret.encode(), reply.raw)
            self.assertNotIn(b"client_secret\"", reply.raw)
            self.assertNotIn(b"cfast_", reply.raw)
        events, _ = s.audit_log()
        self.assertNoSecretsAnywhere(json.dumps(events))

    def test_create_with_duration_and_disabled(self):
        s = self.server
        r, before, after = self.timed("POST", s.tokens_path(), {"name": self.unique("d"), "duration": "2h45m",
                                                                "enabled": False})
        self.assertIn(r.status, (200, 201), r)
        t = r.body["result"]
        self.secrets.append(t["client_secret"])
        self.assertEqual(t["duration"], "2h45m")
        self.assertIs(t["enabled"], False)
        self.assertWithin(t["expires_at"], before, after, offset=2 * 3600 + 45 * 60)
        f = self.create(self.unique("f"), duration="forever")
        self.assertEqual(f["duration"], "forever")
        self.assertIsNone(f["expires_at"])
        self.assertEqual(self.get(f["id"])["expires_at"], None)

    def test_every_create_gets_fresh_ids_and_secrets(self):
        tokens = [self.create(self.unique("fresh")) for _ in range(5)]
        for key in ("id", "client_id", "client_secret"):
            self.assertEqual(len({t[key] for t in tokens}), 5, key)
        # Two tokens may share a name; ids tell them apart.
        name = self.unique("twin")
        a, b = self.create(name), self.create(name)
        self.assertNotEqual(a["id"], b["id"])

    # ---- list

    def test_list_pagination(self):
        s = self.server
        prefix = self.unique("pg")
        created = [self.create("%s-%d" % (prefix, i)) for i in range(7)]
        ids = [t["id"] for t in created]
        seen = []
        for page in (1, 2, 3):
            r = s.api("GET", s.tokens_path("?search=%s&per_page=3&page=%d" % (prefix, page)))
            self.assertEqual(r.status, 200, r)
            info = r.body["result_info"]
            expected_count = 3 if page < 3 else 1
            self.assertEqual(info, {"page": page, "per_page": 3, "count": expected_count, "total_count": 7,
                                    "total_pages": 3})
            self.assertEqual(len(r.body["result"]), expected_count)
            for t in r.body["result"]:
                self.assertTokenShape(t)
            seen += [t["id"] for t in r.body["result"]]
        self.assertEqual(seen, ids, "pages must list every token once, oldest first")
        for page in (4, 1000):
            r = s.api("GET", s.tokens_path("?search=%s&per_page=3&page=%d" % (prefix, page)))
            self.assertEqual(r.status, 200, r)
            self.assertTrue(r.body["success"])
            self.assertEqual(r.body["result"], [])
            self.assertEqual(r.body["result_info"]["count"], 0)
            self.assertEqual(r.body["result_info"]["total_count"], 7)
        # Defaults: page 1, 20 per page.
        r = s.api("GET", s.tokens_path("?search=" + prefix))
        self.assertEqual(r.body["result_info"]["page"], 1)
        self.assertEqual(r.body["result_info"]["per_page"], 20)
        self.assertEqual([t["id"] for t in r.body["result"]], ids)

    def test_list_filters_by_exact_name_and_search(self):
        s = self.server
        base = self.unique("flt")
        a = self.create(base + "-alpha")
        b = self.create(base + "-alphabet")
        c = self.create(base + "-beta")
        underscore = self.create(base + "-a_b")
        percent = self.create(base + "-50%")
        other = self.create(base + "-axb")

        def listed(query):
            r = s.api("GET", s.tokens_path("?" + query))
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.body["result_info"]["total_count"], len(r.body["result"]))
            return [t["id"] for t in r.body["result"]]

        from urllib.parse import quote
        self.assertEqual(listed("name=" + quote(base + "-alpha")), [a["id"]])
        self.assertEqual(listed("name=" + quote(base + "-alph")), [])
        self.assertEqual(listed("name=" + quote((base + "-alpha").upper())), [])
        self.assertEqual(listed("search=" + quote(base + "-alpha")), [a["id"], b["id"]])
        self.assertEqual(listed("search=" + quote(base)), [a["id"], b["id"], c["id"], underscore["id"],
                                                          percent["id"], other["id"]])
        # LIKE wildcards in the search are literal characters.
        self.assertEqual(listed("search=" + quote(base + "-a_b")), [underscore["id"]])
        self.assertEqual(listed("search=" + quote(base + "-50%")), [percent["id"]])
        self.assertEqual(listed("search=" + quote("%") + "&name=" + quote(base + "-beta")), [])
        # search also matches a substring of the client_id.
        self.assertEqual(listed("search=" + c["client_id"]), [c["id"]])
        self.assertEqual(listed("search=" + c["client_id"][3:20]), [c["id"]])
        # Both filters together.
        self.assertEqual(listed("name=%s&search=beta" % quote(base + "-beta")), [c["id"]])
        self.assertEqual(listed("name=%s&search=zzz" % quote(base + "-beta")), [])

    # ---- update

    def test_update_name(self):
        s = self.server
        t = self.create(self.unique("rename"), duration="72h")
        new = self.unique("renamed")
        r, before, after = self.timed("PUT", s.tokens_path("/" + t["id"]), {"name": new})
        self.assertEqual(r.status, 200, r)
        u = r.body["result"]
        self.assertTokenShape(u)
        self.assertEqual(u["name"], new)
        self.assertEqual(u["expires_at"], t["expires_at"], "a rename must not move the expiry")
        self.assertEqual(u["duration"], "72h")
        self.assertEqual(u["client_id"], t["client_id"])
        self.assertEqual(u["created_at"], t["created_at"])
        self.assertWithin(u["updated_at"], before, after)
        self.assertEqual(self.get(t["id"]), u)
        ev = self.events_for(t["id"])[-1]
        self.assertEqual(ev["action"]["type"], "service_token.update")
        self.assertEqual(ev["resource"]["name"], new)
        self.assertEqual(ev["oldValueJson"]["name"], t["name"])
        self.assertEqual(ev["newValueJson"], u)

    def test_update_duration_sets_expiry_from_now(self):
        s = self.server
        t = self.create(self.unique("dur"), duration="72h")
        for d, seconds in (("24h", 86400), ("17520h", 2 * YEAR), ("90m", 5400), ("1.5h", 5400)):
            with self.subTest(duration=d):
                r, before, after = self.timed("PUT", s.tokens_path("/" + t["id"]), {"duration": d})
                self.assertEqual(r.status, 200, r)
                u = r.body["result"]
                self.assertEqual(u["duration"], d)
                self.assertWithin(u["expires_at"], before, after, offset=seconds)
                self.assertAlmostEqual(parse_rfc3339(u["expires_at"]) - parse_rfc3339(u["updated_at"]), seconds,
                                       delta=EPS)
        r = s.api("PUT", s.tokens_path("/" + t["id"]), {"duration": "forever"})
        self.assertEqual(r.status, 200, r)
        self.assertIsNone(r.body["result"]["expires_at"])
        self.assertEqual(r.body["result"]["duration"], "forever")
        r, before, after = self.timed("PUT", s.tokens_path("/" + t["id"]), {"duration": "1h", "name": "both"})
        self.assertEqual(r.body["result"]["name"], "both")
        self.assertWithin(r.body["result"]["expires_at"], before, after, offset=3600)

    def test_update_with_nothing_to_change(self):
        s = self.server
        t = self.create(self.unique("noop"))
        count = s.audit_count()
        for body in ({}, {"name": t["name"]}, {"enabled": True}, None):
            with self.subTest(body=body):
                r = s.api("PUT", s.tokens_path("/" + t["id"]), body)
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.body["result"], self.get(t["id"]))
        self.assertEqual(s.audit_count(), count, "a request that changes nothing is not an audit event")

    # ---- refresh

    def test_refresh_extends_by_one_year(self):
        s = self.server
        t = self.create(self.unique("refresh"), duration="72h")
        r, before, after = self.timed("POST", s.tokens_path("/%s/refresh" % t["id"]), content_type=None)
        self.assertEqual(r.status, 200, r)
        u = r.body["result"]
        self.assertTokenShape(u)
        self.assertAlmostEqual(parse_rfc3339(u["expires_at"]) - parse_rfc3339(t["expires_at"]), YEAR, delta=EPS)
        self.assertEqual(u["duration"], "72h")
        self.assertWithin(u["updated_at"], before, after)
        # Again: another year on top.
        u2 = s.ok("POST", s.tokens_path("/%s/refresh" % t["id"]))
        self.assertAlmostEqual(parse_rfc3339(u2["expires_at"]) - parse_rfc3339(t["expires_at"]), 2 * YEAR,
                               delta=EPS)
        # An empty JSON body is accepted too.
        u3 = s.ok("POST", s.tokens_path("/%s/refresh" % t["id"]), {})
        self.assertAlmostEqual(parse_rfc3339(u3["expires_at"]) - parse_rfc3339(t["expires_at"]), 3 * YEAR,
                               delta=EPS)
        actions = [e["action"]["type"] for e in self.events_for(t["id"])]
        self.assertEqual(actions, ["service_token.create"] + ["service_token.refresh"] * 3)

    def test_refresh_of_an_expired_token_counts_from_now(self):
        s = self.server
        t = self.create(self.unique("expired"), duration="1us")  # expired as soon as it exists
        r, before, after = self.timed("POST", s.tokens_path("/%s/refresh" % t["id"]))
        self.assertEqual(r.status, 200, r)
        self.assertWithin(r.body["result"]["expires_at"], before, after, offset=YEAR)

    def test_refresh_keeps_forever(self):
        s = self.server
        t = self.create(self.unique("forever"), duration="forever")
        u = s.ok("POST", s.tokens_path("/%s/refresh" % t["id"]))
        self.assertIsNone(u["expires_at"])
        self.assertEqual(u["duration"], "forever")

    # ---- rotate

    def test_rotate_without_grace_revokes_the_old_secret_now(self):
        s = self.server
        t = self.create(self.unique("rot"))
        for body in ({}, None):
            with self.subTest(body=body):
                old = self.get(t["id"])
                r, before, after = self.timed("POST", s.tokens_path("/%s/rotate" % t["id"]), body)
                self.assertEqual(r.status, 200, r)
                u = r.body["result"]
                self.secrets.append(u["client_secret"])
                self.assertTokenShape(u, with_secret=True)
                self.assertNotIn(u["client_secret"], self.secrets[:-1])
                self.assertEqual(u["client_id"], t["client_id"])
                self.assertEqual(u["client_secret_version"], old["client_secret_version"] + 1)
                self.assertWithin(u["previous_client_secret_expires_at"], before, after)
                self.assertEqual(u["expires_at"], t["expires_at"], "rotation does not move the expiry")
                got = self.get(t["id"])
                self.assertEqual(got, {k: v for k, v in u.items() if k != "client_secret"})
        ev = self.events_for(t["id"])[-1]
        self.assertEqual(ev["action"]["type"], "service_token.rotate")
        self.assertEqual(ev["oldValueJson"]["client_secret_version"], 2)
        self.assertEqual(ev["newValueJson"]["client_secret_version"], 3)

    def test_rotate_with_grace_and_move_it(self):
        s = self.server
        t = self.create(self.unique("grace"))
        grace = rfc3339(time.time() + 3600)
        u = s.ok("POST", s.tokens_path("/%s/rotate" % t["id"]), {"previous_client_secret_expires_at": grace})
        self.secrets.append(u["client_secret"])
        self.assertEqual(parse_rfc3339(u["previous_client_secret_expires_at"]), parse_rfc3339(grace))
        self.assertEqual(u["client_secret_version"], 2)

        # Forward: the grace is extended to exactly the given instant.
        later = rfc3339(time.time() + 2 * 86400)
        r, before, after = self.timed("PUT", s.tokens_path("/" + t["id"]),
                                      {"previous_client_secret_expires_at": later})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(parse_rfc3339(r.body["result"]["previous_client_secret_expires_at"]), parse_rfc3339(later))
        self.assertWithin(r.body["result"]["updated_at"], before, after)
        # Other time zones are the same instant.
        offset = time.strftime("%Y-%m-%dT%H:%M:%S+02:00", time.gmtime(time.time() + 3 * 86400 + 7200))
        r = s.api("PUT", s.tokens_path("/" + t["id"]), {"previous_client_secret_expires_at": offset})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(parse_rfc3339(r.body["result"]["previous_client_secret_expires_at"]),
                         parse_rfc3339(offset))
        # Into the past: the old secret stops now (the reply says when, truthfully).
        r, before, after = self.timed("PUT", s.tokens_path("/" + t["id"]),
                                      {"previous_client_secret_expires_at": "2000-01-01T00:00:00Z"})
        self.assertEqual(r.status, 200, r)
        self.assertWithin(r.body["result"]["previous_client_secret_expires_at"], before, after)
        # Once ended, it cannot be revived.
        count = s.audit_count()
        r = s.api("PUT", s.tokens_path("/" + t["id"]), {"previous_client_secret_expires_at": later})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.headers.get("x-should-retry"), "false")
        self.assertTrue(r.body["errors"][0]["message"].startswith("access.api.error.previous_secret_expired:"))
        self.assertEqual(s.audit_count(), count)
        actions = [e["action"]["type"] for e in self.events_for(t["id"])]
        self.assertEqual(actions, ["service_token.create", "service_token.rotate"] + ["service_token.update"] * 3)

    def test_rotate_with_a_grace_in_the_past_revokes_now(self):
        s = self.server
        t = self.create(self.unique("past"))
        r, before, after = self.timed("POST", s.tokens_path("/%s/rotate" % t["id"]),
                                      {"previous_client_secret_expires_at": rfc3339(time.time() - 60)})
        self.assertEqual(r.status, 200, r)
        self.secrets.append(r.body["result"]["client_secret"])
        self.assertWithin(r.body["result"]["previous_client_secret_expires_at"], before, after)

    def test_previous_secret_expiry_needs_a_rotation(self):
        s = self.server
        t = self.create(self.unique("norot"))
        count = s.audit_count()
        r = s.api("PUT", s.tokens_path("/" + t["id"]),
                  {"previous_client_secret_expires_at": rfc3339(time.time() + 3600)})
        self.assertEqual(r.status, 400, r)
        self.assertTrue(r.body["errors"][0]["message"].startswith("access.api.error.no_previous_secret:"))
        self.assertIn("previous_client_secret_expires_at", r.body["errors"][0]["message"])
        self.assertEqual(self.get(t["id"]), {k: v for k, v in t.items() if k != "client_secret"})
        self.assertEqual(s.audit_count(), count)

    # ---- enable / disable

    def test_enable_and_disable(self):
        s = self.server
        t = self.create(self.unique("toggle"))
        u = s.ok("PUT", s.tokens_path("/" + t["id"]), {"enabled": False})
        self.assertIs(u["enabled"], False)
        self.assertIs(self.get(t["id"])["enabled"], False)
        self.assertEqual(u["expires_at"], t["expires_at"])
        u = s.ok("PUT", s.tokens_path("/" + t["id"]), {"enabled": True})
        self.assertIs(u["enabled"], True)
        self.assertIs(self.get(t["id"])["enabled"], True)
        events = self.events_for(t["id"])
        self.assertEqual([e["action"]["type"] for e in events],
                         ["service_token.create", "service_token.disable", "service_token.enable"])
        self.assertIs(events[1]["oldValueJson"]["enabled"], True)
        self.assertIs(events[1]["newValueJson"]["enabled"], False)
        self.assertIs(events[2]["oldValueJson"]["enabled"], False)
        self.assertIs(events[2]["newValueJson"]["enabled"], True)

    # ---- delete

    def test_delete_then_404(self):
        s = self.server
        t = self.create(self.unique("del"))
        r = s.api("DELETE", s.tokens_path("/" + t["id"]))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["result"], {k: v for k, v in t.items() if k != "client_secret"})
        for method, suffix, body in (("GET", "", None), ("PUT", "", {"name": "back"}), ("DELETE", "", None),
                                     ("POST", "/refresh", None), ("POST", "/rotate", {})):
            with self.subTest(method=method, suffix=suffix):
                r = s.api(method, s.tokens_path("/" + t["id"] + suffix), body)
                self.assertEqual(r.status, 404, r)
                self.assertTrue(r.body["errors"][0]["message"].startswith(
                    "access.api.error.service_token_not_found:"))
        self.assertNotIn(t["id"], [x["id"] for x in s.list_all_tokens()])
        ev = self.events_for(t["id"])[-1]
        self.assertEqual(ev["action"]["type"], "service_token.delete")
        self.assertEqual(ev["resource"]["name"], t["name"])
        self.assertEqual(ev["oldValueJson"], {k: v for k, v in t.items() if k != "client_secret"})
        self.assertIsNone(ev["newValueJson"])

    # ---- audit

    def test_every_change_is_audited_without_secrets(self):
        s = self.server
        me = s.ok("GET", "/user/tokens/verify")
        name = self.unique("audited")
        t = self.create(name, duration="72h")
        replies = [("service_token.create", None, {k: v for k, v in t.items() if k != "client_secret"})]

        def change(action, method, suffix, body=None):
            before = self.get(t["id"])
            after = s.ok(method, s.tokens_path("/" + t["id"] + suffix), body)
            if "client_secret" in after:
                self.secrets.append(after.pop("client_secret"))
            replies.append((action, before, after))

        change("service_token.update", "PUT", "", {"name": name + "-2"})
        change("service_token.update", "PUT", "", {"duration": "48h"})
        change("service_token.refresh", "POST", "/refresh")
        change("service_token.rotate", "POST", "/rotate", {"previous_client_secret_expires_at":
                                                           rfc3339(time.time() + 3600)})
        change("service_token.update", "PUT", "", {"previous_client_secret_expires_at":
                                                   rfc3339(time.time() + 7200)})
        change("service_token.rotate", "POST", "/rotate", {})
        change("service_token.disable", "PUT", "", {"enabled": False})
        change("service_token.enable", "PUT", "", {"enabled": True})
        final = self.get(t["id"])
        s.ok("DELETE", s.tokens_path("/" + t["id"]))
        replies.append(("service_token.delete", final, None))

        events = self.events_for(t["id"])
        self.assertEqual(len(events), len(replies))
        for ev, (action, before, after) in zip(events, replies):
            with self.subTest(action=action):
                self.assertEqual(ev["action"], {"type": action, "result": True})
                self.assertEqual(ev["resource"]["type"], "access.service_token")
                self.assertEqual(ev["resource"]["id"], t["id"])
                self.assertEqual(ev["resource"]["name"], (after or before)["name"])
                self.assertEqual(ev["actor"], {"type": "api_token", "id": me["id"], "name": me["name"]})
                self.assertEqual(ev["interface"], "api")
                self.assertEqual(ev["owner"], {"id": s.account_id})
                self.assertRegex(ev["id"], UUID_RE)
                parse_rfc3339(ev["when"])
                self.assertEqual(ev["oldValueJson"], before)
                self.assertEqual(ev["newValueJson"], after)
        whens = [parse_rfc3339(e["when"]) for e in events]
        self.assertEqual(whens, sorted(whens))

        # Nothing secret anywhere in the whole audit log, on any page size.
        everything, total = s.audit_log()
        self.assertEqual(len(everything), total)
        self.assertNoSecretsAnywhere(json.dumps(everything))
        small_pages, page = [], 1
        while True:
            r = s.api("GET", s.acct("/audit_logs?per_page=7&page=%d" % page))
            self.assertEqual(r.status, 200, r)
            self.assertNoSecretsAnywhere(r.raw.decode())
            if not r.body["result"]:
                break
            small_pages += r.body["result"]
            page += 1
        self.assertEqual([e["id"] for e in small_pages][: len(everything)], [e["id"] for e in everything])

    def test_audit_log_pages_newest_first(self):
        s = self.server
        self.create(self.unique("order-a"))
        b = self.create(self.unique("order-b"))
        r = s.api("GET", s.acct("/audit_logs?per_page=1"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["result"][0]["resource"]["id"], b["id"])
        info = r.body["result_info"]
        self.assertEqual(info["per_page"], 1)
        self.assertEqual(info["count"], 1)
        r = s.api("GET", s.acct("/audit_logs?per_page=1000&page=%d" % (info["total_count"] + 1)))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["result"], [])


if __name__ == "__main__":
    unittest.main()
