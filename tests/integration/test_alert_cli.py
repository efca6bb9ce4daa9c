"""`gatehouse alert …` against a real server: webhook and policy lifecycle, the
send-test actions (which wait for the outcome), history and available alert types."""

import json
import unittest

from gatehouse_server import GatehouseServer
from smtp_sink import SmtpSink
from webhook_receiver import WebhookReceiver


class AlertCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.smtp = SmtpSink().start()
        cls.hook = WebhookReceiver().__enter__()
        cls.server = GatehouseServer(env={
            "GATEHOUSE_ALERT_INTERVAL": "1s",
            "GATEHOUSE_ALERT_RETRY_INITIAL": "100ms",
            "GATEHOUSE_ALERT_RETRY_MAX": "500ms",
            "GATEHOUSE_SMTP_URL": cls.smtp.url,
            "GATEHOUSE_SMTP_FROM": "alerts@cli.test",
        })
        cls.server.start()
        cls.env = cls.server.cli_api_env()

    @classmethod
    def tearDownClass(cls):
        cls.server.cleanup()
        cls.hook.__exit__()
        cls.smtp.stop()

    def run_ok(self, *args, input=None):
        r = self.server.cli("alert", *args, env=self.env, input=input)
        self.assertEqual(r.returncode, 0, "gatehouse alert %s\n%s\n%s" % (" ".join(args), r.stdout, r.stderr))
        return r.stdout

    def run_json(self, *args):
        return json.loads(self.run_ok("--json", *args))

    def test_lifecycle(self):
        token = self.server.create_token("cli-watched", duration="8760h")
        out = self.run_ok("webhook", "create", "cli-hook", "--url", self.hook.url, "--secret-file", "-",
                          input="from-stdin-secret\n")
        self.assertIn("set (never shown)", out)
        self.assertNotIn("from-stdin-secret", out)
        hooks = self.run_json("webhook", "list")
        self.assertEqual([h["name"] for h in hooks], ["cli-hook"])

        out = self.run_ok("policy", "create", "cli-ops", "--email", "a@example.com", "--email", "b@example.com",
                          "--webhook", "cli-hook", "--token", "cli-watched", "--description", "from the CLI")
        self.assertIn("Created alert policy \"cli-ops\"", out)
        p = self.run_json("policy", "show", "cli-ops")
        self.assertEqual([e["id"] for e in p["mechanisms"]["email"]], ["a@example.com", "b@example.com"])
        self.assertEqual(p["mechanisms"]["webhooks"], [{"id": hooks[0]["id"]}])
        self.assertEqual(p["filters"], {"token_id": [token["id"]]})

        # Send-test waits until every message is delivered.
        out = self.run_ok("policy", "test", "cli-ops")
        self.assertEqual(out.count("delivered"), 3, out)
        self.assertEqual(len(self.smtp.wait_for(2)), 2)
        post = self.hook.wait_for(1)[0]
        self.assertEqual(post.headers.get("cf-webhook-auth"), "from-stdin-secret")
        out = self.run_ok("webhook", "test", "cli-hook")
        self.assertIn("delivered", out)

        history = self.run_json("history")
        self.assertEqual(len(history), 4)
        self.assertIn("STATUS", self.run_ok("history", "--limit", "2"))

        self.run_ok("policy", "edit", "cli-ops", "--disable", "--clear-emails", "--all-tokens")
        p = self.run_json("policy", "show", p["id"])
        self.assertFalse(p["enabled"])
        self.assertEqual(p["mechanisms"]["email"], [])
        self.assertEqual(p["mechanisms"]["webhooks"], [{"id": hooks[0]["id"]}])
        self.assertEqual(p["filters"], {})

        # The webhook is in use: refused, and the message says by whom.
        r = self.server.cli("alert", "webhook", "delete", "cli-hook", env=self.env)
        self.assertEqual(r.returncode, 1)
        self.assertIn("cli-ops", r.stderr)
        self.run_ok("policy", "delete", "cli-ops")
        self.run_ok("webhook", "delete", "cli-hook")
        self.assertEqual(self.run_json("policy", "list"), [])
        self.assertEqual(self.run_json("webhook", "list"), [])

    def test_available_and_errors(self):
        self.assertIn("expiring_service_token_alert", self.run_ok("available"))
        r = self.server.cli("alert", "policy", "create", "no-recipients", env=self.env)
        self.assertEqual(r.returncode, 1)
        self.assertIn("--email", r.stderr)
        r = self.server.cli("alert", "policy", "create", "bad", "--email", "nope", env=self.env)
        self.assertEqual(r.returncode, 1)
        self.assertIn("mechanisms.email[0].id", r.stderr)
        r = self.server.cli("alert", "policy", "show", "missing", env=self.env)
        self.assertEqual(r.returncode, 1)
        self.assertIn("no alert policy", r.stderr)


if __name__ == "__main__":
    unittest.main()
