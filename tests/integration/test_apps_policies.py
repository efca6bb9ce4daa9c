"""Access applications, policies and the organization through the admin API and the
CLI (compat.md §1.3, §1.4, §3): create/list/get/update/delete, ordered policy links
and precedence, app-scoped policies, reusable policies in use (409), every kind of bad
input (400, state unchanged), the organization, and revoke_tokens."""

import contextlib
import re
import time
import unittest
import uuid

from gatehouse_server import GatehouseServer, parse_rfc3339, run_cli

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
AUD_RE = re.compile(r"^[0-9a-f]{64}$")
ORIGIN = "http://127.0.0.1:9"


def unique(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:10])


class AppsAndPoliciesTest(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = GatehouseServer().start()
        cls.token = cls.server.create_token("apps-ci")
        cls.other_token = cls.server.create_token("apps-other")
        r = cls.server.api("POST", cls.server.acct("/tokens"), {"name": "reader", "scope": "read"})
        assert r.status in (200, 201), r
        cls.reader = r.body["result"]["value"]

    @classmethod
    def tearDownClass(cls):
        if cls.server:
            cls.server.cleanup()

    # ---- helpers

    def path(self, suffix=""):
        return self.server.acct("/access" + suffix)

    def ok(self, method, suffix, body=None, **kw):
        return self.server.ok(method, self.path(suffix), body, **kw)

    def api(self, method, suffix, body=None, **kw):
        return self.server.api(method, self.path(suffix), body, **kw)

    def all_pages(self, suffix):
        out, page = [], 1
        sep = "&" if "?" in suffix else "?"
        while True:
            r = self.ok("GET", "%s%sper_page=1000&page=%d" % (suffix, sep, page))
            if not r:
                return out
            out.extend(r)
            page += 1

    def policy_body(self, **fields):
        body = {"name": unique("pol"), "decision": "non_identity",
                "include": [{"service_token": {"token_id": self.token["id"]}}]}
        body.update(fields)
        return body

    def create_policy(self, **fields):
        return self.ok("POST", "/policies", self.policy_body(**fields))

    def app_body(self, **fields):
        body = {"type": "self_hosted", "name": unique("app"), "domain": unique("app") + ".example.test",
                "origin": ORIGIN}
        body.update(fields)
        return body

    def create_app(self, **fields):
        return self.ok("POST", "/apps", self.app_body(**fields))

    def snapshot(self):
        """Everything a bad request could change: apps (list and each), reusable policies,
        each app's policies, the organization, the audit log's length."""
        apps = self.all_pages("/apps")
        return {
            "apps": apps,
            "each": [self.ok("GET", "/apps/" + a["id"]) for a in apps],
            "app_policies": [self.all_pages("/apps/%s/policies" % a["id"]) for a in apps],
            "policies": self.all_pages("/policies"),
            "org": self.ok("GET", "/organizations"),
            "audit_count": self.server.audit_count(),
        }

    @contextlib.contextmanager
    def unchanged(self):
        before = self.snapshot()
        yield
        after = self.snapshot()
        self.assertEqual(before["audit_count"], after["audit_count"], "the audit log grew")
        self.assertEqual(before, after, "stored state changed")

    def assertRejected(self, reply, status, slug=None, *fragments):
        self.assertEqual(reply.status, status, reply)
        body = reply.body
        self.assertIs(body["success"], False, reply)
        self.assertIsNone(body["result"], reply)
        message = body["errors"][0]["message"]
        self.assertEqual(body["errors"][0]["code"], 10000 + status, reply)
        if slug:
            self.assertTrue(message.startswith("access.api.error.%s: " % slug), "expected %r in %r" % (slug, message))
        for f in fragments:
            self.assertIn(f, message)
        if status == 409:
            self.assertEqual(reply.headers.get("x-should-retry"), "false", reply)
        return message

    def assertRecent(self, rfc3339, slack=60):
        self.assertLess(abs(parse_rfc3339(rfc3339) - time.time()), slack, rfc3339)

    # ---- apps

    def test_create_returns_the_whole_app(self):
        pol = self.create_policy()
        body = self.app_body(domain="Web-1.Example.TEST/Admin/", session_duration="2h30m",
                             destinations=[{"type": "public", "uri": "api.example.test/v1"}, {"uri": "*.web.example.test"}],
                             read_service_tokens_from_header="Authorization", same_site_cookie_attribute="strict",
                             http_only_cookie_attribute=False, path_cookie_attribute=True,
                             service_auth_401_redirect=True, custom_deny_message="ask ops",
                             cors_headers={"allow_all_origins": True, "allowed_methods": ["GET"], "max_age": 600},
                             options_preflight_bypass=True, origin="https://backend.internal:8443/base",
                             origin_timeout={"connect": "1.5s", "idle": "90s"}, policies=[pol["id"]],
                             unknown_field={"ignored": True})
        r = self.api("POST", "/apps", body)
        self.assertIn(r.status, (200, 201), r)
        app = r.body["result"]
        self.assertRegex(app["id"], UUID_RE)
        self.assertRegex(app["aud"], AUD_RE)
        self.assertEqual(app["type"], "self_hosted")
        self.assertEqual(app["name"], body["name"])
        self.assertEqual(app["domain"], "web-1.example.test/Admin", "host lowercased, path kept, trailing / dropped")
        self.assertEqual(app["destinations"], [{"type": "public", "uri": "api.example.test/v1"},
                                               {"type": "public", "uri": "*.web.example.test"}])
        self.assertEqual(app["session_duration"], "2h30m")
        self.assertEqual(app["read_service_tokens_from_header"], "Authorization")
        self.assertEqual(app["same_site_cookie_attribute"], "strict")
        self.assertIs(app["http_only_cookie_attribute"], False)
        self.assertIs(app["path_cookie_attribute"], True)
        self.assertIs(app["service_auth_401_redirect"], True)
        self.assertEqual(app["custom_deny_message"], "ask ops")
        self.assertEqual(app["cors_headers"], {"allow_all_origins": True, "allowed_methods": ["GET"], "max_age": 600})
        self.assertIs(app["options_preflight_bypass"], True)
        self.assertEqual(app["origin"], "https://backend.internal:8443/base")
        self.assertEqual(app["origin_timeout"], {"connect": "1.5s", "response_header": "30s", "idle": "1m30s"})
        self.assertIsNone(app["tokens_revoked_before"])
        self.assertRecent(app["created_at"])
        self.assertEqual(app["created_at"], app["updated_at"])
        self.assertEqual([p["id"] for p in app["policies"]], [pol["id"]])
        self.assertEqual(app["policies"][0]["precedence"], 1)
        self.assertEqual(app["policies"][0]["include"], pol["include"])
        self.assertEqual(self.ok("GET", "/apps/" + app["id"]), app)

    def test_defaults(self):
        app = self.create_app(name=None)
        self.assertEqual(app["name"], app["domain"], "the name defaults to the domain")
        self.assertEqual(app["session_duration"], "24h")
        self.assertIs(app["http_only_cookie_attribute"], True)
        self.assertNotIn("same_site_cookie_attribute", app)
        self.assertEqual(app["policies"], [])
        self.assertEqual(app["origin_timeout"], {"connect": "5s", "response_header": "30s", "idle": "1m0s"})

    def test_list_pages_and_filters(self):
        tag = unique("list")
        made = [self.create_app(name="%s-%d" % (tag, i), domain="%s-%d.example.test" % (tag, i)) for i in range(3)]
        everything = self.all_pages("/apps")
        ids = [a["id"] for a in everything]
        for a in made:
            self.assertIn(a["id"], ids)
        self.assertEqual([i for i in ids if i in {a["id"] for a in made}], [a["id"] for a in made], "creation order")
        r = self.api("GET", "/apps?per_page=2&page=1")
        self.assertEqual(r.status, 200)
        self.assertEqual(len(r.body["result"]), 2)
        self.assertEqual(r.body["result_info"]["total_count"], len(everything))
        self.assertEqual(r.body["result_info"]["per_page"], 2)
        past = self.api("GET", "/apps?per_page=2&page=100000")
        self.assertEqual((past.status, past.body["result"]), (200, []))
        self.assertEqual([a["id"] for a in self.ok("GET", "/apps?name=%s-1" % tag)], [made[1]["id"]])
        self.assertEqual([a["id"] for a in self.ok("GET", "/apps?domain=%s-2.example.test" % tag)], [made[2]["id"]])
        self.assertEqual([a["id"] for a in self.ok("GET", "/apps?aud=" + made[0]["aud"])], [made[0]["id"]])
        self.assertEqual(len(self.ok("GET", "/apps?search=" + tag)), 3)
        self.assertRejected(self.api("GET", "/apps?per_page=0"), 400, "invalid_pagination")

    def test_update_merges_and_keeps_id_aud_created(self):
        pol = self.create_policy()
        app = self.create_app(policies=[pol["id"]], session_duration="1h")
        new_domain = unique("moved") + ".example.test"
        updated = self.ok("PUT", "/apps/" + app["id"], {"type": "self_hosted", "name": "renamed", "domain": new_domain})
        self.assertEqual(updated["name"], "renamed")
        self.assertEqual(updated["domain"], new_domain)
        for kept in ("id", "aud", "created_at", "session_duration", "origin", "policies"):
            self.assertEqual(updated[kept], app[kept], kept)
        self.assertGreater(parse_rfc3339(updated["updated_at"]), parse_rfc3339(app["updated_at"]))
        self.assertEqual(self.ok("GET", "/apps/" + app["id"]), updated)
        # PATCH works the same; a no-op change writes nothing.
        count = self.server.audit_count()
        again = self.ok("PATCH", "/apps/" + app["id"], {"name": "renamed"})
        self.assertEqual(again, updated)
        self.assertEqual(self.server.audit_count(), count)

    def test_type_cannot_change(self):
        app = self.create_app()
        with self.unchanged():
            self.assertRejected(self.api("PUT", "/apps/" + app["id"], {"type": "warp"}), 400, "type_change")

    def test_delete_returns_the_app_and_takes_its_own_policies(self):
        shared = self.create_policy()
        app = self.create_app(policies=[shared["id"], self.policy_body(name="own")])
        own = [p for p in app["policies"] if not p["reusable"]][0]
        deleted = self.ok("DELETE", "/apps/" + app["id"])
        self.assertEqual(deleted["id"], app["id"])
        self.assertRejected(self.api("GET", "/apps/" + app["id"]), 404, "app_not_found")
        self.assertRejected(self.api("DELETE", "/apps/" + app["id"]), 404, "app_not_found")
        self.assertRejected(self.api("GET", "/apps/%s/policies/%s" % (app["id"], own["id"])), 404)
        self.assertNotIn(own["id"], [p["id"] for p in self.all_pages("/policies")])
        self.assertEqual(self.ok("GET", "/policies/" + shared["id"])["app_count"], 0, "the reusable one stays")

    def test_unknown_app_is_404(self):
        missing = str(uuid.uuid4())
        for method, suffix in (("GET", ""), ("PUT", ""), ("DELETE", ""), ("POST", "/revoke_tokens"),
                               ("GET", "/policies"), ("POST", "/policies")):
            with self.subTest(method=method, suffix=suffix):
                body = {} if method in ("PUT", "POST") else None
                if suffix == "/policies" and method == "POST":
                    body = self.policy_body()
                self.assertRejected(self.api(method, "/apps/" + missing + suffix, body), 404, "app_not_found")

    def test_warp_app_needs_no_domain_or_origin_and_is_one_per_account(self):
        existing = [a for a in self.all_pages("/apps") if a["type"] == "warp"]
        if existing:
            warp = existing[0]
        else:
            warp = self.ok("POST", "/apps", {"type": "warp", "policies": [self.policy_body()]})
            self.assertEqual(warp["name"], "Warp Login App")
            self.assertEqual(warp["domain"], "")
        with self.unchanged():
            self.assertRejected(self.api("POST", "/apps", {"type": "warp"}), 409, "warp_app_exists", warp["id"])
            self.assertRejected(self.api("PUT", "/apps/" + warp["id"], {"origin": "http://127.0.0.1:1"}), 400,
                                "invalid_origin")

    # ---- policy links and precedence

    def test_policy_ids_link_in_order(self):
        a, b, c = self.create_policy(), self.create_policy(), self.create_policy()
        app = self.create_app(policies=[b["id"], a["id"], c["id"]])
        self.assertEqual([(p["id"], p["precedence"]) for p in app["policies"]],
                         [(b["id"], 1), (a["id"], 2), (c["id"], 3)])
        self.assertEqual(self.ok("GET", "/policies/" + a["id"])["app_count"], 1)

    def test_links_with_precedence_are_ordered_by_it(self):
        a, b = self.create_policy(), self.create_policy()
        app = self.create_app(policies=[{"id": a["id"], "precedence": 20}, {"id": b["id"], "precedence": 10}])
        self.assertEqual([(p["id"], p["precedence"]) for p in app["policies"]], [(b["id"], 10), (a["id"], 20)])
        listed = self.all_pages("/apps/%s/policies" % app["id"])
        self.assertEqual([(p["id"], p["precedence"], p["reusable"]) for p in listed],
                         [(b["id"], 10, True), (a["id"], 20, True)])
        self.assertEqual(self.ok("GET", "/apps/%s/policies/%s" % (app["id"], a["id"]))["precedence"], 20)

    def test_inline_policies_become_app_scoped(self):
        shared = self.create_policy()
        app = self.create_app(policies=[
            self.policy_body(name="office", decision="allow", include=[{"ip": {"ip": "10.0.0.0/8"}}],
                             exclude=[{"ip": {"ip": "2001:db8::/32"}}],
                             require=[{"email_domain": {"domain": "Example.COM"}}], session_duration="30m"),
            shared["id"],
        ])
        own, linked = app["policies"]
        self.assertEqual((own["name"], own["precedence"], own["reusable"]), ("office", 1, False))
        self.assertEqual(own["include"], [{"ip": {"ip": "10.0.0.0/8"}}])
        self.assertEqual(own["exclude"], [{"ip": {"ip": "2001:db8::/32"}}])
        self.assertEqual(own["require"], [{"email_domain": {"domain": "example.com"}}])
        self.assertEqual(own["session_duration"], "30m")
        self.assertEqual((linked["id"], linked["precedence"]), (shared["id"], 2))
        self.assertNotIn(own["id"], [p["id"] for p in self.all_pages("/policies")], "app-scoped: not reusable")
        got = self.ok("GET", "/apps/%s/policies/%s" % (app["id"], own["id"]))
        self.assertEqual(got["app_id"], app["id"])
        self.assertRejected(self.api("GET", "/policies/" + own["id"]), 404, "policy_not_found")
        # A GET round-trips through PUT unchanged (links by id).
        count = self.server.audit_count()
        again = self.ok("PUT", "/apps/" + app["id"], {"type": "self_hosted", "policies": app["policies"]})
        self.assertEqual(again["policies"], app["policies"])
        self.assertEqual(self.server.audit_count(), count)

    def test_replacing_the_list_reorders_and_drops_unlinked_app_policies(self):
        a, b = self.create_policy(), self.create_policy()
        app = self.create_app(policies=[a["id"], self.policy_body(name="own"), b["id"]])
        own = app["policies"][1]
        updated = self.ok("PUT", "/apps/" + app["id"], {"policies": [b["id"], a["id"]]})
        self.assertEqual([(p["id"], p["precedence"]) for p in updated["policies"]], [(b["id"], 1), (a["id"], 2)])
        self.assertRejected(self.api("GET", "/apps/%s/policies/%s" % (app["id"], own["id"])), 404)
        cleared = self.ok("PUT", "/apps/" + app["id"], {"policies": []})
        self.assertEqual(cleared["policies"], [])
        self.assertEqual(self.ok("GET", "/policies/" + a["id"])["app_count"], 0)

    def test_app_scoped_policy_endpoints(self):
        shared = self.create_policy()
        app = self.create_app(policies=[{"id": shared["id"], "precedence": 10}])
        base = "/apps/%s/policies" % app["id"]
        r = self.api("POST", base, self.policy_body(name="scoped", decision="bypass", include=[{"everyone": {}}]))
        self.assertIn(r.status, (200, 201), r)
        scoped = r.body["result"]
        self.assertEqual((scoped["precedence"], scoped["reusable"], scoped["app_id"]), (11, False, app["id"]),
                         "after the last one by default")
        first = self.ok("POST", base, self.policy_body(name="first", precedence=5))
        self.assertEqual(first["precedence"], 5)
        self.assertEqual([p["name"] for p in self.ok("GET", "/apps/" + app["id"])["policies"]],
                         ["first", shared["name"], "scoped"])
        moved = self.ok("PUT", "%s/%s" % (base, first["id"]), {"precedence": 1})
        self.assertEqual(moved["precedence"], 1)
        with self.unchanged():
            self.assertRejected(self.api("PUT", "%s/%s" % (base, scoped["id"]), {"precedence": 1}), 400,
                                "precedence_in_use")
            self.assertRejected(self.api("POST", base, self.policy_body(precedence=1)), 400, "precedence_in_use")
        self.assertRejected(self.api("PUT", "%s/%s" % (base, shared["id"]), {"name": "x"}), 400, "reusable_policy")
        self.assertRejected(self.api("DELETE", "%s/%s" % (base, shared["id"])), 400, "reusable_policy")
        self.assertEqual(self.ok("DELETE", "%s/%s" % (base, scoped["id"]))["id"], scoped["id"])
        self.assertEqual([p["name"] for p in self.ok("GET", "/apps/" + app["id"])["policies"]], ["first", shared["name"]])
        self.assertRejected(self.api("GET", "%s/%s" % (base, scoped["id"])), 404, "policy_not_found")
        # An app's own policy is not visible through another app.
        other = self.create_app()
        self.assertRejected(self.api("GET", "/apps/%s/policies/%s" % (other["id"], first["id"])), 404)

    def test_a_policy_of_another_app_cannot_be_linked(self):
        owner = self.create_app(policies=[self.policy_body(name="mine")])
        mine = owner["policies"][0]["id"]
        with self.unchanged():
            self.assertRejected(self.api("POST", "/apps", self.app_body(policies=[mine])), 400, "foreign_policy")

    # ---- reusable policies

    def test_reusable_policy_crud(self):
        body = self.policy_body(include=[{"service_token": {"token_id": self.token["id"]}},
                                         {"any_valid_service_token": {}},
                                         {"common_name": {"common_name": "client.example"}},
                                         {"email": {"email": "ops@Example.com"}}],
                                exclude=[{"ip": {"ip": "192.0.2.7"}}], require=[{"everyone": {}}],
                                session_duration="45m")
        r = self.api("POST", "/policies", body)
        self.assertIn(r.status, (200, 201), r)
        p = r.body["result"]
        self.assertRegex(p["id"], UUID_RE)
        self.assertEqual(p["name"], body["name"])
        self.assertEqual(p["decision"], "non_identity")
        self.assertEqual(p["include"][:3], body["include"][:3])
        self.assertEqual(p["include"][3], {"email": {"email": "ops@example.com"}}, "the domain part is lowercased")
        self.assertEqual(p["exclude"], body["exclude"])
        self.assertEqual(p["require"], body["require"])
        self.assertEqual(p["session_duration"], "45m")
        self.assertIs(p["reusable"], True)
        self.assertEqual(p["app_count"], 0)
        self.assertRecent(p["created_at"])
        self.assertEqual(self.ok("GET", "/policies/" + p["id"]), p)
        self.assertIn(p["id"], [x["id"] for x in self.all_pages("/policies")])
        changed = self.ok("PUT", "/policies/" + p["id"], {"decision": "allow", "session_duration": None,
                                                          "include": [{"everyone": {}}]})
        self.assertEqual((changed["decision"], changed["session_duration"], changed["include"]),
                         ("allow", None, [{"everyone": {}}]))
        self.assertEqual((changed["name"], changed["exclude"]), (p["name"], p["exclude"]), "the rest is kept")
        self.assertEqual(self.ok("DELETE", "/policies/" + p["id"])["id"], p["id"])
        self.assertRejected(self.api("GET", "/policies/" + p["id"]), 404, "policy_not_found")
        self.assertRejected(self.api("DELETE", "/policies/" + p["id"]), 404, "policy_not_found")

    def test_decisions(self):
        for decision in ("allow", "deny", "non_identity", "bypass"):
            with self.subTest(decision=decision):
                self.assertEqual(self.create_policy(decision=decision)["decision"], decision)

    def test_reusable_policy_in_use_is_409_naming_the_apps(self):
        p = self.create_policy()
        a1 = self.create_app(name=unique("user-a"), policies=[p["id"]])
        a2 = self.create_app(name=unique("user-b"), policies=[p["id"]])
        self.assertEqual(self.ok("GET", "/policies/" + p["id"])["app_count"], 2)
        with self.unchanged():
            self.assertRejected(self.api("DELETE", "/policies/" + p["id"]), 409, "policy_in_use",
                                a1["name"], a1["id"], a2["name"], a2["id"])
        self.ok("PUT", "/apps/" + a1["id"], {"policies": []})
        self.ok("DELETE", "/apps/" + a2["id"])
        self.ok("DELETE", "/policies/" + p["id"])

    def test_a_policy_naming_a_deleted_token_cannot_be_created(self):
        t = self.server.create_token(unique("gone"))
        self.server.ok("DELETE", self.server.tokens_path("/" + t["id"]))
        with self.unchanged():
            self.assertRejected(self.api("POST", "/policies",
                                         self.policy_body(include=[{"service_token": {"token_id": t["id"]}}])),
                                400, "unknown_service_token", t["id"])

    # ---- bad input: 400, nothing changes

    def test_bad_rules_are_400(self):
        missing_token = str(uuid.uuid4())
        cases = [
            ([{"geo": {"country_code": "US"}}], "unsupported_rule", 'rule type "geo" is not supported'),
            ([{"okta": {"name": "x"}}], "unsupported_rule", 'rule type "okta" is not supported'),
            ([{"group": {"id": "x"}}], "unsupported_rule", "include[0]"),
            ([{"everyone": {}}, {"login_method": {"id": "x"}}], "unsupported_rule", "include[1]"),
            ([{"ip": {"ip": "10.0.0.0/33"}}], "invalid_ip", "include[0].ip.ip"),
            ([{"ip": {"ip": "300.1.1.1"}}], "invalid_ip", "300.1.1.1"),
            ([{"ip": {"ip": "::1/129"}}], "invalid_ip", "::1/129"),
            ([{"ip": {"ip": "10.0.0.0/8x"}}], "invalid_ip", None),
            ([{"ip": {"ip": ""}}], "invalid_ip", None),
            ([{"ip": {"ip": "fe80::1%eth0"}}], "invalid_ip", None),
            ([{"ip": {}}], "missing_field", "include[0].ip.ip is required"),
            ([{"ip": "10.0.0.0/8"}], "invalid_field_type", "include[0].ip must be an object"),
            ([{"service_token": {"token_id": missing_token}}], "unknown_service_token", missing_token),
            ([{"service_token": {"token_id": "not-a-uuid"}}], "invalid_rule", "UUID"),
            ([{"service_token": {"token_id": self.token["client_id"]}}], "invalid_rule", None),
            ([{"email": {"email": "no-at-sign"}}], "invalid_email", None),
            ([{"email": {"email": "a@b@c.com"}}], "invalid_email", None),
            ([{"email_domain": {"domain": "exa mple.com"}}], "invalid_domain", None),
            ([{"email_domain": {"domain": "https://example.com"}}], "invalid_domain", None),
            ([{"common_name": {"common_name": ""}}], "invalid_name", None),
            ([{}], "invalid_rule", "is empty"),
            ([{"everyone": {}, "ip": {"ip": "10.0.0.1"}}], "invalid_rule", "more than one rule type"),
            (["everyone"], "invalid_field_type", "include[0]"),
            ([], "missing_include", "at least one rule"),
            ({"everyone": {}}, "invalid_field_type", "include must be an array"),
        ]
        app = self.create_app(policies=[self.create_policy()["id"]])
        with self.unchanged():
            for include, slug, text in cases:
                with self.subTest(include=include):
                    frag = (text,) if text else ()
                    body = self.policy_body(include=include)
                    self.assertRejected(self.api("POST", "/policies", body), 400, slug, *frag)
                    self.assertRejected(self.api("POST", "/apps/%s/policies" % app["id"], body), 400, slug, *frag)
                    self.assertRejected(self.api("POST", "/apps", self.app_body(policies=[body])), 400, slug,
                                        "policies[0].include", *frag)
                    self.assertRejected(self.api("PUT", "/apps/" + app["id"], {"policies": [body]}), 400, slug)
                    self.assertRejected(self.api("PUT", "/policies/" + app["policies"][0]["id"],
                                                 {"include": include}), 400, slug)
            # The same rules are refused in exclude and require too.
            for key in ("exclude", "require"):
                with self.subTest(list=key):
                    self.assertRejected(self.api("POST", "/policies", self.policy_body(**{key: [{"geo": {}}]})),
                                        400, "unsupported_rule", key + "[0]")

    def test_bad_policy_fields_are_400(self):
        cases = [
            ({"decision": "block"}, "invalid_decision", "decision must be"),
            ({"decision": "service_auth"}, "invalid_decision", None),
            ({"decision": None}, "missing_field", "decision is required"),
            ({"decision": 1}, "invalid_field_type", "decision must be a string"),
            ({"name": None}, "missing_field", "name is required"),
            ({"name": ""}, "invalid_name", None),
            ({"name": "x" * 257}, "invalid_name", None),
            ({"include": None}, "missing_include", None),
            ({"precedence": 0}, "invalid_precedence", None),
            ({"precedence": "1"}, "invalid_field_type", "precedence must be a whole number"),
            ({"precedence": 1.5}, "invalid_field_type", None),
            ({"session_duration": "forever"}, "invalid_duration", "session_duration"),
            ({"session_duration": "10 minutes"}, "invalid_duration", "session_duration"),
            ({"session_duration": "9000h"}, "invalid_duration", "8760h"),
        ]
        with self.unchanged():
            for fields, slug, text in cases:
                with self.subTest(fields=fields):
                    body = self.policy_body(**fields)
                    self.assertRejected(self.api("POST", "/policies", body), 400, slug, *((text,) if text else ()))

    def test_bad_domains_are_400(self):
        cases = [
            ("https://app.example.test", "scheme"),
            ("app.example.test:8443", "port"),
            ("app .example.test", "spaces"),
            ("app..example.test", "empty label"),
            (".app.example.test", "empty label"),
            ("app.example.test.", "empty label"),
            ("", "must not be empty"),
            ("*.", "nothing after"),
            ("a.*.example.test", "wildcard"),
            ("*app.example.test", "wildcard"),
            ("app_1.example.test", "invalid character"),
            ("-app.example.test", "'-'"),
            ("user@app.example.test", "user info"),
            ("app.example.test/a/*", "wildcards in paths"),
            ("app.example.test/a/../b", "\"..\""),
            ("app.example.test/a//b", "empty path segment"),
            ("app.example.test/a?x=1", "query"),
            ("app.example.test/%zz", "percent-escape"),
            ("bücher.example.test", "punycode"),
            ("a" * 64 + ".example.test", "63"),
        ]
        app = self.create_app()
        with self.unchanged():
            for domain, text in cases:
                with self.subTest(domain=domain):
                    self.assertRejected(self.api("POST", "/apps", self.app_body(domain=domain)), 400, "invalid_domain",
                                        "domain", text)
                    self.assertRejected(self.api("PUT", "/apps/" + app["id"], {"domain": domain}), 400,
                                        "invalid_domain", text)
                    self.assertRejected(
                        self.api("POST", "/apps", self.app_body(destinations=[{"type": "public", "uri": domain}])),
                        400, "invalid_domain", "destinations[0].uri")

    def test_bad_origins_are_400(self):
        cases = ["ftp://x.example", "127.0.0.1:3000", "http://", "http://host:99999", "http://u:p@host",
                 "http://host/a?b", "http://ho st", "https://host:0"]
        app = self.create_app()
        with self.unchanged():
            for origin in cases:
                with self.subTest(origin=origin):
                    self.assertRejected(self.api("POST", "/apps", self.app_body(origin=origin)), 400, "invalid_origin",
                                        "origin")
                    self.assertRejected(self.api("PUT", "/apps/" + app["id"], {"origin": origin}), 400,
                                        "invalid_origin")
            body = self.app_body()
            del body["origin"]
            self.assertRejected(self.api("POST", "/apps", body), 400, "missing_field", "origin is required")

    def test_bad_app_fields_are_400(self):
        pol = self.create_policy()
        cases = [
            ({"type": "saas"}, "unsupported_app_type", '"saas" is not supported'),
            ({"type": "ssh"}, "unsupported_app_type", None),
            ({"type": None}, "missing_field", "type is required"),
            ({"type": 7}, "invalid_field_type", "type must be a string"),
            ({"domain": None}, "missing_field", "domain is required"),
            ({"domain": 5}, "invalid_field_type", "domain must be a string"),
            ({"name": ""}, "invalid_name", None),
            ({"session_duration": "forever"}, "invalid_duration", "session_duration"),
            ({"session_duration": "abc"}, "invalid_duration", "session_duration"),
            ({"same_site_cookie_attribute": "sometimes"}, "invalid_same_site", None),
            ({"same_site_cookie_attribute": True}, "invalid_field_type", None),
            ({"read_service_tokens_from_header": "bad header"}, "invalid_header_name", None),
            ({"read_service_tokens_from_header": "x:y"}, "invalid_header_name", None),
            ({"http_only_cookie_attribute": "yes"}, "invalid_field_type", "http_only_cookie_attribute"),
            ({"cors_headers": "x"}, "invalid_field_type", "cors_headers must be an object"),
            ({"cors_headers": [1]}, "invalid_field_type", None),
            ({"cors_headers": {"allowed_origins": "*"}}, "invalid_field_type", "cors_headers.allowed_origins"),
            ({"destinations": [{"type": "private", "cidr": "10.0.0.0/8"}]}, "unsupported_destination", "private"),
            ({"destinations": [{"type": "public"}]}, "missing_field", "destinations[0].uri is required"),
            ({"destinations": ["a.example.test"]}, "invalid_field_type", None),
            ({"destinations": "a.example.test"}, "invalid_field_type", None),
            ({"policies": "x"}, "invalid_field_type", "policies must be an array"),
            ({"policies": [5]}, "invalid_field_type", "policies[0]"),
            ({"policies": ["not-a-uuid"]}, "invalid_policy_reference", None),
            ({"policies": [str(uuid.uuid4())]}, "unknown_policy", "policies[0]"),
            ({"policies": [pol["id"], pol["id"]]}, "duplicate_policy", "policies[1]"),
            ({"policies": [{"id": pol["id"], "precedence": 0}]}, "invalid_precedence", None),
            ({"policies": [pol["id"], {"id": self.create_policy()["id"], "precedence": 1}]}, "duplicate_precedence",
             None),
            ({"origin_timeout": {"connect": "forever"}}, "invalid_origin_timeout", "origin_timeout.connect"),
            ({"origin_timeout": {"idle": "2h"}}, "invalid_origin_timeout", None),
            ({"origin_timeout": "5s"}, "invalid_field_type", None),
            ({"custom_deny_message": "x" * 1025}, "invalid_text", None),
        ]
        with self.unchanged():
            for fields, slug, text in cases:
                with self.subTest(fields=fields):
                    self.assertRejected(self.api("POST", "/apps", self.app_body(**fields)), 400, slug,
                                        *((text,) if text else ()))

    def test_domains_are_unique_across_apps(self):
        app = self.create_app(destinations=[{"uri": unique("dest") + ".example.test/x"}])
        dest = app["destinations"][0]["uri"]
        with self.unchanged():
            self.assertRejected(self.api("POST", "/apps", self.app_body(domain=app["domain"].upper())), 409,
                                "domain_in_use", app["name"])
            self.assertRejected(self.api("POST", "/apps", self.app_body(domain=dest)), 409, "domain_in_use")
            self.assertRejected(self.api("POST", "/apps", self.app_body(destinations=[{"uri": app["domain"]}])),
                                409, "domain_in_use")
            body = self.app_body()
            body["destinations"] = [{"uri": body["domain"]}]
            self.assertRejected(self.api("POST", "/apps", body), 400, "duplicate_destination")

    def test_malformed_and_mistyped_bodies(self):
        with self.unchanged():
            self.assertRejected(self.api("POST", "/apps", raw_body="{"), 400, "malformed_json")
            self.assertRejected(self.api("POST", "/policies", raw_body="[]"), 400, "malformed_json")
            self.assertRejected(self.api("POST", "/apps", raw_body="{}", content_type="text/plain"), 415)
            self.assertRejected(self.api("PUT", "/organizations", raw_body="nope"), 400, "malformed_json")

    def test_read_scope_can_read_but_not_change(self):
        app = self.create_app()
        r = self.server.api("GET", self.path("/apps/" + app["id"]), token=self.reader)
        self.assertEqual(r.status, 200, r)
        with self.unchanged():
            for method, suffix, body in (("POST", "/apps", self.app_body()), ("PUT", "/apps/" + app["id"], {}),
                                         ("DELETE", "/apps/" + app["id"], None),
                                         ("POST", "/policies", self.policy_body()),
                                         ("PATCH", "/organizations", {"name": "x"}),
                                         ("POST", "/apps/%s/revoke_tokens" % app["id"], None)):
                with self.subTest(method=method, suffix=suffix):
                    self.assertRejected(self.server.api(method, self.path(suffix), body, token=self.reader), 403,
                                        "insufficient_scope")
            self.assertRejected(self.server.api("GET", self.path("/apps"), token=None), 401)

    def test_methods_not_allowed(self):
        self.assertEqual(self.api("DELETE", "/apps").status, 405)
        self.assertEqual(self.api("POST", "/organizations", {}).status, 405)
        self.assertEqual(self.api("GET", "/apps/%s/revoke_tokens" % self.create_app()["id"]).status, 405)

    # ---- organization

    def test_organization_defaults_update_and_validation(self):
        org = self.ok("GET", "/organizations")
        self.assertTrue(org["auth_domain"], org)
        for key in ("name", "session_duration", "strict_service_token_auth", "service_token_inactivity",
                    "created_at", "updated_at"):
            self.assertIn(key, org)
        self.assertEqual(set(org["service_token_inactivity"]), {"enabled", "inactivity_threshold_days", "action"})
        with self.unchanged():
            for body, slug, text in (
                    ({"auth_domain": "https://team.example.com"}, "invalid_domain", "auth_domain"),
                    ({"auth_domain": "*.example.com"}, "invalid_domain", "wildcard"),
                    ({"auth_domain": "team.example.com/path"}, "invalid_domain", "path"),
                    ({"auth_domain": "team..example.com"}, "invalid_domain", None),
                    ({"auth_domain": ""}, "invalid_domain", None),
                    ({"session_duration": "forever"}, "invalid_duration", "session_duration"),
                    ({"strict_service_token_auth": "yes"}, "invalid_field_type", None),
                    ({"service_token_inactivity": {"inactivity_threshold_days": 29}}, "invalid_inactivity_threshold",
                     "29"),
                    ({"service_token_inactivity": {"inactivity_threshold_days": 366}}, "invalid_inactivity_threshold",
                     None),
                    ({"service_token_inactivity": {"inactivity_threshold_days": "90"}}, "invalid_field_type", None),
                    ({"service_token_inactivity": {"action": "archive"}}, "invalid_inactivity_action", "archive"),
                    ({"service_token_inactivity": {"enabled": "true"}}, "invalid_field_type",
                     "service_token_inactivity.enabled"),
                    ({"service_token_inactivity": True}, "invalid_field_type", None),
                    ({"name": ""}, "invalid_name", None)):
                for method in ("PUT", "PATCH"):
                    with self.subTest(method=method, body=body):
                        self.assertRejected(self.api(method, "/organizations", body), 400, slug,
                                            *((text,) if text else ()))
        domain = unique("team") + ".Example.com"
        updated = self.ok("PUT", "/organizations", {
            "name": "Team", "auth_domain": domain, "session_duration": "12h", "strict_service_token_auth": True,
            "service_token_inactivity": {"enabled": True, "inactivity_threshold_days": 30, "action": "delete"}})
        self.assertEqual(updated["auth_domain"], domain.lower())
        self.assertEqual((updated["name"], updated["session_duration"], updated["strict_service_token_auth"]),
                         ("Team", "12h", True))
        self.assertEqual(updated["service_token_inactivity"],
                         {"enabled": True, "inactivity_threshold_days": 30, "action": "delete"})
        self.assertEqual(self.ok("GET", "/organizations"), updated)
        patched = self.ok("PATCH", "/organizations", {"strict_service_token_auth": False,
                                                      "service_token_inactivity": {"inactivity_threshold_days": 365}})
        self.assertIs(patched["strict_service_token_auth"], False)
        self.assertEqual(patched["service_token_inactivity"],
                         {"enabled": True, "inactivity_threshold_days": 365, "action": "delete"}, "merged")
        self.assertEqual(patched["auth_domain"], domain.lower())
        events, _ = self.server.audit_log()
        self.assertEqual(events[0]["action"]["type"], "organization.update")
        self.assertEqual(events[0]["oldValueJson"]["strict_service_token_auth"], True)
        self.assertEqual(events[0]["newValueJson"]["strict_service_token_auth"], False)
        # Leave the account's edge behaviour as other tests expect it.
        self.ok("PATCH", "/organizations", {"strict_service_token_auth": False})

    # ---- revoke_tokens

    def test_revoke_tokens_records_the_instant(self):
        app = self.create_app(policies=[self.create_policy()["id"]])
        before = time.time()
        r = self.api("POST", "/apps/%s/revoke_tokens" % app["id"])
        self.assertEqual(r.status, 200, r)
        revoked = r.body["result"]["tokens_revoked_before"]
        self.assertGreaterEqual(parse_rfc3339(revoked), before - 5)
        self.assertRecent(revoked)
        got = self.ok("GET", "/apps/" + app["id"])
        self.assertEqual(got["tokens_revoked_before"], revoked)
        self.assertEqual((got["aud"], got["policies"]), (app["aud"], app["policies"]), "nothing else changes")
        events, _ = self.server.audit_log()
        self.assertEqual(events[0]["action"]["type"], "app.revoke_tokens")
        self.assertEqual(events[0]["resource"]["id"], app["id"])
        again = self.ok("POST", "/apps/%s/revoke_tokens" % app["id"], {})
        self.assertGreater(parse_rfc3339(again["tokens_revoked_before"]), parse_rfc3339(revoked))

    # ---- audit

    def test_every_change_is_audited_without_secrets(self):
        pol = self.create_policy()
        app = self.create_app(policies=[pol["id"]])
        self.ok("PUT", "/apps/" + app["id"], {"name": "audited"})
        self.ok("DELETE", "/apps/" + app["id"])
        self.ok("DELETE", "/policies/" + pol["id"])
        events, _ = self.server.audit_log()
        recent = [(e["action"]["type"], e["resource"]["id"]) for e in events[:5]]
        self.assertEqual(recent, [("policy.delete", pol["id"]), ("app.delete", app["id"]), ("app.update", app["id"]),
                                  ("app.create", app["id"]), ("policy.create", pol["id"])])
        update = events[2]
        self.assertEqual(update["oldValueJson"]["name"], app["name"])
        self.assertEqual(update["newValueJson"]["name"], "audited")
        self.assertEqual(update["resource"]["type"], "access.app")
        self.assertIsNone(events[1]["newValueJson"])
        text = str(events[:5])
        self.assertNotIn("cfast_", text)
        self.assertNotIn("client_secret", text)

    # ---- CLI

    def test_cli_round_trip(self):
        env = self.server.cli_api_env()
        token_name = self.token["name"]
        pname, aname = unique("cli-pol"), unique("cli-app")
        domain = aname + ".example.test"

        def cli(*args, code=0):
            r = run_cli(*args, env=env)
            self.assertEqual(r.returncode, code, "gatehouse %s\n%s\n%s" % (" ".join(args), r.stdout, r.stderr))
            return r

        out = cli("policy", "create", pname, "--decision", "service_auth", "--include", "service_token=" + token_name,
                  "--include", "ip=10.0.0.0/8", "--exclude", "email_domain=example.org").stdout
        self.assertIn(pname, out)
        pol = [p for p in self.all_pages("/policies") if p["name"] == pname][0]
        self.assertEqual(pol["decision"], "non_identity")
        self.assertEqual(pol["include"], [{"service_token": {"token_id": self.token["id"]}}, {"ip": {"ip": "10.0.0.0/8"}}])
        cli("app", "create", aname, "--domain", domain, "--origin", ORIGIN, "--policy", pname, "--same-site", "lax")
        app = self.ok("GET", "/apps?name=" + aname)[0]
        self.assertEqual([p["id"] for p in app["policies"]], [pol["id"]])
        self.assertEqual(app["same_site_cookie_attribute"], "lax")
        cli("policy", "create", "office", "--app", domain, "--decision", "allow", "--include", "everyone")
        self.assertIn("office", cli("app", "show", aname).stdout)
        self.assertIn(aname, cli("app", "list").stdout)
        self.assertIn("office", cli("policy", "list", "--app", aname).stdout)
        cli("app", "edit", aname, "--session-duration", "2h", "--destination", aname + "-api.example.test")
        app = self.ok("GET", "/apps/" + app["id"])
        self.assertEqual(app["session_duration"], "2h")
        self.assertEqual(app["destinations"], [{"type": "public", "uri": aname + "-api.example.test"}])
        self.assertEqual(len(app["policies"]), 2, "edit without --policy keeps the policies")
        r = cli("policy", "delete", pname, code=1)
        self.assertIn("policy_in_use", r.stderr)
        r = cli("policy", "create", "x", "--decision", "allow", "--include", "geo=US", code=1)
        self.assertIn("not supported", r.stderr)
        r = cli("policy", "create", "x", "--decision", "maybe", "--include", "everyone", code=1)
        self.assertIn("--decision", r.stderr)
        cli("app", "revoke-tokens", aname)
        self.assertIsNotNone(self.ok("GET", "/apps/" + app["id"])["tokens_revoked_before"])
        self.assertIn("auth_domain", cli("org", "show", "--json").stdout)
        cli("app", "delete", aname)
        cli("policy", "delete", pname)
        self.assertNotIn(pol["id"], [p["id"] for p in self.all_pages("/policies")])


if __name__ == "__main__":
    unittest.main()
