"""`gatehouse serve --demo` (README, compat.md §2.2): the two curl commands it prints,
run exactly as printed, are refused (403) and allowed (200), and the built-in echo
origin shows that it received Cf-Access-Jwt-Assertion and never the client secret.

Needs the `curl` CLI; skipped without it.

Run: cd tests/integration && GATEHOUSE_BIN=../../build/debug/src/gatehouse python3 -m unittest -v test_demo
"""

import json
import shlex
import shutil
import subprocess
import unittest

from gatehouse_server import GatehouseServer

CURL = shutil.which("curl")


def printed_curl_commands(lines):
    """The curl commands after the "Demo:" paragraph, continuation lines joined."""
    start = next(i for i, line in enumerate(lines) if line.startswith("Demo:"))
    commands, current = [], None
    for line in lines[start:]:
        s = line.strip()
        if current is None and s.startswith("curl "):
            current = ""
        if current is None:
            continue
        if s.endswith("\\"):
            current += s[:-1] + " "
        else:
            commands.append(current + s)
            current = None
    return commands


def split_reply(text):
    """curl -i output -> (status, headers dict lower-case, body). The last response
    wins (curl prints interim responses first)."""
    blocks = text.replace("\r\n", "\n").split("\n\n")
    idx = max(i for i, b in enumerate(blocks) if b.startswith("HTTP/"))
    head, body = blocks[idx], "\n\n".join(blocks[idx + 1:])
    status = int(head.split("\n", 1)[0].split()[1])
    headers = {}
    for line in head.split("\n")[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return status, headers, body


@unittest.skipIf(CURL is None, "the curl CLI is not installed")
class DemoTest(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = GatehouseServer()
        cls.server.args.append("--demo")
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        if cls.server:
            cls.server.cleanup()

    def run_printed(self, command):
        argv = shlex.split(command)
        self.assertEqual(argv[0], "curl", command)
        # Exactly as printed; only a time limit is added so a hang fails the test.
        r = subprocess.run([CURL, "--max-time", "30"] + argv[1:], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, "%s\n%s" % (command, r.stderr))
        return split_reply(r.stdout)

    def test_the_printed_curl_commands_give_403_then_200(self):
        commands = printed_curl_commands(self.server.stdout_lines)
        self.assertEqual(len(commands), 2, "\n".join(self.server.stdout_lines))
        refused, allowed = commands
        self.assertNotIn("CF-Access-Client-Secret", refused)
        self.assertIn("CF-Access-Client-Secret", allowed)

        status, headers, body = self.run_printed(refused)
        self.assertEqual(status, 403, body)
        self.assertTrue(headers.get("cf-ray"))
        self.assertEqual(json.loads(body)["reason"], "no_credentials")

        status, headers, body = self.run_printed(allowed)
        self.assertEqual(status, 200, body)
        self.assertTrue(headers.get("cf-ray"))
        self.assertTrue(headers.get("set-cookie", "").startswith("CF_Authorization="), headers)
        echo = json.loads(body)
        self.assertEqual(echo["origin"], "gatehouse demo echo")
        seen = {k.lower(): v for k, v in echo["headers"].items()}
        self.assertTrue(seen.get("cf-access-jwt-assertion"), seen)
        self.assertEqual(seen["cf-access-jwt-assertion"].count("."), 2)
        self.assertNotIn("cf-access-client-secret", seen)
        secret = shlex.split(allowed)[-1].split(":", 1)[1].strip()
        self.assertTrue(secret.startswith("cfast_"), secret)
        self.assertNotIn(secret, body, "the echo origin must never see the secret")


if __name__ == "__main__":
    unittest.main()
