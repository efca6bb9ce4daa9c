"""The edge over TLS (`serve --tls-cert F --tls-key K`): requests work, the session
cookie becomes `Secure; SameSite=None` (compat.md §2.2), and SIGHUP reloads the files
for new connections while the server stays up; a bad file on SIGHUP keeps the
certificate in use.

Certificates come from the `openssl` CLI into a temp dir.

Run: cd tests/integration && GATEHOUSE_BIN=../../build/debug/src/gatehouse python3 -m unittest -v test_edge_tls
"""

import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse
import uuid

from edge_client import Apps, edge_request, host_of, https_context_for, service_headers, the_cookie, unique
from gatehouse_server import GatehouseServer
from origin_recorder import OriginRecorder

OPENSSL = shutil.which("openssl")


def make_cert(directory, name, cn):
    """A self-signed P-256 certificate and key: (cert path, key path, DER bytes)."""
    cert, key = os.path.join(directory, name + ".crt"), os.path.join(directory, name + ".key")
    subprocess.run([OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=" + cn,
                    "-addext", "subjectAltName=DNS:%s,IP:127.0.0.1" % cn],
                   check=True, capture_output=True, timeout=60)
    with open(cert) as f:
        der = ssl.PEM_cert_to_DER_cert(f.read())
    return cert, key, der


class TlsServer(GatehouseServer):
    """The integration helper, also reading an https:// edge URL from the banner."""

    def _parse_line(self, line):
        super()._parse_line(line)
        m = re.match(r"^edge\s+(https://\S+)$", line.strip())
        if m:
            self.edge_url = m.group(1)


@unittest.skipIf(OPENSSL is None, "the openssl CLI is not installed")
class EdgeTlsTest(unittest.TestCase):
    server = origin = None

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="gatehouse-tls-")
        cls.cert_file, cls.key_file = os.path.join(cls.dir, "edge.crt"), os.path.join(cls.dir, "edge.key")
        cls.made = []
        cls.first = cls.make("first")
        cls.install(cls.first)
        cls.origin = OriginRecorder().start()
        try:
            cls.server = TlsServer()
            cls.server.args += ["--tls-cert", cls.cert_file, "--tls-key", cls.key_file]
            cls.server.start()
            cls.tok = cls.server.create_token(unique("tls"))
            cls.app = Apps(cls.server, cls.origin.url).token_app("tls", [cls.tok])
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.server:
                cls.server.cleanup()
        finally:
            if cls.origin:
                cls.origin.stop()
            shutil.rmtree(cls.dir, ignore_errors=True)

    @classmethod
    def make(cls, name):
        pair = make_cert(cls.dir, name, name + ".test")
        cls.made.append(pair)
        return pair

    @classmethod
    def install(cls, pair):
        """Puts a certificate and key in place the way an operator (or certbot) does:
        write aside, rename over."""
        for src, dst in ((pair[0], cls.cert_file), (pair[1], cls.key_file)):
            tmp = dst + ".new"
            shutil.copyfile(src, tmp)
            os.replace(tmp, dst)

    # ---- helpers

    def peer_cert(self):
        """The DER certificate a NEW connection to the edge is shown."""
        url = urllib.parse.urlsplit(self.server.edge_url)
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE  # we only look at what is presented
        with socket.create_connection((url.hostname, url.port), timeout=30) as raw:
            with ctx.wrap_socket(raw, server_hostname=host_of(self.app)) as tls:
                return tls.getpeercert(binary_form=True)

    def https_get(self, trusted, headers=None):
        path = "/tls/" + uuid.uuid4().hex
        r = edge_request(self.server.edge_url, host_of(self.app), path, headers=headers or service_headers(self.tok),
                         ssl_context=https_context_for(trusted[0]))
        return r, path

    def sighup_and_wait(self, stream_text):
        """SIGHUP, then wait (bounded) for the line that reports the outcome."""
        if stream_text.startswith("stderr:"):
            needle = stream_text[len("stderr:"):]
            already = len(self.server.stderr_lines)
            self.server.signal(signal.SIGHUP)
            deadline = time.monotonic() + 30
            while not any(needle in line for line in self.server.stderr_lines[already:]):
                self.assertTrue(self.server.running(), self.server.output())
                self.assertLess(time.monotonic(), deadline, "no stderr line %r\n%s" % (needle, self.server.output()))
                threading.Event().wait(0.02)
        else:
            self.server.signal(signal.SIGHUP)
            self.server.wait_for_line(stream_text)

    # ---- tests (ordered by name: the reload tests change the certificate)

    def test_1_https_through_the_edge_with_a_secure_cookie(self):
        self.assertTrue(self.server.edge_url.startswith("https://"), self.server.edge_url)
        self.assertEqual(self.peer_cert(), self.first[2])
        r, path = self.https_get(self.first)
        self.assertEqual(r.status, 200, r)
        seen = self.origin.requests_for(path)
        self.assertEqual(len(seen), 1)
        self.assertTrue(seen[0].headers.get("Cf-Access-Jwt-Assertion"))
        cookie = the_cookie(self, r)
        self.assertIs(cookie.attrs.get("secure"), True, cookie)
        self.assertEqual(cookie.attrs.get("samesite"), "None", cookie)
        self.assertIs(cookie.attrs.get("httponly"), True, cookie)
        self.assertTrue(re.search(r"; Secure; HttpOnly; SameSite=None$", cookie.text), cookie.text)
        # Plain HTTP to the TLS listener is not served.
        url = urllib.parse.urlsplit(self.server.edge_url)
        with socket.create_connection((url.hostname, url.port), timeout=30) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: " + host_of(self.app).encode() + b"\r\n\r\n")
            s.settimeout(30)
            try:
                data = s.recv(4096)
            except (ConnectionResetError, socket.timeout):
                data = b""
            self.assertFalse(data.startswith(b"HTTP/1.1 200"), data)

    def test_2_sighup_reloads_the_certificate_for_new_connections(self):
        # A connection opened before the reload keeps working on its certificate.
        url = urllib.parse.urlsplit(self.server.edge_url)
        ctx = https_context_for(self.first[0])
        before = http.client.HTTPSConnection(url.hostname, url.port, timeout=30, context=ctx)
        try:
            before.request("GET", "/tls/before", headers=dict(service_headers(self.tok), Host=host_of(self.app)))
            resp = before.getresponse()
            resp.read()
            self.assertEqual(resp.status, 200)

            second = self.make("second")
            self.install(second)
            self.sighup_and_wait("SIGHUP: TLS certificate reloaded")
            self.assertEqual(self.peer_cert(), second[2], "a new connection must see the new certificate")
            r, _ = self.https_get(second)
            self.assertEqual(r.status, 200, r)

            before.request("GET", "/tls/before-again",
                           headers=dict(service_headers(self.tok), Host=host_of(self.app)))
            resp = before.getresponse()
            resp.read()
            self.assertEqual(resp.status, 200, "an established connection survives the reload")
        finally:
            before.close()

    def test_3_a_bad_file_on_sighup_keeps_the_current_certificate(self):
        # Whichever certificate is in use now (test_2 may or may not have run).
        shown = self.peer_cert()
        current = next(p for p in self.made if p[2] == shown)
        with open(self.cert_file + ".new", "w") as f:
            f.write("-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n")
        os.replace(self.cert_file + ".new", self.cert_file)
        self.sighup_and_wait("stderr:TLS reload failed")
        self.assertTrue(self.server.running())
        self.assertEqual(self.peer_cert(), current[2])
        r, _ = self.https_get(current)
        self.assertEqual(r.status, 200, r)

        # A certificate that does not match the key is refused the same way.
        third = self.make("third")
        shutil.copyfile(third[0], self.cert_file + ".new")
        os.replace(self.cert_file + ".new", self.cert_file)
        self.sighup_and_wait("stderr:TLS reload failed")
        self.assertEqual(self.peer_cert(), current[2])
        r, _ = self.https_get(current)
        self.assertEqual(r.status, 200, r)


if __name__ == "__main__":
    unittest.main()
