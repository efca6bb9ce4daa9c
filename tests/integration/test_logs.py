"""The authentication log, last seen and the audit log (compat.md §1.6, §3; docs/logs.md):
a real `gatehouse serve` with an Access app in front of a real origin
(origin_recorder.py), requests through the edge, and what the API, `gatehouse logs`,
`gatehouse audit`, /metrics, `gatehouse status` and the stdout mirror then show.

Records are written asynchronously (every 200 ms) and last-seen times every 5 s:
tests poll with a bounded deadline, they never sleep a fixed time to wait.

Run: cd tests/integration && GATEHOUSE_BIN=../../build/debug/src/gatehouse python3 -m unittest -v test_logs
"""

import json
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

from edge_client import Apps, EdgeServerTestCase, edge_request, host_of, service_headers, unique
from gatehouse_server import (CLI_TIMEOUT, GatehouseServer, checksummed, clean_env, gatehouse_bin, http_request,
                              parse_rfc3339, rfc3339, run_cli)
from origin_recorder import OriginRecorder

DEADLINE = 30.0  # seconds: the last-seen flush runs every 5 s; sanitizer builds are slow
ROW_FIELDS = {"id", "created_at", "action", "allowed", "app_domain", "app_uid", "app_id", "ip_address", "ray_id",
              "user_email", "service_token_id", "service_token_name", "client_id", "reason", "client_secret_version",
              "credential", "count"}


def poll(what, fn, deadline=DEADLINE):
    """Calls fn() until it returns something truthy; fails naming `what` after `deadline`."""
    end = time.monotonic() + deadline
    while True:
        value = fn()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError("timed out after %.0fs waiting for %s (last: %r)" % (deadline, what, value))
        threading.Event().wait(0.05)


def query(params):
    return "?" + urllib.parse.urlencode(params)


class LogsTest(EdgeServerTestCase):
    # Every record is also a JSON line on stdout; one row per decision (no coalescing),
    # so that rows can be counted (LogsCoalescingTest covers the default).
    server_env = {"GATEHOUSE_LOG_STDOUT": "1", "GATEHOUSE_LOG_COALESCE": "0s"}

    # ---- helpers

    def token_and_app(self, prefix="ci-deploy"):
        token = self.server.create_token(unique(prefix))
        app = self.apps.token_app("logs", [token])
        return token, app

    def send(self, app, token, secret=None, path=None):
        return edge_request(self.server.edge_url, host_of(app), path or "/%s" % unique("p"),
                            headers=service_headers(token, secret))

    def wrong_secret(self):
        return checksummed("cfast_", unique("x").replace("-", "")[:14].ljust(40, "Z"))

    def logs(self, **params):
        r = self.server.api("GET", self.server.acct("/access/logs/access_requests") + query(params))
        self.assertEqual(r.status, 200, r)
        return r.body

    def rows_for(self, name, count, **params):
        """Polls until exactly `count` rows carry this token name; returns them (newest first)."""
        return poll("%d row(s) for %s" % (count, name),
                    lambda: (lambda rows: rows if len(rows) == count else None)(
                        self.logs(service_token_name=name, **params)["result"]))

    def get_token(self, token):
        return self.server.ok("GET", self.server.tokens_path("/" + token["id"]))

    def cli(self, *args):
        r = run_cli(*args, env=self.server.cli_api_env())
        return r

    # ---- the authentication log

    def test_a_failed_and_a_successful_authentication_are_found_by_the_token_name(self):
        token, app = self.token_and_app()
        ok = self.send(app, token)
        self.assertEqual(ok.status, 200, ok)
        bad = self.send(app, token, self.wrong_secret())
        self.assertEqual(bad.status, 403, bad)

        rows = self.rows_for(token["name"], 2)
        for r in rows:
            self.assertEqual(set(r), ROW_FIELDS, r)
        allowed = next(r for r in rows if r["allowed"])
        denied = next(r for r in rows if not r["allowed"])
        self.assertEqual(allowed["ray_id"], ok.headers["Cf-Ray"])
        self.assertEqual(denied["ray_id"], bad.headers["Cf-Ray"])
        self.assertEqual(allowed["reason"], "allowed")
        self.assertEqual(denied["reason"], "bad_secret", "the log keeps the exact slug the client never sees")
        self.assertEqual(bad.body["reason"], "invalid_service_token")
        for r in rows:
            self.assertEqual(r["action"], "login")
            self.assertEqual(r["app_domain"], host_of(app))
            self.assertEqual(r["app_uid"], app["id"])
            self.assertEqual(r["service_token_id"], token["id"])
            self.assertEqual(r["client_id"], token["client_id"])
            self.assertEqual(r["user_email"], "")
            self.assertEqual(r["ip_address"], "127.0.0.1")
            self.assertEqual(r["credential"], "client_secret")
            parse_rfc3339(r["created_at"])
        self.assertEqual(allowed["client_secret_version"], 1)
        self.assertEqual(denied["client_secret_version"], 0)
        self.assertNotIn(token["client_secret"], json.dumps(rows), "never a secret in the log")

        # The CLI finds both by the name, as JSON lines and as a table.
        r = self.cli("logs", "--token", token["name"], "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [json.loads(line) for line in r.stdout.splitlines()]
        self.assertEqual({row["ray_id"] for row in lines}, {ok.headers["Cf-Ray"], bad.headers["Cf-Ray"]})
        self.assertLess(parse_rfc3339(lines[0]["created_at"]), parse_rfc3339(lines[1]["created_at"]) + 1e-6,
                        "oldest first, like a tail")
        r = self.cli("logs", "--token", token["name"])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(token["name"], r.stdout)
        self.assertIn("bad_secret", r.stdout)
        self.assertRegex(r.stdout, r"(?m)^TIME\s+OUTCOME\s+REASON")
        denied_only = self.cli("logs", "--token", token["name"], "--denied", "--json")
        self.assertEqual([json.loads(l)["ray_id"] for l in denied_only.stdout.splitlines()], [bad.headers["Cf-Ray"]])
        allowed_only = self.cli("logs", "--token", token["id"], "--allowed", "--json", "--since", "1h")
        self.assertEqual([json.loads(l)["ray_id"] for l in allowed_only.stdout.splitlines()], [ok.headers["Cf-Ray"]])
        by_client_id = self.cli("logs", "--token", token["client_id"], "--json", "--app", app["name"])
        self.assertEqual(len(by_client_id.stdout.splitlines()), 2, by_client_id.stderr)

    def test_a_jwt_use_is_logged_too(self):
        token, app = self.token_and_app()
        first = self.send(app, token)
        cookie = first.headers["Set-Cookie"].split(";", 1)[0]
        again = edge_request(self.server.edge_url, host_of(app), "/again", headers={"Cookie": cookie})
        self.assertEqual(again.status, 200, again)
        rows = self.rows_for(token["name"], 2, direction="asc")
        self.assertEqual([r["credential"] for r in rows], ["client_secret", "jwt"])
        self.assertEqual(rows[1]["ray_id"], again.headers["Cf-Ray"])

    def test_unknown_client_ids_are_counted_not_logged(self):
        token, app = self.token_and_app()
        unknown = {"CF-Access-Client-Id": "%032x.access" % 0xdeadbeef, "CF-Access-Client-Secret": self.wrong_secret()}
        before = self.unknown_count()
        for _ in range(3):
            r = edge_request(self.server.edge_url, host_of(app), "/", headers=unknown)
            self.assertEqual(r.status, 403, r)
        poll("the unknown-client-id counter to grow by 3", lambda: self.unknown_count() >= before + 3)
        self.assertEqual(self.logs(client_id=unknown["CF-Access-Client-Id"])["result"], [])
        # gatehouse status (on the data dir) shows the persisted total.
        status = poll("status to count the unknown ids", lambda: (lambda s: s if s["unknown_client_ids"] >= 3 else None)(
            json.loads(run_cli("status", "--data-dir", self.server.data_dir, "--json").stdout)))
        self.assertGreaterEqual(status["access_log_written"], 0)
        text = run_cli("status", "--data-dir", self.server.data_dir).stdout
        self.assertRegex(text, r"unknown ids\s+\d+ attempts")

    def unknown_count(self):
        r = self.metrics()
        return int(re.search(r"(?m)^gatehouse_access_unknown_client_id_total (\d+)$", r.raw.decode()).group(1))

    def metrics(self, token=True):
        return http_request(self.server.admin_base, "GET", "/metrics", token=self.server.admin_token if token else None)

    def test_metrics_need_an_api_token_and_count_decisions(self):
        r = self.metrics(token=False)
        self.assertEqual(r.status, 401)
        token, app = self.token_and_app()
        self.assertEqual(self.send(app, token).status, 200)
        text = poll("the app in /metrics", lambda: (lambda t: t if app["id"] in t else None)(
            self.metrics().raw.decode()))
        self.assertIn('gatehouse_access_requests_total{app="%s",outcome="allowed"} 1' % app["id"], text)
        self.assertIn("# TYPE gatehouse_access_log_dropped_total counter", text)

    def test_filters_pagination_and_direction(self):
        token, app = self.token_and_app("filters")
        rays = []
        for i in range(5):
            r = self.send(app, token, None if i % 2 == 0 else self.wrong_secret())
            rays.append(r.headers["Cf-Ray"])
        name = token["name"]
        newest_first = self.rows_for(name, 5)
        self.assertEqual([r["ray_id"] for r in newest_first], rays[::-1])
        oldest_first = self.logs(service_token_name=name, direction="asc")["result"]
        self.assertEqual([r["ray_id"] for r in oldest_first], rays)

        page1 = self.logs(service_token_name=name, per_page=2, page=1)
        self.assertEqual(page1["result_info"]["total_count"], 5)
        self.assertEqual(page1["result_info"]["total_pages"], 3)
        self.assertEqual([r["ray_id"] for r in page1["result"]], [rays[4], rays[3]])
        page3 = self.logs(service_token_name=name, per_page=2, page=3)
        self.assertEqual([r["ray_id"] for r in page3["result"]], [rays[0]])
        self.assertEqual(self.logs(service_token_name=name, per_page=2, page=4)["result"], [])
        self.assertEqual(len(self.logs(service_token_name=name, limit=3)["result"]), 3)

        self.assertEqual(len(self.logs(service_token_name=name, allowed="true")["result"]), 3)
        self.assertEqual(len(self.logs(service_token_name=name, allowed="false")["result"]), 2)
        self.assertEqual(len(self.logs(service_token_name=name, reason="bad_secret")["result"]), 2)
        self.assertEqual(len(self.logs(service_token_id=token["id"])["result"]), 5)
        self.assertEqual(len(self.logs(app=app["id"])["result"]), 5)
        self.assertEqual(len(self.logs(app=host_of(app).upper())["result"]), 5)
        self.assertEqual(self.logs(service_token_name=name, app="elsewhere.test")["result"], [])

        t2 = parse_rfc3339(oldest_first[2]["created_at"])
        t3 = parse_rfc3339(oldest_first[3]["created_at"])
        window = self.logs(service_token_name=name, since=rfc3339(t2), until=rfc3339(t3), direction="asc")["result"]
        self.assertEqual([r["ray_id"] for r in window], rays[2:4])
        future = rfc3339(time.time() + 3600)
        self.assertEqual(self.logs(service_token_name=name, since=future)["result"], [])

    def test_bad_filters_are_400_naming_them(self):
        path = self.server.acct("/access/logs/access_requests")
        r = self.server.api("GET", path + "?since=yesterday&allowed=maybe&direction=sideways&per_page=0&tokn=ci")
        self.assertEqual(r.status, 400, r)
        self.assertFalse(r.body["success"])
        message = r.body["errors"][0]["message"]
        self.assertTrue(message.startswith("access.api.error.invalid_filter:"), message)
        for name in ("since", "allowed", "direction", "per_page", '"tokn"'):
            self.assertIn(name, message)
        r = self.server.api("GET", path + "?since=2030-01-02T00:00:00Z&until=2030-01-01T00:00:00Z")
        self.assertEqual(r.status, 400, r)
        self.assertIn("since must not be after until", r.body["errors"][0]["message"])
        r = self.server.api("GET", self.server.acct("/audit_logs?since=soon"))
        self.assertEqual(r.status, 400, r)
        self.assertIn("since", r.body["errors"][0]["message"])
        r = self.server.api("POST", path, body={})
        self.assertEqual(r.status, 405, r)
        r = self.cli("logs", "--since", "the other day")
        self.assertEqual(r.returncode, 1)
        self.assertIn("--since", r.stderr)

    def test_stdout_mirror_prints_each_record_as_a_json_line(self):
        token, app = self.token_and_app("mirrored")
        ray = self.send(app, token).headers["Cf-Ray"]

        def mirrored():
            for line in list(self.server.stdout_lines):
                if line.startswith("{") and ray in line:
                    return json.loads(line)
            return None

        row = poll("the record on stdout", mirrored)
        self.assertEqual(row["service_token_name"], token["name"])
        self.assertEqual(row["account_id"], self.server.account_id)
        self.assertTrue(row["allowed"])
        self.assertEqual(row["action"], "login")

    def test_follow_prints_new_rows_and_ctrl_c_exits_cleanly(self):
        token, app = self.token_and_app("follow")
        proc = subprocess.Popen([gatehouse_bin(), "logs", "--follow", "--json", "--interval", "200ms",
                                 "--token", token["name"]], env=clean_env(self.server.cli_api_env()),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            lines = []
            reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)
            reader.start()
            ray = self.send(app, token).headers["Cf-Ray"]
            poll("--follow to print the new row", lambda: any(ray in l for l in lines))
            ray2 = self.send(app, token, self.wrong_secret()).headers["Cf-Ray"]
            poll("--follow to print the second row", lambda: any(ray2 in l for l in lines))
            proc.send_signal(signal.SIGINT)
            self.assertEqual(proc.wait(timeout=CLI_TIMEOUT), 0, proc.stderr.read())
            reader.join(timeout=CLI_TIMEOUT)
            rays = [json.loads(l)["ray_id"] for l in lines]
            self.assertEqual(rays, [ray, ray2], "each row once, in order")
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    # ---- last seen

    def test_last_seen_appears_after_use_per_secret_version(self):
        token, app = self.token_and_app("seen")
        created = self.get_token(token)
        self.assertIsNone(created["last_seen_at"])
        self.assertIsNone(created["previous_client_secret_last_seen_at"])
        self.assertEqual(created["client_secret_versions_last_seen"], [])
        self.assertEqual(self.send(app, token).status, 200)
        seen = poll("last_seen_at", lambda: (lambda t: t if t["last_seen_at"] else None)(self.get_token(token)))
        self.assertEqual(seen["client_secret_last_seen_at"], seen["last_seen_at"])
        self.assertEqual([v["client_secret_version"] for v in seen["client_secret_versions_last_seen"]], [1])
        self.assertEqual(seen["updated_at"], created["updated_at"], "a use is not a change of the token")
        self.assertLessEqual(abs(parse_rfc3339(seen["last_seen_at"]) - time.time()), 300)

        # Rotate with a grace period; the old secret keeps being used: the operator sees it.
        grace = rfc3339(time.time() + 3600)
        rotated = self.server.ok("POST", self.server.tokens_path("/%s/rotate" % token["id"]),
                                 {"previous_client_secret_expires_at": grace})
        self.assertEqual(self.send(app, token).status, 200, "old secret, in grace")
        after = poll("previous_client_secret_last_seen_at", lambda: (
            lambda t: t if t["previous_client_secret_last_seen_at"] and parse_rfc3339(
                t["previous_client_secret_last_seen_at"]) > parse_rfc3339(seen["last_seen_at"]) else None)(
                    self.get_token(token)))
        self.assertIsNone(after["client_secret_last_seen_at"], "the new secret is not used yet")
        self.assertEqual(self.send(app, rotated).status, 200)
        both = poll("both versions", lambda: (lambda t: t if len(t["client_secret_versions_last_seen"]) == 2 else None)(
            self.get_token(token)))
        self.assertEqual([v["client_secret_version"] for v in both["client_secret_versions_last_seen"]], [2, 1])
        listed = self.server.ok("GET", self.server.tokens_path(query({"name": token["name"]})))
        self.assertEqual(listed[0]["client_secret_versions_last_seen"], both["client_secret_versions_last_seen"])

    # ---- the audit log

    def test_audit_log_filters_and_cli(self):
        token = self.server.create_token(unique("audited"))
        self.server.ok("PUT", self.server.tokens_path("/" + token["id"]), {"enabled": False})
        events = self.server.ok("GET", self.server.acct("/audit_logs" + query({"resource_name": token["name"]})))
        self.assertEqual([e["action"]["type"] for e in events], ["service_token.disable", "service_token.create"])
        only = self.server.ok("GET", self.server.acct("/audit_logs" + query(
            {"resource_id": token["id"], "action": "service_token.disable"})))
        self.assertEqual(len(only), 1)
        self.assertNotIn("cfast_", json.dumps(only))
        self.assertFalse([k for k in only[0]["newValueJson"] if "hash" in k])
        asc = self.server.ok("GET", self.server.acct("/audit_logs" + query(
            {"resource_id": token["id"], "direction": "asc", "since": rfc3339(time.time() - 3600)})))
        self.assertEqual([e["action"]["type"] for e in asc], ["service_token.create", "service_token.disable"])

        r = self.cli("audit", "--resource", token["name"], "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([json.loads(l)["action"]["type"] for l in r.stdout.splitlines()],
                         ["service_token.disable", "service_token.create"])
        r = self.cli("audit", "--resource", token["id"], "--action", "service_token.create")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("service_token.create", r.stdout)
        self.assertNotIn("service_token.disable", r.stdout)
        self.assertIn(token["name"], r.stdout)


class LogsCoalescingTest(EdgeServerTestCase):
    """The default: allowed decisions alike within a second are one row with a count."""

    def test_allowed_decisions_are_counted_refusals_keep_their_rows(self):
        token = self.server.create_token(unique("busy"))
        app = self.apps.token_app("busy", [token])
        rays = []
        for i in range(8):
            r = edge_request(self.server.edge_url, host_of(app), "/same", headers=service_headers(token))
            self.assertEqual(r.status, 200)
        for i in range(2):
            bad = checksummed("cfast_", "Q" * 40)
            rays.append(edge_request(self.server.edge_url, host_of(app), "/same",
                                     headers=service_headers(token, bad)).headers["Cf-Ray"])
        path = self.server.acct("/access/logs/access_requests") + query(
            {"service_token_name": token["name"], "per_page": 100})

        def all_there():
            rows = self.server.ok("GET", path)
            return rows if sum(r["count"] for r in rows) == 10 else None
        rows = poll("10 decisions in the log", all_there)
        allowed = [r for r in rows if r["allowed"]]
        refused = [r for r in rows if not r["allowed"]]
        self.assertEqual(sum(r["count"] for r in allowed), 8)
        self.assertLess(len(allowed), 8, "8 requests within a second or two are coalesced")
        self.assertEqual(sorted(r["ray_id"] for r in refused), sorted(rays), "every refusal keeps its own row")
        self.assertTrue(all(r["count"] == 1 for r in refused))


class LogsConfigTest(unittest.TestCase):
    """[logs] retention/stdout, GATEHOUSE_LOG_*, serve --log-json."""

    def serve_fails(self, data_dir, *args, env=None):
        r = run_cli("serve", "--data-dir", data_dir, "--admin-listen", "127.0.0.1:0", "--edge-listen",
                    "127.0.0.1:0", *args, env=env)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        return r.stderr

    def test_bad_settings_stop_the_start_naming_them(self):
        with tempfile.TemporaryDirectory() as d:
            cfg = os.path.join(d, "gatehouse.toml")
            data = os.path.join(d, "data")
            with open(cfg, "w") as f:
                f.write('[logs]\nretention = "soon"\n')
            self.assertIn("logs.retention", self.serve_fails(data, "--config", cfg))
            with open(cfg, "w") as f:
                f.write("[logs]\nkeep = 1\n")
            self.assertIn("unknown key logs.keep", self.serve_fails(data, "--config", cfg))
            with open(cfg, "w") as f:
                f.write("[logs]\nstdout = \"yes\"\n")
            self.assertIn("logs.stdout", self.serve_fails(data, "--config", cfg))
            self.assertIn("GATEHOUSE_LOG_RETENTION", self.serve_fails(data, env={"GATEHOUSE_LOG_RETENTION": "12x"}))
            self.assertIn("GATEHOUSE_LOG_STDOUT", self.serve_fails(data, env={"GATEHOUSE_LOG_STDOUT": "maybe"}))
            for bad in ("2h", "-1s", "often"):
                self.assertIn("GATEHOUSE_LOG_COALESCE", self.serve_fails(data, env={"GATEHOUSE_LOG_COALESCE": bad}))
            with open(cfg, "w") as f:
                f.write("[logs]\ncoalesce = 5\n")
            self.assertIn("logs.coalesce", self.serve_fails(data, "--config", cfg))

    def test_log_json_flag_and_config_file_turn_the_mirror_on(self):
        with OriginRecorder() as origin, tempfile.TemporaryDirectory() as d:
            cfg = os.path.join(d, "gatehouse.toml")
            with open(cfg, "w") as f:
                f.write('[logs]\nretention = "90d"\nstdout = false\n')
            for extra in (["--log-json"], None):
                server = GatehouseServer()
                if extra:
                    server.args += ["--config", cfg] + extra  # the flag wins over the file
                else:
                    with open(cfg, "w") as f:
                        f.write('[logs]\nretention = "720h"\nstdout = true\n')
                    server.args += ["--config", cfg]
                try:
                    server.start()
                    token = server.create_token(unique("mirror"))
                    app = Apps(server, origin.url).token_app("mirror", [token])
                    ray = edge_request(server.edge_url, host_of(app), "/", headers=service_headers(token)).headers["Cf-Ray"]
                    poll("the mirrored line", lambda: any(l.startswith("{") and ray in l for l in server.stdout_lines))
                finally:
                    server.cleanup()


class LogsDurabilityTest(unittest.TestCase):
    """SIGTERM writes what is still queued: records and last-seen times."""

    def test_sigterm_flushes_pending_records_and_last_seen(self):
        with OriginRecorder() as origin:
            server = GatehouseServer(keep_data_dir=False, env={"GATEHOUSE_LOG_COALESCE": "0s"})
            try:
                server.start()
                token = server.create_token(unique("flushed"))
                app = Apps(server, origin.url).token_app("flush", [token])
                rays = []
                for i in range(40):
                    secret = None if i % 4 else checksummed("cfast_", "Q" * 40)
                    rays.append(edge_request(server.edge_url, host_of(app), "/%d" % i,
                                             headers=service_headers(token, secret)).headers["Cf-Ray"])
                # No waiting: the last-seen flush (every 5 s) has not run yet, records may be queued.
                self.assertEqual(server.stop(), 0, server.output())
                server.restart()
                rows = server.ok("GET", server.acct("/access/logs/access_requests" + query(
                    {"service_token_name": token["name"], "per_page": 100, "direction": "asc"})))
                self.assertEqual([r["ray_id"] for r in rows], rays)
                self.assertIsNotNone(server.ok("GET", server.tokens_path("/" + token["id"]))["last_seen_at"])
            finally:
                server.cleanup()


if __name__ == "__main__":
    unittest.main()
