"""`gatehouse curl URL [curl args]` (compat.md §3): sends the service-token headers, keeps the
returned CF_Authorization JWT per host in a 0600 file and sends it (cf-access-token) instead of
the secret until it is about to expire, like `cloudflared access curl`.

Needs the `curl` CLI; skipped without it.

Run: cd tests/integration && GATEHOUSE_BIN=../../build/debug/src/gatehouse python3 -m unittest -v test_gatehouse_curl
"""

import os
import shutil
import stat
import tempfile
import unittest
import urllib.parse

from edge_client import EdgeServerTestCase, host_of
from gatehouse_server import run_cli


@unittest.skipUnless(shutil.which("curl"), "the curl CLI is not installed")
class GatehouseCurlTest(EdgeServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.token = cls.server.create_token("curl-user", duration="72h")
        cls.app = cls.apps.token_app("curl", [cls.token])
        cls.port = urllib.parse.urlsplit(cls.server.edge_url).port
        cls.host = host_of(cls.app)

    def setUp(self):
        self.cache = tempfile.mkdtemp(prefix="gh-curl-cache-")
        self.addCleanup(shutil.rmtree, self.cache, True)

    def url(self, path):
        return "http://%s:%d%s" % (self.host, self.port, path)

    def curl(self, path, *extra, creds=True):
        args = ["curl", "--cache-dir", self.cache]
        if creds:
            args += ["--client-id", self.token["client_id"], "--client-secret", self.token["client_secret"]]
        # The app's host does not resolve: curl's own --resolve, passed through unchanged.
        args += [self.url(path), "--resolve", "%s:%d:127.0.0.1" % (self.host, self.port), "-s", "-f"]
        return run_cli(*args, *extra)

    def origin_saw(self, path):
        seen = [r for r in self.origin.requests if r.path == path]
        self.assertEqual(len(seen), 1, "the origin should see %s exactly once" % path)
        return seen[0]

    def test_first_call_sends_the_secret_and_keeps_the_jwt_private(self):
        r = self.curl("/first")
        self.assertEqual(r.returncode, 0, r.stderr)
        got = self.origin_saw("/first")
        self.assertTrue(got.headers.get("Cf-Access-Jwt-Assertion"))
        self.assertIsNone(got.headers.get("CF-Access-Client-Secret"))
        stored = [f for f in os.listdir(self.cache) if f.endswith(".jwt")]
        self.assertEqual(len(stored), 1, os.listdir(self.cache))
        mode = stat.S_IMODE(os.stat(os.path.join(self.cache, stored[0])).st_mode)
        self.assertEqual(mode, 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(self.cache).st_mode), 0o700)
        # The header file holding the secret is gone.
        self.assertEqual([f for f in os.listdir(self.cache) if f.startswith(".")], [])

    def test_second_call_reuses_the_jwt_without_the_secret(self):
        self.assertEqual(self.curl("/one").returncode, 0)
        first = self.origin_saw("/one")
        r = self.curl("/two", creds=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        second = self.origin_saw("/two")
        self.assertIsNone(second.headers.get("CF-Access-Client-Id"), "the stored JWT is sent, not the token")
        self.assertEqual(second.headers.get("Cf-Access-Jwt-Assertion"), first.headers.get("Cf-Access-Jwt-Assertion"))

    def test_without_a_stored_jwt_or_credentials_it_says_what_is_missing(self):
        r = self.curl("/none", creds=False)
        self.assertEqual(r.returncode, 2)
        self.assertIn("GATEHOUSE_CLIENT_ID", r.stderr)
        self.assertEqual(self.origin.requests_for("/none"), [])

    def test_curl_exit_code_passes_through_on_refusal(self):
        args = ["curl", "--cache-dir", self.cache, "--client-id", self.token["client_id"], "--client-secret",
                "cfast_" + "A" * 40 + "00000000", self.url("/refused"),
                "--resolve", "%s:%d:127.0.0.1" % (self.host, self.port), "-s", "-f"]
        r = run_cli(*args)
        self.assertEqual(r.returncode, 22, "curl -f exits 22 on an HTTP error")
        self.assertEqual(self.origin.requests_for("/refused"), [])


if __name__ == "__main__":
    unittest.main()
