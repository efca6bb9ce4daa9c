"""Durability and shutdown: an acknowledged change survives SIGKILL; SIGTERM finishes
the requests in flight, removes serve.json and exits 0; a restart keeps everything
(DESIGN.md "Storage and durability": a reply of success means the change is on disk)."""

import json
import os
import signal
import socket
import threading
import unittest
import urllib.parse

from gatehouse_server import GatehouseServer, http_request

THREADS = 8
PER_THREAD = 25


def raw_request(method, path, token, body):
    """The bytes of one HTTP/1.1 request with a JSON body (keep-alive)."""
    data = json.dumps(body).encode()
    head = ("%s %s HTTP/1.1\r\nHost: gatehouse\r\nAuthorization: Bearer %s\r\n"
            "Content-Type: application/json\r\nContent-Length: %d\r\nAccept: application/json\r\n\r\n"
            % (method, path, token, len(data))).encode()
    return head, data


def read_response(sock):
    """Reads one complete HTTP/1.1 response (Content-Length framed) from `sock`.
    Returns (status, headers dict lowercased, body bytes); raises if the connection
    ends before the response is complete."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed before a complete response head: %r" % buf[:200])
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed after %d of %d body bytes" % (len(rest), length))
        rest += chunk
    return status, headers, rest[:length]


class DurabilityTest(unittest.TestCase):
    def setUp(self):
        self.server = GatehouseServer().start()
        self.addCleanup(self.server.cleanup)

    def connect(self):
        url = urllib.parse.urlsplit(self.server.admin_url)
        sock = socket.create_connection((url.hostname, url.port), timeout=30)
        return sock

    def test_acknowledged_creates_survive_sigkill(self):
        s = self.server
        path = s.tokens_path()
        acked = {}  # id -> (name, client_id)
        lock = threading.Lock()
        target = THREADS * PER_THREAD
        killed = threading.Event()
        errors = []

        def worker(n):
            i = 0
            # Keep creating until the server is killed, so that requests are in flight
            # at that moment; only acknowledged ones must survive.
            while not killed.is_set():
                name = "burst-%d-%d" % (n, i)
                i += 1
                try:
                    r = http_request(s.admin_url, "POST", path, body={"name": name}, token=s.admin_token)
                except OSError:
                    return  # the server died under this request: not acknowledged
                if r.status in (200, 201) and r.body and r.body.get("success"):
                    with lock:
                        if killed.is_set():
                            # Acknowledged after the kill signal was sent: still
                            # acknowledged, so it must survive too.
                            pass
                        t = r.body["result"]
                        acked[t["id"]] = (t["name"], t["client_id"])
                        if len(acked) >= target and not killed.is_set():
                            s.proc.send_signal(signal.SIGKILL)
                            killed.set()
                else:
                    with lock:
                        errors.append(r)
                    return

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
            self.assertFalse(t.is_alive(), "a worker hung")
        self.assertEqual(errors, [])
        self.assertTrue(killed.is_set(), "the burst never reached %d acknowledgements" % target)
        self.assertEqual(s.wait(), -signal.SIGKILL)
        self.assertGreaterEqual(len(acked), target)

        s.restart()
        stored = {t["id"]: (t["name"], t["client_id"]) for t in s.list_all_tokens()}
        missing = {i: v for i, v in acked.items() if i not in stored}
        self.assertEqual(missing, {}, "%d acknowledged tokens lost after SIGKILL" % len(missing))
        for i, v in acked.items():
            self.assertEqual(stored[i], v)
        # Every acknowledged create also kept its audit event.
        events, _ = s.audit_log()
        audited = {e["resource"]["id"] for e in events if e["action"]["type"] == "service_token.create"}
        self.assertEqual(set(acked) - audited, set())
        # The admin token printed on first start still works after the crash.
        self.assertEqual(s.api("GET", s.acct()).status, 200)

    def test_sigterm_finishes_requests_in_flight(self):
        s = self.server
        path = "/client/v4" + s.tokens_path()
        complete, partial = [], []
        try:
            for i in range(4):
                sock = self.connect()
                # One full exchange first: the server has accepted this connection
                # and waits for the next request on it.
                sock.sendall(b"GET /client/v4" + s.acct().encode() + b" HTTP/1.1\r\nHost: g\r\n"
                             b"Authorization: Bearer " + s.admin_token.encode() + b"\r\n\r\n")
                status, _, _ = read_response(sock)
                self.assertEqual(status, 200)
                (complete if i < 2 else partial).append(sock)
            # Two requests sent whole, not yet answered...
            for i, sock in enumerate(complete):
                head, data = raw_request("POST", path, s.admin_token, {"name": "in-flight-%d" % i})
                sock.sendall(head + data)
            # ...and two whose body is still on its way.
            rests = []
            for i, sock in enumerate(partial):
                head, data = raw_request("POST", path, s.admin_token,
                                         {"name": "half-sent-%d" % i, "pad": "x" * 200_000})
                sock.sendall(head + data[: len(data) // 2])
                rests.append(data[len(data) // 2:])
            s.signal(signal.SIGTERM)
            s.wait_for_line("SIGTERM received")
            for sock, rest in zip(partial, rests):
                sock.sendall(rest)
            names = []
            for sock in complete + partial:
                status, headers, body = read_response(sock)
                self.assertEqual(status, 201, body)
                reply = json.loads(body)
                self.assertTrue(reply["success"])
                names.append(reply["result"]["name"])
            self.assertEqual(sorted(names), ["half-sent-0", "half-sent-1", "in-flight-0", "in-flight-1"])
        finally:
            for sock in complete + partial:
                sock.close()
        self.assertEqual(s.wait(), 0, s.output())
        self.assertIn("gatehouse: stopped", s.stdout_lines)
        self.assertFalse(os.path.exists(os.path.join(s.data_dir, "serve.json")))
        s.start()
        stored = sorted(t["name"] for t in s.list_all_tokens())
        self.assertEqual(stored, ["half-sent-0", "half-sent-1", "in-flight-0", "in-flight-1"])

    def test_sigint_stops_gracefully_too(self):
        s = self.server
        s.signal(signal.SIGINT)
        self.assertEqual(s.wait(), 0, s.output())
        self.assertIn("gatehouse: stopped", s.stdout_lines)
        self.assertFalse(os.path.exists(os.path.join(s.data_dir, "serve.json")))

    def test_restart_after_clean_stop_keeps_everything(self):
        s = self.server
        runtime = os.path.join(s.data_dir, "serve.json")
        with open(runtime) as f:
            info = json.load(f)
        self.assertEqual(info["pid"], s.proc.pid)
        self.assertEqual(info["account_id"], s.account_id)
        self.assertEqual("http://%s/client/v4" % info["admin_listen"], s.admin_url)

        kept = s.create_token("kept", duration="72h")
        forever = s.create_token("forever", duration="forever")
        rotated = s.create_token("rotated")
        s.ok("POST", s.tokens_path("/%s/rotate" % rotated["id"]), {})
        disabled = s.create_token("disabled")
        s.ok("PUT", s.tokens_path("/" + disabled["id"]), {"enabled": False})
        gone = s.create_token("gone")
        s.ok("DELETE", s.tokens_path("/" + gone["id"]))
        r = s.api("POST", s.acct("/tokens"), {"name": "reader", "scope": "read"})
        self.assertEqual(r.status, 201, r)
        reader = r.body["result"]["value"]

        tokens_before = s.list_all_tokens()
        audit_before, count_before = s.audit_log()
        api_tokens_before = s.ok("GET", s.acct("/tokens"))
        first_token, account = s.admin_token, s.account_id

        self.assertEqual(s.stop(), 0, s.output())
        self.assertIn("gatehouse: stopped", s.stdout_lines)
        self.assertFalse(os.path.exists(runtime))

        s.start()
        self.assertIsNone(s.printed_admin_token, "the admin token must be printed on first start only")
        self.assertEqual(s.admin_token, first_token)
        self.assertEqual(s.account_id, account)
        self.assertTrue(os.path.exists(runtime))
        self.assertEqual(s.list_all_tokens(), tokens_before)
        audit_after, count_after = s.audit_log()
        self.assertEqual(count_after, count_before)
        self.assertEqual(audit_after, audit_before)
        self.assertEqual(s.ok("GET", s.acct("/tokens")), api_tokens_before)
        self.assertEqual(s.api("GET", s.tokens_path(), token=reader).status, 200)
        self.assertEqual(s.api("POST", s.tokens_path(), {"name": "x"}, token=reader).status, 403)
        ids = {t["id"] for t in tokens_before}
        self.assertEqual(ids, {kept["id"], forever["id"], rotated["id"], disabled["id"]})
        by_id = {t["id"]: t for t in tokens_before}
        self.assertEqual(by_id[rotated["id"]]["client_secret_version"], 2)
        self.assertFalse(by_id[disabled["id"]]["enabled"])
        self.assertIsNone(by_id[forever["id"]]["expires_at"])


if __name__ == "__main__":
    unittest.main()
