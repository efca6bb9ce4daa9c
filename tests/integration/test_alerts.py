"""Expiring-token alerts end to end (compat.md §1.5, docs/alerts.md): a real
`gatehouse serve`, a real SMTP server (aiosmtpd) and a webhook receiver on loopback.

The scheduler runs every second (GATEHOUSE_ALERT_INTERVAL=1s) and failed deliveries
are retried after 100 ms, doubling up to 500 ms, so nothing here waits long; every
wait polls with a deadline.
"""

import os
import re
import tempfile
import time
import unittest

from gatehouse_server import GatehouseServer, parse_rfc3339
from smtp_sink import SmtpSink, free_port
from webhook_receiver import WebhookReceiver

DEADLINE = 60.0  # seconds; sanitizer builds on a loaded machine are slow


def alert_env(smtp_url, **extra):
    env = {
        "GATEHOUSE_ALERT_INTERVAL": "1s",
        "GATEHOUSE_ALERT_RETRY_INITIAL": "100ms",
        "GATEHOUSE_ALERT_RETRY_MAX": "500ms",
        "GATEHOUSE_SMTP_URL": smtp_url,
        "GATEHOUSE_SMTP_FROM": "Gatehouse Alerts <alerts@gatehouse.test>",
    }
    env.update(extra)
    return env


def poll(predicate, what, timeout=DEADLINE):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError("timed out after %.0fs waiting for %s" % (timeout, what))
        time.sleep(0.05)


class AlertServer(GatehouseServer):
    def alerting(self, suffix=""):
        return self.acct("/alerting/v3" + suffix)

    def history(self):
        return self.ok("GET", self.alerting("/history?per_page=1000"))

    def create_policy(self, name, emails=(), webhooks=(), token_ids=None):
        body = {"name": name, "alert_type": "expiring_service_token_alert", "enabled": True,
                "mechanisms": {"email": [{"id": e} for e in emails], "webhooks": [{"id": w} for w in webhooks]}}
        if token_ids is not None:
            body["filters"] = {"token_id": list(token_ids)}
        return self.ok("POST", self.alerting("/policies"), body)["id"]


def mentions(messages, text):
    return [m for m in messages if text in m.body() or text in str(m.msg["Subject"])]


class EmailAlerts(unittest.TestCase):
    def setUp(self):
        self.smtp = SmtpSink().start()
        self.addCleanup(self.smtp.stop)
        self.server = AlertServer(env=alert_env(self.smtp.url))
        self.addCleanup(self.server.cleanup)
        self.server.start()

    def test_a_72h_token_alerts_each_recipient_once_and_a_year_long_one_does_not(self):
        s = self.server
        soon = s.create_token("deploy-soon", duration="72h")
        later = s.create_token("deploy-later", duration="8760h")
        s.create_policy("ops", emails=["ops1@example.com", "ops2@example.com"])

        got = self.smtp.wait_for(2, DEADLINE, "one alert per recipient")
        self.assertEqual(sorted(r for m in got for r in m.rcpt_tos), ["ops1@example.com", "ops2@example.com"])
        for m in got:
            self.assertEqual(len(m.rcpt_tos), 1, "one message per recipient")
            msg = m.msg
            self.assertEqual(str(msg["To"]), m.rcpt_tos[0])
            self.assertEqual(m.mail_from, "alerts@gatehouse.test")
            self.assertIn("alerts@gatehouse.test", str(msg["From"]))
            self.assertTrue(msg["Date"] and msg["Message-ID"], msg)
            self.assertEqual(msg.get_content_type(), "text/plain")
            self.assertEqual(msg.get_content_charset(), "utf-8")
            subject = str(msg["Subject"])
            self.assertIn('"deploy-soon"', subject)
            self.assertRegex(subject, r"expires in (2 days 23 hours|3 days)")
            body = m.body()
            self.assertIn("deploy-soon", body)
            self.assertIn(soon["client_id"], body)
            self.assertIn(soon["id"], body)
            self.assertIn(soon["expires_at"], body)
            self.assertIn("gatehouse token refresh " + soon["id"], body)
            self.assertIn("Access > Service Auth > Service Tokens", body)
            self.assertNotIn(soon["client_secret"], m.raw.decode("utf-8", "replace"))
            self.assertNotIn("cfast_", m.raw.decode("utf-8", "replace"))
        # The two messages of one alert share its correlation id, and differ in Message-ID.
        self.assertNotEqual(got[0].msg["Message-ID"], got[1].msg["Message-ID"])

        history = s.history()
        self.assertEqual(len(history), 2)
        for h in history:
            self.assertEqual(h["alert_type"], "expiring_service_token_alert")
            self.assertEqual(h["mechanism_type"], "email")
            self.assertEqual(h["token_id"], soon["id"])
            self.assertEqual(h["token_name"], "deploy-soon")
        poll(lambda: all(x["status"] == "delivered" for x in s.history()), "history shows delivered")
        self.assertFalse([h for h in s.history() if h["token_id"] == later["id"]])

        # Refresh: the expiry moves a year out, so no second alert. A token created
        # after the refresh proves a scan ran after it: its alert arrives, and still
        # nothing for deploy-soon.
        s.ok("POST", s.tokens_path("/%s/refresh" % soon["id"]))
        marker = s.create_token("marker", duration="48h")
        got = self.smtp.wait_for(4, DEADLINE, "the marker token's alerts")
        self.assertEqual(len(mentions(got, marker["client_id"])), 2)
        self.assertEqual(len(mentions(got, soon["client_id"])), 2)
        self.assertEqual(len(got), 4)
        self.assertFalse(mentions(got, later["client_id"]))

    def test_policy_send_test_reaches_every_recipient(self):
        s = self.server
        pid = s.create_policy("ops", emails=["a@example.com", "b@example.com"])
        r = s.ok("POST", s.alerting("/policies/%s/test" % pid))
        self.assertEqual(r["status"], "queued")
        self.assertEqual(len(r["messages"]), 2)
        got = self.smtp.wait_for(2)
        for m in got:
            self.assertIn("Test notification", str(m.msg["Subject"]))
        poll(lambda: all(h["status"] == "delivered" for h in s.history()), "test messages delivered")
        self.assertTrue(all(h["alert_type"] == "test" for h in s.history()))

    def test_disabled_forever_and_filtered_out_tokens_do_not_fire(self):
        s = self.server
        watched = s.create_token("watched", duration="24h")
        other = s.create_token("other", duration="24h")
        disabled = s.create_token("disabled", duration="24h", enabled=False)
        forever = s.create_token("forever", duration="forever")
        s.create_policy("only-watched", emails=["ops@example.com"], token_ids=[watched["id"], disabled["id"]])
        got = self.smtp.wait_for(1)
        self.assertEqual([m.rcpt_tos for m in mentions(got, watched["client_id"])], [["ops@example.com"]])
        # A policy for every token: "watched" and "other" fire for it, in one scan that
        # also saw "disabled" and "forever".
        s.create_policy("everything", emails=["all@example.com"])
        got = self.smtp.wait_for(3)
        self.assertEqual([m.rcpt_tos for m in mentions(got, other["client_id"])], [["all@example.com"]])
        self.assertEqual(len(mentions(got, watched["client_id"])), 2)
        self.assertFalse(mentions(got, disabled["client_id"]))
        self.assertFalse(mentions(got, forever["client_id"]))
        self.assertEqual(len(got), 3)


class SmtpDown(unittest.TestCase):
    def test_nothing_is_lost_and_nothing_sent_twice_across_a_restart(self):
        smtp = SmtpSink()  # not listening yet: the mail server is down
        self.addCleanup(smtp.stop)
        s = AlertServer(env=alert_env(smtp.url))
        self.addCleanup(s.cleanup)
        s.start()
        token = s.create_token("ci", duration="72h")
        s.create_policy("ops", emails=["ops@example.com"])
        # Delivery was tried and failed; the message waits.
        h = poll(lambda: [x for x in s.history() if x["attempts"] >= 1 and x["last_error"]], "a failed attempt")[0]
        self.assertIn(h["status"], ("pending", "sending"))
        self.assertIsNone(h["sent"])

        # Gatehouse restarts while the server is still down: still pending, still one.
        s.restart()
        poll(lambda: s.history()[0]["attempts"] > h["attempts"], "an attempt after the restart")
        self.assertEqual(len(s.history()), 1)
        self.assertIn(s.history()[0]["status"], ("pending", "sending"))

        smtp.start()  # the mail server is back
        got = smtp.wait_for(1)
        self.assertIn(token["client_id"], got[0].body())
        done = poll(lambda: [x for x in s.history() if x["status"] == "delivered"], "delivered in the history")[0]
        self.assertIsNotNone(done["sent"])

        # Restart again, then prove a scan and a delivery round ran after it: a new
        # token's alert arrives, and the first one was not sent again.
        s.restart()
        marker = s.create_token("marker", duration="24h")
        got = smtp.wait_for(2)
        self.assertEqual(len(mentions(got, token["client_id"])), 1)
        self.assertEqual(len(mentions(got, marker["client_id"])), 1)
        self.assertEqual(len(got), 2)


class WebhookAlerts(unittest.TestCase):
    def setUp(self):
        self.hook = WebhookReceiver().__enter__()
        self.addCleanup(self.hook.__exit__)
        self.server = AlertServer(env=alert_env("smtp://127.0.0.1:%d" % free_port()))
        self.addCleanup(self.server.cleanup)
        self.server.start()

    def test_payload_and_cf_webhook_auth(self):
        s = self.server
        wid = s.ok("POST", s.alerting("/destinations/webhooks"),
                   {"name": "ops-hook", "url": self.hook.url, "secret": "hook-secret-123"})["id"]
        w = s.ok("GET", s.alerting("/destinations/webhooks/" + wid))
        self.assertEqual(w["url"], self.hook.url)
        self.assertNotIn("secret", w)
        self.assertTrue(w["secret_set"])
        token = s.create_token("ci-deploy", duration="72h")
        pid = s.create_policy("hooked", webhooks=[wid])

        post = self.hook.wait_for(1)[0]
        self.assertEqual(post.headers.get("cf-webhook-auth"), "hook-secret-123")
        self.assertTrue(post.headers.get("Content-Type", "").startswith("application/json"))
        p = post.json
        self.assertEqual(p["name"], "hooked")
        self.assertEqual(p["policy_id"], pid)
        self.assertEqual(p["policy_name"], "hooked")
        self.assertEqual(p["account_id"], s.account_id)
        self.assertEqual(p["alert_type"], "expiring_service_token_alert")
        self.assertRegex(p["alert_correlation_id"], r"^[0-9a-f-]{36}$")
        self.assertIsInstance(p["ts"], int)
        self.assertLess(abs(p["ts"] - time.time()), 120)
        self.assertIn("ci-deploy", p["text"])
        d = p["data"]
        self.assertEqual(d["id"], token["id"])
        self.assertEqual(d["name"], "ci-deploy")
        self.assertEqual(d["client_id"], token["client_id"])
        self.assertAlmostEqual(parse_rfc3339(d["expires_at"]), parse_rfc3339(token["expires_at"]), delta=1)
        self.assertNotIn(token["client_secret"], post.raw.decode())
        poll(lambda: s.ok("GET", s.alerting("/destinations/webhooks/" + wid))["last_success"], "last_success")

        # Send-test: the destination's own, and the policy's.
        r = s.ok("POST", s.alerting("/destinations/webhooks/%s/test" % wid))
        self.assertEqual(len(r["messages"]), 1)
        test = self.hook.wait_for(2)[1]
        self.assertEqual(test.headers.get("cf-webhook-auth"), "hook-secret-123")
        self.assertEqual(test.json["alert_type"], "test")
        s.ok("POST", s.alerting("/policies/%s/test" % pid))
        self.assertEqual(self.hook.wait_for(3)[2].json["policy_id"], pid)

    def test_a_receiver_that_fails_is_retried_until_it_answers(self):
        s = self.server
        self.hook.status = 503
        wid = s.ok("POST", s.alerting("/destinations/webhooks"), {"name": "flaky", "url": self.hook.url})["id"]
        s.ok("POST", s.alerting("/destinations/webhooks/%s/test" % wid))
        h = poll(lambda: [x for x in s.history() if x["attempts"] >= 2], "two failed attempts")[0]
        self.assertIn("503", h["last_error"])
        self.assertIn(h["status"], ("pending", "sending"))  # between attempts, or in one
        self.assertIsNone(h["sent"])
        self.hook.status = 200
        post = self.hook.wait_for(1)[0]
        self.assertNotIn("cf-webhook-auth", {k.lower() for k in post.headers})  # no secret set
        poll(lambda: s.history()[0]["status"] == "delivered", "delivered")
        self.assertEqual(len(self.hook.received()), 1)


class WebhookSecretsAtRest(unittest.TestCase):
    """Webhook secrets are stored sealed under the master key; a data dir from before
    that (alerts component at step 1, a plain `secret` column) is upgraded on start."""

    def setUp(self):
        self.hook = WebhookReceiver().__enter__()
        self.addCleanup(self.hook.__exit__)
        self.server = AlertServer(env=alert_env("smtp://127.0.0.1:%d" % free_port()))
        self.addCleanup(self.server.cleanup)
        self.server.start()

    def db_bytes(self):
        out = b""
        for name in ("gatehouse.db", "gatehouse.db-wal"):
            path = os.path.join(self.server.data_dir, name)
            if os.path.exists(path):
                with open(path, "rb") as f:
                    out += f.read()
        return out

    def test_an_old_data_dir_with_a_plain_secret_upgrades_and_still_signs(self):
        import sqlite3
        s = self.server
        wid = s.ok("POST", s.alerting("/destinations/webhooks"),
                   {"name": "old-hook", "url": self.hook.url, "secret": "upgrade-secret-42"})["id"]
        s.stop()
        self.assertNotIn(b"upgrade-secret-42", self.db_bytes())
        # Put the data dir back into the state an older Gatehouse left it in.
        db = sqlite3.connect(os.path.join(s.data_dir, "gatehouse.db"))
        with db:
            db.execute("ALTER TABLE alert_webhooks RENAME COLUMN secret_sealed TO secret")
            db.execute("UPDATE alert_webhooks SET secret = 'upgrade-secret-42' WHERE id = ?", (wid,))
            db.execute("UPDATE component_migrations SET version = 1 WHERE component = 'alerts'")
        db.close()
        self.assertIn(b"upgrade-secret-42", self.db_bytes())

        s.restart()
        w = s.ok("GET", s.alerting("/destinations/webhooks/" + wid))
        self.assertTrue(w["secret_set"])
        self.assertNotIn("upgrade-secret-42", s.output())
        s.ok("POST", s.alerting("/destinations/webhooks/%s/test" % wid))
        self.assertEqual(self.hook.wait_for(1)[0].headers.get("cf-webhook-auth"), "upgrade-secret-42")
        s.stop()
        self.assertNotIn(b"upgrade-secret-42", self.db_bytes())
        db = sqlite3.connect(os.path.join(s.data_dir, "gatehouse.db"))
        (stored,) = db.execute("SELECT secret_sealed FROM alert_webhooks WHERE id = ?", (wid,)).fetchone()
        db.close()
        self.assertTrue(stored.startswith("v1:"), stored)

    def test_another_master_key_fails_the_delivery_with_a_clear_error_and_the_server_stays_up(self):
        s = self.server
        wid = s.ok("POST", s.alerting("/destinations/webhooks"),
                   {"name": "hook", "url": self.hook.url, "secret": "keyed-secret"})["id"]
        s.stop()
        s.env = dict(s.env, GATEHOUSE_MASTER_KEY="ab" * 32)  # not the master.key it was sealed with
        s.start()
        s.ok("POST", s.alerting("/destinations/webhooks/%s/test" % wid))
        h = poll(lambda: [x for x in s.history() if x["attempts"] >= 1 and x["last_error"]], "a failed attempt")[0]
        self.assertIn("webhook destination %s does not decrypt" % wid, h["last_error"])
        self.assertNotIn("keyed-secret", h["last_error"])
        self.assertEqual(self.hook.received(), [])
        # Setting the secret again (under the key in use) repairs it.
        s.ok("PUT", s.alerting("/destinations/webhooks/" + wid), {"secret": "keyed-secret"})
        self.assertEqual(self.hook.wait_for(1)[0].headers.get("cf-webhook-auth"), "keyed-secret")


class AlertApi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = AlertServer(env=alert_env("smtp://127.0.0.1:%d" % free_port(), GATEHOUSE_ALERT_INTERVAL="1h"))
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()

    def state(self):
        """Policies, webhooks (less their delivery times, which the worker moves on
        its own) and the audit count."""
        s = self.server
        hooks = [{k: v for k, v in w.items() if k not in ("last_success", "last_failure")}
                 for w in s.ok("GET", s.alerting("/destinations/webhooks"))]
        return s.ok("GET", s.alerting("/policies")), hooks, s.audit_count()

    def refused(self, method, path, body=None, status=400, names=None, **kw):
        s = self.server
        before = self.state()
        r = s.api(method, path, body=body, **kw)
        self.assertEqual(r.status, status, r)
        self.assertFalse(r.body["success"])
        message = r.body["errors"][0]["message"]
        self.assertRegex(message, r"^access\.api\.error\.[a-z_]+: ")
        if names:
            self.assertIn(names, message)
        self.assertEqual(self.state(), before, "state changed by a refused request")
        return message

    def test_crud_shapes(self):
        s = self.server
        token = s.create_token("api-crud", duration="24h")
        wid = s.ok("POST", s.alerting("/destinations/webhooks"), {"name": "h", "url": "http://127.0.0.1:9/x"})["id"]
        pid = s.ok("POST", s.alerting("/policies"), {
            "name": "p", "description": "d", "enabled": False, "alert_type": "expiring_service_token_alert",
            "mechanisms": {"email": [{"id": "a@example.com"}], "webhooks": [{"id": wid}]},
            "filters": {"token_id": [token["id"]]}})["id"]
        p = s.ok("GET", s.alerting("/policies/" + pid))
        self.assertEqual(p["mechanisms"], {"email": [{"id": "a@example.com"}], "webhooks": [{"id": wid}]})
        self.assertEqual(p["filters"], {"token_id": [token["id"]]})
        self.assertFalse(p["enabled"])
        self.assertTrue(p["created"] and p["modified"])
        self.assertEqual(s.ok("PUT", s.alerting("/policies/" + pid), {"enabled": True, "filters": {}}), {"id": pid})
        p = s.ok("GET", s.alerting("/policies/" + pid))
        self.assertTrue(p["enabled"])
        self.assertEqual(p["filters"], {})
        self.assertEqual(p["description"], "d")
        listed = s.api("GET", s.alerting("/policies"))
        self.assertIn(pid, [x["id"] for x in listed.body["result"]])
        self.assertIn("result_info", listed.body)
        # A webhook in use is not deleted.
        msg = self.refused("DELETE", s.alerting("/destinations/webhooks/" + wid), status=409, names='"p"')
        self.assertIn("webhook_in_use", msg)
        self.assertEqual(s.ok("DELETE", s.alerting("/policies/" + pid)), {"id": pid})
        self.assertEqual(s.api("GET", s.alerting("/policies/" + pid)).status, 404)
        s.ok("DELETE", s.alerting("/destinations/webhooks/" + wid))
        events = [e for e in s.audit_log()[0] if e["resource"]["type"].startswith("alerting.")]
        self.assertGreaterEqual(len(events), 5)

    def test_available_alerts(self):
        s = self.server
        r = s.ok("GET", s.alerting("/available_alerts"))
        types = [a["type"] for group in r.values() for a in group]
        self.assertIn("expiring_service_token_alert", types)

    def test_bad_input_is_400_naming_the_field_and_changes_nothing(self):
        s = self.server
        token = s.create_token("bad-input", duration="24h")
        base = {"name": "p", "alert_type": "expiring_service_token_alert",
                "mechanisms": {"email": [{"id": "ops@example.com"}]}}

        def policy(**changes):
            body = dict(base)
            body.update(changes)
            return body

        path = s.alerting("/policies")
        self.refused("POST", path, policy(alert_type="universal_ssl_event_type"), names="alert_type")
        self.refused("POST", path, policy(alert_type=None), names="alert_type")
        self.refused("POST", path, policy(name=None), names="name")
        self.refused("POST", path, policy(mechanisms={"email": [{"id": "not-an-email"}]}), names="mechanisms.email[0].id")
        self.refused("POST", path, policy(mechanisms={"email": [{"id": "a@example.com"}, {"id": 5}]}),
                     names="mechanisms.email[1].id")
        self.refused("POST", path, policy(mechanisms={"email": "ops@example.com"}), names="mechanisms.email")
        self.refused("POST", path, policy(mechanisms={"webhooks": [{"id": "00000000-0000-4000-8000-000000000000"}]}),
                     names="mechanisms.webhooks[0].id")
        self.refused("POST", path, policy(mechanisms={"pagerduty": [{"id": "x"}]}), names="pagerduty")
        self.refused("POST", path, policy(filters={"token_id": ["00000000-0000-4000-8000-000000000000"]}),
                     names="filters.token_id[0]")
        self.refused("POST", path, policy(filters={"token_id": []}), names="filters.token_id")
        self.refused("POST", path, policy(filters={"token_id": token["id"]}), names="filters.token_id")
        self.refused("POST", path, policy(enabled="yes"), names="enabled")
        self.refused("POST", path, raw_body="{nope", names="JSON")
        self.refused("POST", path, raw_body='{"name":"x"}', content_type="text/plain", status=415)

        hooks = s.alerting("/destinations/webhooks")
        for url in ("ftp://example.com/", "not a url", "https://user:pw@example.com/", ""):
            self.refused("POST", hooks, {"name": "h", "url": url}, names="url")
        self.refused("POST", hooks, {"name": "h"}, names="url")
        self.refused("POST", hooks, {"url": "https://h.example.com/"}, names="name")
        self.refused("POST", hooks, {"name": "h", "url": "https://h.example.com/", "secret": "a\r\nb: c"},
                     names="secret")

        # Updates are checked the same way and leave the stored policy as it was.
        pid = s.create_policy("keep", emails=["keep@example.com"])
        before = s.ok("GET", s.alerting("/policies/" + pid))
        self.refused("PUT", s.alerting("/policies/" + pid), {"mechanisms": {"email": [{"id": "@bad"}]}},
                     names="mechanisms.email[0].id")
        self.refused("PUT", s.alerting("/policies/" + pid), {"alert_type": "nope"}, names="alert_type")
        self.assertEqual(s.ok("GET", s.alerting("/policies/" + pid)), before)
        s.ok("DELETE", s.alerting("/policies/" + pid))

    def test_unknown_ids_and_methods(self):
        s = self.server
        self.assertEqual(s.api("GET", s.alerting("/policies/nope")).status, 404)
        self.assertEqual(s.api("POST", s.alerting("/destinations/webhooks/nope/test")).status, 404)
        self.assertEqual(s.api("DELETE", s.alerting("/history")).status, 405)
        self.assertEqual(s.api("GET", s.alerting("/history?since=yesterday")).status, 400)
        self.assertEqual(s.api("GET", s.alerting("/policies"), token=None).status, 401)


class AlertConfig(unittest.TestCase):
    def test_smtp_and_alerts_tables_are_read(self):
        with SmtpSink() as smtp, tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "gatehouse.toml")
            with open(path, "w") as f:
                f.write('[smtp]\nurl = "%s"\nfrom = "alerts@config.test"\nstarttls = "opportunistic"\n'
                        '[alerts]\ninterval = "1s"\nretry_initial = "100ms"\nretry_max = "1s"\n' % smtp.url)
            s = AlertServer(args=["--config", path, "--data-dir", os.path.join(tmp, "data"),
                                  "--admin-listen", "127.0.0.1:0", "--edge-listen", "127.0.0.1:0"])
            try:
                s.start()
                self.assertTrue(any("alerts: email via " + smtp.url in line for line in s.stdout_lines), s.output())
                s.create_token("configured", duration="24h")
                s.create_policy("ops", emails=["ops@example.com"])
                got = smtp.wait_for(1)
                self.assertEqual(got[0].mail_from, "alerts@config.test")
            finally:
                s.cleanup()

    def test_bad_settings_stop_the_start_naming_the_key(self):
        with tempfile.TemporaryDirectory() as tmp:
            cases = [
                ('[alerts]\ninterval = "0s"\n', None, "alerts.interval"),
                ('[smtp]\nurl = "http://mail.example.com"\nfrom = "a@example.com"\n', None, "smtp.url"),
                ('[smtp]\nurl = "smtp://mail.example.com"\n', None, "smtp.from"),
                ('[smtp]\nport = 25\n', None, "smtp.port"),
                ('', {"GATEHOUSE_ALERT_INTERVAL": "soon"}, "GATEHOUSE_ALERT_INTERVAL"),
                ('', {"GATEHOUSE_SMTP_STARTTLS": "maybe"}, "GATEHOUSE_SMTP_STARTTLS"),
            ]
            for i, (text, env, key) in enumerate(cases):
                path = os.path.join(tmp, "c%d.toml" % i)
                with open(path, "w") as f:
                    f.write(text)
                s = AlertServer(args=["--config", path, "--data-dir", os.path.join(tmp, "d%d" % i),
                                      "--admin-listen", "127.0.0.1:0", "--edge-listen", "127.0.0.1:0"], env=env)
                try:
                    with self.assertRaises(AssertionError) as ctx:
                        s.start()
                    self.assertIn(key, str(ctx.exception))
                finally:
                    s.cleanup()


if __name__ == "__main__":
    unittest.main()
