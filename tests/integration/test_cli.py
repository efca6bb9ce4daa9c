"""The CLI contract: `admin-token` and `status` work on the data dir (also while the
server runs), `token …` is a client of the admin API; output for people and --json for
scripts; errors on stderr with a non-zero exit status."""

import json
import os
import re
import socket
import unittest
import uuid

from gatehouse_server import GatehouseServer, parse_rfc3339, run_cli

SECRET_RE = re.compile(r"cfast_[0-9A-Za-z]{40}[0-9a-f]{8}")
CLIENT_ID_RE = re.compile(r"[0-9a-f]{32}\.access")
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

HELP_COMMANDS = [
    [], ["serve"], ["admin-token"], ["admin-token", "create"], ["admin-token", "list"],
    ["admin-token", "revoke"], ["status"], ["token"],
    ["token", "create"], ["token", "list"], ["token", "show"], ["token", "edit"], ["token", "refresh"],
    ["token", "rotate"], ["token", "enable"], ["token", "disable"], ["token", "delete"],
]


class CliTest(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = GatehouseServer().start()

    @classmethod
    def tearDownClass(cls):
        if cls.server:
            cls.server.cleanup()

    # ---- helpers

    def cli(self, *args, env=None):
        return run_cli(*args, env=env)

    def ok(self, *args, env=None):
        r = self.cli(*args, env=env)
        self.assertEqual(r.returncode, 0, "gatehouse %s\nstdout: %s\nstderr: %s" % (" ".join(args), r.stdout,
                                                                                   r.stderr))
        return r.stdout

    def fails(self, *args, env=None, stderr_has=()):
        r = self.cli(*args, env=env)
        self.assertNotEqual(r.returncode, 0, "gatehouse %s succeeded:\n%s" % (" ".join(args), r.stdout))
        self.assertEqual(r.stdout, "", "errors belong on stderr")
        self.assertTrue(r.stderr.strip(), "no error message on stderr")
        self.assertTrue(r.stderr.startswith("gatehouse: "), r.stderr)
        for text in stderr_has:
            self.assertIn(text, r.stderr)
        return r

    def api_env(self, token=None):
        return self.server.cli_api_env() if token is None else self.server.cli_api_env(token)

    def token_cli(self, *args, env=None):
        return self.ok("token", *args, env=env or self.api_env())

    def unique(self, prefix):
        return "%s-%s" % (prefix, uuid.uuid4().hex[:8])

    def create_json(self, name, *extra):
        t = json.loads(self.token_cli("--json", "create", "--name", name, *extra))
        self.assertIn("client_secret", t)
        return t

    def get(self, tid):
        return self.server.ok("GET", self.server.tokens_path("/" + tid))

    # ---- help

    def test_every_command_has_help(self):
        for cmd in HELP_COMMANDS:
            with self.subTest(cmd=cmd):
                r = self.cli(*(cmd + ["--help"]))
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn("Usage:", r.stdout)
                self.assertIn("gatehouse", r.stdout)
        r = self.cli("--version")
        self.assertEqual(r.returncode, 0)
        self.assertIn("gatehouse", r.stdout)

    def test_usage_errors_exit_non_zero(self):
        for args in ([], ["frobnicate"], ["token"], ["token", "frobnicate"], ["admin-token"],
                     ["admin-token", "create"], ["token", "show"], ["status", "--bogus"]):
            with self.subTest(args=args):
                r = self.cli(*args)
                self.assertNotEqual(r.returncode, 0)
                self.assertTrue(r.stderr.strip(), "a usage error must say what is wrong")

    # ---- admin-token and status on the data dir

    def test_admin_token_create_while_running(self):
        s = self.server
        out = self.ok("admin-token", "create", "--data-dir", s.data_dir, "--name", "ro-cli", "--scope", "read",
                      "--json")
        info = json.loads(out)
        self.assertLessEqual({"id", "name", "scope", "token"}, set(info))
        self.assertEqual(info["name"], "ro-cli")
        self.assertEqual(info["scope"], "read")
        self.assertRegex(info["id"], UUID_RE)
        self.assertRegex(info["token"], r"^gat_[0-9A-Za-z]{40}[0-9a-f]{8}$")
        # The running server accepts it at once: reads work, writes are 403.
        self.assertEqual(s.api("GET", s.tokens_path(), token=info["token"]).status, 200)
        self.assertEqual(s.api("GET", s.acct("/audit_logs"), token=info["token"]).status, 200)
        r = s.api("POST", s.tokens_path(), {"name": "nope"}, token=info["token"])
        self.assertEqual(r.status, 403, r)
        # Through the CLI as well.
        self.token_cli("list", env=self.api_env(info["token"]))
        r = self.fails("token", "create", "--name", "nope", env=self.api_env(info["token"]),
                       stderr_has=("403", "insufficient_scope"))
        # The creation is audited as a CLI change.
        events, _ = s.audit_log()
        ev = [e for e in events if e["resource"]["id"] == info["id"]]
        self.assertEqual(len(ev), 1)
        self.assertEqual(ev[0]["action"]["type"], "api_token.create")
        self.assertEqual(ev[0]["interface"], "cli")
        self.assertNotIn(info["token"], json.dumps(events))

    def test_admin_token_create_text_output(self):
        s = self.server
        out = self.ok("admin-token", "create", "--data-dir", s.data_dir, "--name", "text-out")
        tokens = re.findall(r"gat_[0-9A-Za-z]{40}[0-9a-f]{8}", out)
        self.assertTrue(tokens, out)
        self.assertIn("only this once", out)
        r = s.api("POST", s.tokens_path(), {"name": "by-edit-token"}, token=tokens[0])
        self.assertEqual(r.status, 201, r)  # the default scope is edit

    def test_admin_token_list_and_revoke(self):
        s = self.server
        info = json.loads(self.ok("admin-token", "create", "--data-dir", s.data_dir, "--name", "short",
                                  "--json"))
        self.assertEqual(s.api("GET", s.tokens_path(), token=info["token"]).status, 200)
        listed = json.loads(self.ok("admin-token", "list", "--data-dir", s.data_dir, "--json"))
        mine = [t for t in listed if t["id"] == info["id"]]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["status"], "active")
        self.assertNotIn(info["token"], json.dumps(listed))
        table = self.ok("admin-token", "list", "--data-dir", s.data_dir)
        self.assertIn(info["id"], table)
        self.assertNotIn("gat_", table)
        header, *rows = table.splitlines()
        row = next(r for r in rows if r.startswith(info["id"]))
        for column, value in (("SCOPE", "edit"), ("STATUS", "active"), ("NAME", "short")):
            self.assertEqual(row.find(value, 36), header.find(column), "column %s is misaligned:\n%s" % (column, table))

        self.ok("admin-token", "revoke", "--data-dir", s.data_dir, info["id"])
        r = s.api("GET", s.tokens_path(), token=info["token"])
        self.assertEqual(r.status, 401, r)
        self.assertTrue(r.body["errors"][0]["message"].startswith("access.api.error.api_token_revoked:"))
        listed = json.loads(self.ok("admin-token", "list", "--data-dir", s.data_dir, "--json"))
        self.assertEqual([t["status"] for t in listed if t["id"] == info["id"]], ["revoked"])
        self.fails("admin-token", "revoke", "--data-dir", s.data_dir, info["id"], stderr_has=("already revoked",))
        self.fails("admin-token", "revoke", "--data-dir", s.data_dir, str(uuid.uuid4()),
                   stderr_has=("no API token",))

    def test_admin_token_bad_input(self):
        s = self.server
        self.fails("admin-token", "create", "--data-dir", s.data_dir, "--name", "x", "--scope", "admin",
                   stderr_has=("--scope",))
        self.fails("admin-token", "create", "--data-dir", s.data_dir, "--name", "x", "--expires-in", "1y",
                   stderr_has=("--expires-in", "1y"))
        self.fails("admin-token", "create", "--data-dir", s.data_dir, "--name", "", stderr_has=("empty",))
        missing = os.path.join(s.data_dir, "does-not-exist")
        self.fails("admin-token", "list", "--data-dir", missing, stderr_has=(missing,))
        self.fails("status", "--data-dir", missing, stderr_has=(missing,))

    def test_status(self):
        s = self.server
        st = json.loads(self.ok("status", "--data-dir", s.data_dir, "--json"))
        self.assertEqual(st["account_id"], s.account_id)
        self.assertIs(st["running"], True)
        self.assertEqual("http://%s/client/v4" % st["admin_listen"], s.admin_url)
        self.assertEqual("http://%s" % st["edge_listen"], s.edge_url)
        self.assertEqual(st["pid"], s.proc.pid)
        self.assertEqual(st["service_tokens"], len(s.list_all_tokens()))
        text = self.ok("status", "--data-dir", s.data_dir)
        self.assertIn(s.account_id, text)
        self.assertIn("running", text)
        self.assertIn(st["admin_listen"], text)
        # Also found through GATEHOUSE_DATA_DIR.
        st2 = json.loads(self.ok("status", "--json", env={"GATEHOUSE_DATA_DIR": s.data_dir}))
        self.assertEqual(st2["account_id"], s.account_id)

    def test_status_of_a_stopped_and_of_a_killed_server(self):
        other = GatehouseServer().start()
        self.addCleanup(other.cleanup)
        self.assertIs(json.loads(self.ok("status", "--data-dir", other.data_dir, "--json"))["running"], True)
        other.stop()
        st = json.loads(self.ok("status", "--data-dir", other.data_dir, "--json"))
        self.assertEqual(st["account_id"], other.account_id)
        self.assertIs(st["running"], False)
        self.assertIsNone(st["admin_listen"])
        other.start()
        other.kill()  # serve.json stays behind, naming a dead process
        st = json.loads(self.ok("status", "--data-dir", other.data_dir, "--json"))
        self.assertIs(st["running"], False)
        self.assertIsNone(st["admin_listen"])
        self.assertIn("not running", self.ok("status", "--data-dir", other.data_dir))

    # ---- token: create, list, show

    def test_token_create_prints_secret_and_headers_once(self):
        s = self.server
        name = self.unique("cli-create")
        out = self.token_cli("create", "--name", name, "--duration", "72h")
        client_id = re.search(r"Client ID:\s+(%s)" % CLIENT_ID_RE.pattern, out)
        secret = re.search(r"Client Secret:\s+(%s)" % SECRET_RE.pattern, out)
        self.assertTrue(client_id and secret, out)
        client_id, secret = client_id.group(1), secret.group(1)
        self.assertIn("CF-Access-Client-Id: %s\n" % client_id, out)
        self.assertIn("CF-Access-Client-Secret: %s\n" % secret, out)
        self.assertRegex(out, r"(?i)warning")
        self.assertIn("shown only this once", out)
        token_id = re.search(r"Token ID:\s+(%s)" % UUID_RE.pattern, out).group(1)
        t = self.get(token_id)
        self.assertEqual(t["name"], name)
        self.assertEqual(t["client_id"], client_id)
        self.assertEqual(t["duration"], "72h")
        self.assertAlmostEqual(parse_rfc3339(t["expires_at"]) - parse_rfc3339(t["created_at"]), 72 * 3600,
                               delta=1e-5)
        # Never shown again, by any command.
        for args in (["show", token_id], ["show", name], ["show", client_id], ["--json", "show", token_id],
                     ["list"], ["--json", "list"], ["list", "--search", name]):
            with self.subTest(args=args):
                out = self.token_cli(*args)
                self.assertNotIn(secret, out)
                self.assertNotIn("cfast_", out)
        # The positional name works too; --disabled creates it disabled.
        other = self.unique("positional")
        out = self.token_cli("--json", "create", other, "--disabled")
        t = json.loads(out)
        self.assertEqual(t["name"], other)
        self.assertIs(t["enabled"], False)
        self.assertEqual(t["duration"], "8760h")

    def test_token_list_table_and_json(self):
        prefix = self.unique("cli-list")
        made = [self.create_json("%s-%d" % (prefix, i)) for i in range(3)]
        table = self.token_cli("list", "--search", prefix)
        lines = [l for l in table.splitlines() if l.strip()]
        self.assertRegex(lines[0], r"^ID\s+NAME\s+CLIENT ID\s+STATUS")
        self.assertEqual(len(lines), 4, table)
        for t, line in zip(made, lines[1:]):
            self.assertIn(t["id"], line)
            self.assertIn(t["name"], line)
            self.assertIn(t["client_id"], line)
        listed = json.loads(self.token_cli("--json", "list", "--search", prefix))
        self.assertEqual([t["id"] for t in listed], [t["id"] for t in made])
        self.assertEqual(listed, [{k: v for k, v in t.items() if k != "client_secret"} for t in made])
        # --json after the verb, exact --name, explicit pages.
        self.assertEqual(json.loads(self.token_cli("list", "--json", "--name", made[1]["name"])), [listed[1]])
        page2 = json.loads(self.token_cli("--json", "list", "--search", prefix, "--page", "2", "--per-page", "2"))
        self.assertEqual(page2, [listed[2]])
        page9 = json.loads(self.token_cli("--json", "list", "--search", prefix, "--page", "9", "--per-page", "2"))
        self.assertEqual(page9, [])
        empty = self.token_cli("list", "--search", self.unique("nothing-matches"))
        self.assertIn("No service tokens", empty)

    def test_token_list_reads_every_page(self):
        # More tokens than one page of 1000 would be slow to create; the default
        # listing must still show every token, and the same as the API's list.
        s = self.server
        self.create_json(self.unique("every"))
        listed = json.loads(self.token_cli("--json", "list"))
        self.assertEqual(listed, s.list_all_tokens())

    # ---- token: changes by id and by name

    def test_changes_by_id_and_by_name(self):
        s = self.server
        for by in ("id", "name", "client_id"):
            with self.subTest(by=by):
                name = self.unique("cli-" + by)
                t = self.create_json(name, "--duration", "72h")

                def ref():
                    cur = self.get(t["id"])
                    return {"id": cur["id"], "name": cur["name"], "client_id": cur["client_id"]}[by]

                shown = json.loads(self.token_cli("--json", "show", ref()))
                self.assertEqual(shown, self.get(t["id"]))
                text = self.token_cli("show", ref())
                self.assertIn(t["id"], text)
                self.assertIn(t["client_id"], text)

                new_name = self.unique("renamed-" + by)
                out = json.loads(self.token_cli("--json", "edit", ref(), "--name", new_name))
                self.assertEqual(out["name"], new_name)
                self.assertEqual(self.get(t["id"])["name"], new_name)

                out = json.loads(self.token_cli("--json", "edit", ref(), "--duration", "24h"))
                self.assertEqual(out["duration"], "24h")
                self.assertAlmostEqual(parse_rfc3339(out["expires_at"]) - parse_rfc3339(out["updated_at"]),
                                       86400, delta=1e-5)

                before = self.get(t["id"])
                out = json.loads(self.token_cli("--json", "refresh", ref()))
                self.assertAlmostEqual(parse_rfc3339(out["expires_at"]) - parse_rfc3339(before["expires_at"]),
                                       8760 * 3600, delta=1e-5)

                rotated = self.token_cli("rotate", ref(), "--grace", "1h")
                new_secret = SECRET_RE.search(rotated).group(0)
                self.assertNotEqual(new_secret, t["client_secret"])
                self.assertIn("CF-Access-Client-Secret: " + new_secret, rotated)
                cur = self.get(t["id"])
                self.assertEqual(cur["client_secret_version"], 2)
                self.assertEqual(cur["client_id"], t["client_id"])
                grace = parse_rfc3339(cur["previous_client_secret_expires_at"]) - parse_rfc3339(cur["updated_at"])
                self.assertAlmostEqual(grace, 3600, delta=5)

                out = json.loads(self.token_cli("--json", "edit", ref(), "--previous-secret-expires-at",
                                                "2000-01-01T00:00:00Z"))
                self.assertLessEqual(parse_rfc3339(out["previous_client_secret_expires_at"]),
                                     parse_rfc3339(out["updated_at"]))
                rotated = json.loads(self.token_cli("--json", "rotate", ref()))
                self.assertEqual(rotated["client_secret_version"], 3)
                self.assertRegex(rotated["client_secret"], SECRET_RE)

                self.assertIs(json.loads(self.token_cli("--json", "disable", ref()))["enabled"], False)
                self.assertIs(self.get(t["id"])["enabled"], False)
                self.assertIn("disabled", self.token_cli("show", ref()))
                self.assertIs(json.loads(self.token_cli("--json", "enable", ref()))["enabled"], True)
                self.assertIs(self.get(t["id"])["enabled"], True)

                deleted = json.loads(self.token_cli("--json", "delete", ref()))
                self.assertEqual(deleted["id"], t["id"])
                r = s.api("GET", s.tokens_path("/" + t["id"]))
                self.assertEqual(r.status, 404, r)

                actions = [e["action"]["type"] for e in reversed(s.audit_log()[0]) if e["resource"]["id"] == t["id"]]
                self.assertEqual(actions, ["service_token.create", "service_token.update", "service_token.update",
                                           "service_token.refresh", "service_token.rotate", "service_token.update",
                                           "service_token.rotate", "service_token.disable",
                                           "service_token.enable", "service_token.delete"])

    def test_flags_override_environment(self):
        s = self.server
        wrong = {"GATEHOUSE_ADDR": "http://127.0.0.1:1", "GATEHOUSE_TOKEN": "gat_wrong"}
        out = self.ok("token", "--addr", s.admin_base, "--api-token", s.admin_token, "--json", "list", env=wrong)
        self.assertIsInstance(json.loads(out), list)
        # After the verb, and an address without a scheme.
        out = self.ok("token", "list", "--json", "--addr", s.admin_base[len("http://"):], "--api-token",
                      s.admin_token, env=wrong)
        self.assertIsInstance(json.loads(out), list)
        out = self.ok("token", "--account", s.account_id, "--json", "list", env=self.api_env())
        self.assertIsInstance(json.loads(out), list)

    # ---- errors

    def test_unknown_token_is_an_error(self):
        for ref in ("no-such-token", str(uuid.uuid4()), "0123456789abcdef0123456789abcdef.access"):
            for verb in ("show", "refresh", "rotate", "enable", "disable", "delete"):
                with self.subTest(ref=ref, verb=verb):
                    self.fails("token", verb, ref, env=self.api_env(), stderr_has=(ref,))
            with self.subTest(ref=ref, verb="edit"):
                self.fails("token", "edit", ref, "--name", "x", env=self.api_env(), stderr_has=(ref,))

    def test_ambiguous_name_is_an_error(self):
        name = self.unique("twin")
        a, b = self.create_json(name), self.create_json(name)
        r = self.fails("token", "delete", name, env=self.api_env(), stderr_has=(name, "2 service tokens"))
        self.assertEqual(self.get(a["id"])["id"], a["id"])
        self.assertEqual(self.get(b["id"])["id"], b["id"])

    def test_bad_duration_is_an_error(self):
        s = self.server
        count = len(s.list_all_tokens())
        audit = s.audit_count()
        t = self.create_json(self.unique("bad-dur"))
        for d in ("1y", "0s", "-1h", "", "h", "99999999999h"):
            with self.subTest(duration=d):
                self.fails("token", "create", "--name", "x", "--duration", d, env=self.api_env(),
                           stderr_has=("--duration", "duration"))
                self.fails("token", "edit", t["id"], "--duration", d, env=self.api_env(),
                           stderr_has=("--duration",))
        self.fails("token", "rotate", t["id"], "--grace", "1y", env=self.api_env(), stderr_has=("--grace",))
        self.fails("token", "rotate", t["id"], "--grace", "forever", env=self.api_env(), stderr_has=("--grace",))
        self.fails("token", "rotate", t["id"], "--grace", "1h", "--previous-secret-expires-at",
                   "2030-01-01T00:00:00Z", env=self.api_env(), stderr_has=("not both",))
        self.fails("token", "edit", t["id"], env=self.api_env(), stderr_has=("nothing to change",))
        self.fails("token", "edit", t["id"], "--previous-secret-expires-at", "soon", env=self.api_env(),
                   stderr_has=("400", "previous_client_secret_expires_at"))
        self.fails("token", "create", "--name", "", env=self.api_env(), stderr_has=("400", "name"))
        self.assertEqual(len(s.list_all_tokens()), count + 1)
        self.assertEqual(s.audit_count(), audit + 1)
        self.assertEqual(self.get(t["id"])["client_secret_version"], 1)

    def test_unreachable_addr_is_an_error(self):
        # A port that is bound but not listening refuses connections, and nothing
        # else can take it while we hold it.
        with socket.socket() as held:
            held.bind(("127.0.0.1", 0))
            addr = "http://127.0.0.1:%d" % held.getsockname()[1]
            for args in (["list"], ["show", "x"], ["create", "--name", "x"]):
                with self.subTest(args=args):
                    self.fails("token", "--addr", addr, *args, env={"GATEHOUSE_TOKEN": self.server.admin_token},
                               stderr_has=("cannot reach", addr))
            self.fails("token", "list", env={"GATEHOUSE_ADDR": addr, "GATEHOUSE_TOKEN": self.server.admin_token},
                       stderr_has=("cannot reach", addr))

    def test_missing_or_bad_api_token_is_an_error(self):
        s = self.server
        for args in (["list"], ["create", "--name", "x"], ["show", "x"]):
            with self.subTest(args=args):
                self.fails("token", *args, env={"GATEHOUSE_ADDR": s.admin_base},
                           stderr_has=("no API token", "--api-token", "GATEHOUSE_TOKEN"))
        self.fails("token", "list", env={"GATEHOUSE_ADDR": s.admin_base, "GATEHOUSE_TOKEN": "gat_wrong"},
                   stderr_has=("401", "invalid_api_token"))

    def test_not_a_gatehouse_address_is_an_error(self):
        # The edge listener answers HTTP, but not the admin API.
        self.fails("token", "list", env={"GATEHOUSE_ADDR": self.server.edge_url,
                                         "GATEHOUSE_TOKEN": self.server.admin_token})


if __name__ == "__main__":
    unittest.main()
