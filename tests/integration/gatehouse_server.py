"""Start a real `gatehouse serve` for integration tests and talk to it over HTTP.

Stdlib only. The binary comes from $GATEHOUSE_BIN (ctest sets it), else the debug
build next to the sources. Every server gets a fresh temporary data dir and port 0
listeners, so tests can run in parallel with each other and with other builds.

Nothing here sleeps to wait for the server: start-up waits on the "gatehouse: ready"
line of stdout (with a deadline), shutdown waits on process exit (with a deadline).
"""

import calendar
import http.client
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.parse
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_BIN = os.path.join(HERE, "..", "..", "build", "debug", "src", "gatehouse")

START_TIMEOUT = 30.0   # seconds; sanitizer builds start slowly on a loaded machine
STOP_TIMEOUT = 30.0
HTTP_TIMEOUT = 30.0
CLI_TIMEOUT = 60.0

_DEFAULT = object()  # "use the server's admin token"

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def gatehouse_bin():
    path = os.environ.get("GATEHOUSE_BIN") or DEFAULT_BIN
    path = os.path.abspath(path)
    if not os.access(path, os.X_OK):
        raise RuntimeError("gatehouse binary not found at %s (set GATEHOUSE_BIN)" % path)
    return path


def clean_env(extra=None):
    """The caller's environment without GATEHOUSE_* (so a developer's settings never
    leak into a test), plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEHOUSE_")}
    # Sanitizer builds: report leaks but keep the exit status meaningful for the
    # tests that assert it (a leak is still printed on stderr and shown on failure).
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    if extra:
        env.update(extra)
    return env


def checksummed(prefix, body):
    """A well-formed secret: prefix + 40 base62 + 8 hex CRC-32 (IEEE) of the rest,
    the format of src/core/ids.cpp. Used to build well-formed but unknown tokens."""
    assert len(body) == 40 and all(c in BASE62 for c in body)
    s = prefix + body
    return s + "%08x" % (zlib.crc32(s.encode()) & 0xFFFFFFFF)


def rfc3339(epoch_seconds):
    """Epoch seconds (float) -> RFC 3339 UTC with microseconds."""
    whole = int(epoch_seconds // 1)
    micros = int(round((epoch_seconds - whole) * 1_000_000))
    if micros == 1_000_000:
        whole, micros = whole + 1, 0
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + ".%06dZ" % micros


_RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def parse_rfc3339(text):
    """RFC 3339 -> epoch seconds (float), microsecond precision."""
    m = _RFC3339.match(text)
    if not m:
        raise ValueError("not RFC 3339: %r" % (text,))
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    t = calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0))
    if m.group(7):
        t += int((m.group(7)[1:] + "000000")[:6]) / 1_000_000
    tz = m.group(8)
    if tz not in ("Z", "z"):
        sign = 1 if tz[0] == "+" else -1
        t -= sign * (int(tz[1:3]) * 3600 + int(tz[4:6]) * 60)
    return t


class ServerFailed(AssertionError):
    pass


# A sanitizer build aborts on the first report (-fno-sanitize-recover); this names
# the report in the failure instead of leaving only an exit status.
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")


def sanitizer_report(text):
    return next((m for m in SANITIZER_MARKERS if m in text), None)


class Reply:
    """One HTTP reply: status, headers (case-insensitive), parsed JSON (or None), raw bytes."""

    def __init__(self, status, headers, body, raw):
        self.status = status
        self.headers = headers
        self.body = body
        self.raw = raw

    def __iter__(self):  # status, headers, body = server.api(...)
        return iter((self.status, self.headers, self.body))

    def __repr__(self):
        return "Reply(%d, %s)" % (self.status, self.raw[:500])


def http_request(base_url, method, path, body=None, token=None, headers=None, raw_body=None,
                 content_type=_DEFAULT, timeout=HTTP_TIMEOUT):
    """One request on a fresh connection. `body` is serialised as JSON; `raw_body`
    (bytes or str) is sent as is. Returns a Reply."""
    url = urllib.parse.urlsplit(base_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        hdrs = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
        elif raw_body is not None:
            data = raw_body.encode() if isinstance(raw_body, str) else raw_body
        if data is not None:
            if content_type is _DEFAULT:
                hdrs["Content-Type"] = "application/json"
            elif content_type is not None:
                hdrs["Content-Type"] = content_type
        if token is not None:
            hdrs["Authorization"] = "Bearer " + token
        if headers:
            hdrs.update(headers)
        conn.request(method, url.path.rstrip("/") + path, body=data, headers=hdrs)
        resp = conn.getresponse()
        raw = resp.read()
        parsed = None
        if raw and "json" in (resp.getheader("Content-Type") or ""):
            parsed = json.loads(raw)
        return Reply(resp.status, resp.headers, parsed, raw)
    finally:
        conn.close()


class GatehouseServer:
    """A `gatehouse serve` process on a temporary data dir.

    Attributes after start(): admin_url ("http://127.0.0.1:P/client/v4"), admin_base
    ("http://127.0.0.1:P"), edge_url, account_id, admin_token, data_dir, proc.
    """

    def __init__(self, data_dir=None, args=None, env=None, keep_data_dir=False):
        self.binary = gatehouse_bin()
        self._own_dir = data_dir is None
        self._tmp = tempfile.mkdtemp(prefix="gatehouse-it-") if data_dir is None else None
        self.data_dir = data_dir or os.path.join(self._tmp, "data")
        self.args = list(args) if args is not None else [
            "--data-dir", self.data_dir, "--admin-listen", "127.0.0.1:0", "--edge-listen", "127.0.0.1:0"]
        self.env = env
        self.keep_data_dir = keep_data_dir
        self.proc = None
        self.admin_url = self.admin_base = self.edge_url = None
        self.account_id = None
        self.admin_token = None
        self.printed_admin_token = None
        self.stdout_lines = []
        self.stderr_lines = []
        self._lines = None
        self._threads = []

    # ---- lifecycle

    def start(self, timeout=START_TIMEOUT):
        assert self.proc is None or self.proc.poll() is not None, "already running"
        self.stdout_lines, self.stderr_lines = [], []
        self.printed_admin_token = None  # set only by a first start
        self._lines = queue.Queue()
        self.proc = subprocess.Popen([self.binary, "serve"] + self.args, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env(self.env),
                                     text=True, bufsize=1)
        self._threads = [
            threading.Thread(target=self._pump, args=(self.proc.stdout, self.stdout_lines, self._lines), daemon=True),
            threading.Thread(target=self._pump, args=(self.proc.stderr, self.stderr_lines, None), daemon=True),
        ]
        for t in self._threads:
            t.start()
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise ServerFailed("gatehouse did not print 'gatehouse: ready' within %.0fs\n%s" % (timeout, self.output()))
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:  # stdout closed: the process is exiting
                code = self.proc.wait(timeout=STOP_TIMEOUT)
                self._join_pumps()
                raise ServerFailed("gatehouse exited with %s before it was ready\n%s" % (code, self.output()))
            self._parse_line(line)
            if line.strip() == "gatehouse: ready":
                break
        if not (self.admin_url and self.edge_url and self.account_id):
            self.kill()
            raise ServerFailed("gatehouse was ready without printing its addresses\n%s" % self.output())
        return self

    def _parse_line(self, line):
        s = line.strip()
        m = re.match(r"^account\s+([0-9a-f]{32})$", s)
        if m:
            self.account_id = m.group(1)
        m = re.match(r"^admin API\s+(http://\S+)$", s)
        if m:
            self.admin_url = m.group(1)
            self.admin_base = self.admin_url[: -len("/client/v4")] if self.admin_url.endswith("/client/v4") else self.admin_url
        m = re.match(r"^edge\s+(http://\S+)$", s)
        if m:
            self.edge_url = m.group(1)
        if re.match(r"^gat_[0-9A-Za-z]{40}[0-9a-f]{8}$", s):
            self.admin_token = self.printed_admin_token = s

    @staticmethod
    def _pump(stream, sink, lines):
        for line in stream:
            line = line.rstrip("\n")
            sink.append(line)
            if lines is not None:
                lines.put(line)
        if lines is not None:
            lines.put(None)

    def _join_pumps(self):
        for t in self._threads:
            t.join(timeout=STOP_TIMEOUT)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream and not any(t.is_alive() for t in self._threads):
                stream.close()

    def wait_for_line(self, text, timeout=STOP_TIMEOUT):
        """Waits until stdout prints a line containing `text` (after start())."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ServerFailed("no stdout line containing %r within %.0fs\n%s" % (text, timeout, self.output()))
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                raise ServerFailed("stdout closed before a line containing %r\n%s" % (text, self.output()))
            if text in line:
                return line

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig):
        self.proc.send_signal(sig)

    def wait(self, timeout=STOP_TIMEOUT):
        """Waits for exit; returns the exit code (negative = killed by that signal)."""
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            self._join_pumps()
            raise ServerFailed("gatehouse did not exit within %.0fs\n%s" % (timeout, self.output()))
        self._join_pumps()
        return code

    def stop(self, timeout=STOP_TIMEOUT):
        """SIGTERM and wait; returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.wait(timeout)

    def kill(self):
        """SIGKILL and wait; returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.kill()
        code = self.proc.wait(timeout=STOP_TIMEOUT)
        self._join_pumps()
        return code

    def restart(self, timeout=START_TIMEOUT):
        """Stops (if running) and starts again on the same data dir; the admin token
        printed on first start stays valid and is kept."""
        if self.running():
            self.stop()
        self.admin_url = self.admin_base = self.edge_url = None
        return self.start(timeout)

    def cleanup(self):
        if self.running():
            self.kill()
        if self._tmp and not self.keep_data_dir:
            shutil.rmtree(self._tmp, ignore_errors=True)
        if sanitizer_report("\n".join(self.stderr_lines)):
            raise ServerFailed("gatehouse serve reported a sanitizer error\n" + self.output())

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()

    def output(self):
        return "--- stdout ---\n%s\n--- stderr ---\n%s" % ("\n".join(self.stdout_lines), "\n".join(self.stderr_lines))

    # ---- HTTP

    def api(self, method, path, body=None, token=_DEFAULT, headers=None, raw_body=None, content_type=_DEFAULT):
        """A request to the admin API; `path` is relative to /client/v4 ("/accounts/…").
        token=None sends no Authorization header. Returns Reply (status, headers, body)."""
        if token is _DEFAULT:
            token = self.admin_token
        return http_request(self.admin_url, method, path, body=body, token=token, headers=headers,
                            raw_body=raw_body, content_type=content_type)

    def acct(self, suffix=""):
        """/accounts/{account_id}{suffix}"""
        return "/accounts/%s%s" % (self.account_id, suffix)

    def tokens_path(self, suffix=""):
        return self.acct("/access/service_tokens" + suffix)

    # Convenience wrappers that assert success.

    def ok(self, method, path, body=None, token=_DEFAULT, expect=(200, 201), **kw):
        r = self.api(method, path, body=body, token=token, **kw)
        if r.status not in expect or not (r.body or {}).get("success"):
            raise AssertionError("%s %s -> %d %s" % (method, path, r.status, r.raw[:2000]))
        return r.body["result"]

    def create_token(self, name, **fields):
        body = {"name": name}
        body.update(fields)
        return self.ok("POST", self.tokens_path(), body)

    def list_all_tokens(self):
        out, page = [], 1
        while True:
            r = self.ok("GET", self.tokens_path("?per_page=1000&page=%d" % page))
            if not r:
                return out
            out.extend(r)
            page += 1

    def audit_log(self):
        """Every audit event, newest first."""
        out, page = [], 1
        while True:
            r = self.api("GET", self.acct("/audit_logs?per_page=1000&page=%d" % page))
            assert r.status == 200, r
            if not r.body["result"]:
                return out, r.body["result_info"]["total_count"]
            out.extend(r.body["result"])
            page += 1

    def audit_count(self):
        r = self.api("GET", self.acct("/audit_logs?per_page=1"))
        assert r.status == 200, r
        return r.body["result_info"]["total_count"]

    # ---- CLI against this server / data dir

    def cli(self, *args, env=None, timeout=CLI_TIMEOUT, input=None):
        return run_cli(*args, env=env, timeout=timeout, input=input)

    def cli_api_env(self, token=_DEFAULT):
        """GATEHOUSE_ADDR/GATEHOUSE_TOKEN for `gatehouse token …` against this server."""
        return {"GATEHOUSE_ADDR": self.admin_base, "GATEHOUSE_TOKEN": self.admin_token if token is _DEFAULT else token}


def run_cli(*args, env=None, timeout=CLI_TIMEOUT, input=None):
    """Runs `gatehouse ARGS…` with a clean environment plus `env`; returns CompletedProcess."""
    r = subprocess.run([gatehouse_bin()] + [str(a) for a in args], env=clean_env(env), capture_output=True,
                       text=True, timeout=timeout, input=input, stdin=None if input is not None else subprocess.DEVNULL)
    if sanitizer_report(r.stderr):
        raise ServerFailed("gatehouse %s reported a sanitizer error:\n%s" % (" ".join(map(str, args)), r.stderr))
    return r
