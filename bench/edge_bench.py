#!/usr/bin/env python3
"""Gatehouse against nginx, side by side in one run (docs/performance.md).

Starts, on loopback:
  - an origin nginx (1 worker) pinned with the load generator to the load CPU:
    :origin answers 200 "origin-ok", :sidecar answers 204 (the cheapest possible
    auth side-car);
  - a front nginx (1 worker) pinned to the front CPU with the references:
    `return 204`, a plain reverse proxy, auth_request -> 204 side-car + proxy, and
    auth_request -> Gatehouse forward-auth + proxy (scenario 4);
  - `gatehouse serve` (one edge thread) pinned to the front CPU, on a fresh data dir
    with one app protecting the origin and a service token allowed by its policy.
Then runs wrk (pinned to the load CPU) on every scenario, interleaved across
repetitions, and measures the CPU time the front processes used per request.

Scenarios (issue 6):
  1 token headers -> origin            vs nginx plain proxy
  2 CF_Authorization cookie -> origin   vs nginx plain proxy
  3 forward-auth decision only          vs nginx return 204
  4 nginx auth_request -> Gatehouse -> origin, vs (1) and nginx + 204 side-car
  5 refused credentials (403)
  6 1,000,000 tokens: start-up time, resident memory, then (1) again
  7 admin API: durable token creations per second, 16 concurrent clients

Only the Python standard library, nginx, wrk and taskset are needed
(scripts/install-deps.sh --bench installs them).
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
APP_HOST = "app.bench.test"
HZ = os.sysconf("SC_CLK_TCK")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def die(msg):
    log("edge_bench: " + msg)
    sys.exit(2)


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout=30.0, headers=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            req = urllib.request.Request(url, headers=headers or {})
            urllib.request.urlopen(req, timeout=1).read()
            return True
        except urllib.error.HTTPError:
            return True  # it answers
        except OSError:
            time.sleep(0.05)
    return False


# ---------------------------------------------------------------- processes and CPU


class Pinned:
    """A process started in its own process group, pinned to one CPU."""

    def __init__(self, name, cpu, argv, tmp, env=None, stdout=None):
        self.name = name
        self.log_path = os.path.join(tmp, name + ".log")
        out = stdout if stdout is not None else open(self.log_path, "w")
        self.proc = subprocess.Popen(["taskset", "-c", str(cpu)] + argv, stdin=subprocess.DEVNULL, stdout=out,
                                     stderr=subprocess.STDOUT if stdout is None else subprocess.PIPE,
                                     start_new_session=True, env=env)
        self.pgid = self.proc.pid

    def ticks(self):
        """utime+stime of every process in the group (nginx master + worker)."""
        total = 0
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % pid) as f:
                    fields = f.read().rsplit(") ", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[2]) == self.pgid:
                total += int(fields[11]) + int(fields[12])
        return total

    def rss_kib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.pgid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.pgid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait()


# ---------------------------------------------------------------- nginx

NGINX_COMMON = """
    access_log off;
    default_type text/plain;
    keepalive_requests 1000000;
    keepalive_timeout 75s;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
"""

PROXY = 'proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection "";'


def nginx_conf(name, tmp, servers, upstreams=""):
    user = "user root;" if os.getuid() == 0 else ""
    d = os.path.join(tmp, name)
    os.makedirs(d, exist_ok=True)
    conf = """{user}
worker_processes 1;
daemon off;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 4096; }}
http {{
{common}
{upstreams}
{servers}
}}
""".format(user=user, d=d, common=NGINX_COMMON.format(tmp=d), upstreams=upstreams, servers=servers)
    path = os.path.join(tmp, name + ".conf")
    with open(path, "w") as f:
        f.write(conf)
    return path


def start_nginx(name, cpu, conf, tmp):
    subprocess.run(["nginx", "-t", "-q", "-p", tmp + "/", "-e", os.path.join(tmp, name + ".err"), "-c", conf],
                   check=True)
    return Pinned(name, cpu, ["nginx", "-p", tmp + "/", "-e", os.path.join(tmp, name + ".err"), "-c", conf], tmp)


# ---------------------------------------------------------------- gatehouse


class Gatehouse:
    def __init__(self, binary, cpu, tmp, data_dir, edge_port, admin_port):
        self.binary, self.cpu, self.tmp, self.data_dir = binary, cpu, tmp, data_dir
        self.edge_port, self.admin_port = edge_port, admin_port
        self.admin_url = "http://127.0.0.1:%d/client/v4" % admin_port
        self.edge_url = "http://127.0.0.1:%d" % edge_port
        self.token = None
        self.account = None
        self.proc = None
        self.startup_seconds = None

    def start(self):
        argv = [self.binary, "serve", "--data-dir", self.data_dir, "--admin-listen", "127.0.0.1:%d" % self.admin_port,
                "--edge-listen", "127.0.0.1:%d" % self.edge_port, "--edge-threads", "1"]
        t0 = time.monotonic()
        self.proc = Pinned("gatehouse", self.cpu, argv, self.tmp, stdout=subprocess.PIPE)
        lines = []
        for raw in self.proc.proc.stdout:
            line = raw.decode().strip()
            lines.append(line)
            m = re.match(r"^account\s+([0-9a-f]{32})$", line)
            if m:
                self.account = m.group(1)
            if re.match(r"^gat_[0-9A-Za-z]{40}[0-9a-f]{8}$", line):
                self.token = line
            if line == "gatehouse: ready":
                break
        else:
            die("gatehouse exited before it was ready:\n" + "\n".join(lines) + self.proc.proc.stderr.read().decode())
        self.startup_seconds = time.monotonic() - t0
        # Keep draining its output so it never blocks on a full pipe.
        for stream in (self.proc.proc.stdout, self.proc.proc.stderr):
            threading.Thread(target=lambda s=stream: [None for _ in s], daemon=True).start()

    def stop(self):
        if self.proc:
            self.proc.stop()

    def api(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.admin_url + "/accounts/" + self.account + path, data=data, method=method,
                                     headers={"Authorization": "Bearer " + self.token,
                                              "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return json.loads(r.read())["result"]
        except urllib.error.HTTPError as e:
            die("%s %s -> %d %s" % (method, path, e.code, e.read()[:400]))


def prepare_gatehouse(gh, origin_url):
    """One service token, one app protecting the origin with a policy that allows it."""
    tok = gh.api("POST", "/access/service_tokens", {"name": "bench", "duration": "8760h"})
    gh.api("POST", "/access/apps", {
        "type": "self_hosted", "name": "bench", "domain": APP_HOST, "origin": origin_url,
        "policies": [{"name": "bench token", "decision": "non_identity",
                      "include": [{"service_token": {"token_id": tok["id"]}}]}]})
    return tok


def fetch_cookie(gh, tok):
    req = urllib.request.Request(gh.edge_url + "/", headers={
        "Host": APP_HOST, "CF-Access-Client-Id": tok["client_id"], "CF-Access-Client-Secret": tok["client_secret"]})
    with urllib.request.urlopen(req, timeout=5) as r:
        for k, v in r.getheaders():
            if k.lower() == "set-cookie" and v.startswith("CF_Authorization="):
                return v.split(";", 1)[0]
    die("the edge answered without a CF_Authorization cookie")


def seed_tokens(data_dir, template_id, count):
    """Adds `count` tokens to the store, copies of an API-created one with their own id,
    client id, name and secret hash: the bench measures the edge with a big store, not
    the admin API (scenario 7 does that). One transaction, so it takes seconds."""
    db = sqlite3.connect(os.path.join(data_dir, "gatehouse.db"))
    cols = [r[1] for r in db.execute("PRAGMA table_info(service_tokens)")]
    for needed in ("id", "client_id", "name", "secret_hash"):
        if needed not in cols:
            die("service_tokens has no column %r: seed_tokens needs updating" % needed)
    row = db.execute("SELECT %s FROM service_tokens WHERE id = ?" % ",".join(cols), (template_id,)).fetchone()
    if row is None:
        die("template token %s not found in the store" % template_id)
    idx = {c: i for i, c in enumerate(cols)}
    sql = "INSERT INTO service_tokens (%s) VALUES (%s)" % (",".join(cols), ",".join("?" * len(cols)))

    def rows():
        base = list(row)
        for n in range(count):
            r = list(base)
            r[idx["id"]] = str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))
            r[idx["client_id"]] = secrets.token_hex(16) + ".access"
            r[idx["name"]] = "seed-%07d" % n
            r[idx["secret_hash"]] = hashlib.sha256(secrets.token_bytes(24)).hexdigest()
            yield r

    with db:
        db.executemany(sql, rows())
    db.close()


# ---------------------------------------------------------------- wrk


def parse_wrk(text):
    def ms(s):
        m = re.match(r"([\d.]+)(us|ms|s|m)$", s)
        if not m:
            return float("nan")
        v, u = float(m.group(1)), m.group(2)
        return {"us": v / 1000, "ms": v, "s": v * 1000, "m": v * 60000}[u]

    out = {"rps": 0.0, "p50": float("nan"), "p99": float("nan"), "non2xx": 0, "errors": 0}
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("Requests/sec:"):
            out["rps"] = float(s.split()[1])
        elif s.startswith("50%"):
            out["p50"] = ms(s.split()[1])
        elif s.startswith("99%"):
            out["p99"] = ms(s.split()[1])
        elif s.startswith("Non-2xx or 3xx responses:"):
            out["non2xx"] = int(s.split()[-1])
        elif s.startswith("Socket errors:"):
            out["errors"] = sum(int(x) for x in re.findall(r"\d+", s))
    return out


class Scenario:
    def __init__(self, key, label, url, headers, groups, expect=200, allow_non2xx=False):
        self.key, self.label, self.url, self.headers = key, label, url, headers
        self.groups = groups  # Pinned processes whose CPU is "the front"
        self.expect = expect
        self.allow_non2xx = allow_non2xx
        self.runs = []
        self.profile_pid = None  # the Gatehouse process, profiled with --perf


def probe(sc):
    req = urllib.request.Request(sc.url, headers=dict(h.split(": ", 1) for h in sc.headers))
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            code = r.status
    except urllib.error.HTTPError as e:
        code = e.code
    if code != sc.expect:
        die("sanity probe %s: %s answered %d, expected %d" % (sc.label, sc.url, code, sc.expect))


def run_wrk(sc, args, duration):
    cmd = ["taskset", "-c", str(args.load_cpu), "wrk", "-t1", "-c%d" % args.connections, "--latency"]
    for h in sc.headers:
        cmd += ["-H", h]
    if args.warmup > 0:
        subprocess.run(cmd + ["-d%ds" % args.warmup, sc.url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    perf = None
    if args.perf and sc.profile_pid:
        # Profiles distort the figures: --perf is for finding where the time goes.
        os.makedirs(args.perf, exist_ok=True)
        perf = subprocess.Popen(["perf", "record", "-q", "-e", "cpu-clock", "-g", "-p", str(sc.profile_pid), "-o",
                                 os.path.join(args.perf, "scenario-%s.data" % sc.key)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = sum(g.ticks() for g in sc.groups)
    out = subprocess.run(cmd + ["-d%ds" % duration, sc.url], capture_output=True, text=True)
    t1 = sum(g.ticks() for g in sc.groups)
    if perf:
        perf.send_signal(signal.SIGINT)
        perf.wait()
    r = parse_wrk(out.stdout)
    if r["rps"] == 0:
        die("wrk failed on %s:\n%s%s" % (sc.label, out.stdout, out.stderr))
    total = r["rps"] * duration
    r["cpu_us"] = (t1 - t0) / HZ * 1e6 / total if total else float("nan")
    if not sc.allow_non2xx and r["non2xx"]:
        die("%s: %d responses were not 2xx/3xx" % (sc.label, r["non2xx"]))
    sc.runs.append(r)
    log("  %-34s %9.0f req/s  p50 %6.3f ms  p99 %6.3f ms  front %5.1f µs/req" %
        (sc.label, r["rps"], r["p50"], r["p99"], r["cpu_us"]))
    return r


def med(sc, field):
    return statistics.median(r[field] for r in sc.runs)


# ---------------------------------------------------------------- admin creations (7)


def bench_creations(gh, clients, seconds):
    """16 clients, each on its own keep-alive connection, creating tokens in a loop.
    A creation counts once the API answered 200: it is then durable (fsync'd)."""
    import http.client
    stop_at = time.monotonic() + seconds
    path = "/client/v4/accounts/%s/access/service_tokens" % gh.account
    headers = {"Authorization": "Bearer " + gh.token, "Content-Type": "application/json"}
    latencies = []
    lock = threading.Lock()
    failures = []

    def client(n):
        conn = http.client.HTTPConnection("127.0.0.1", gh.admin_port, timeout=30)
        mine = []
        i = 0
        while time.monotonic() < stop_at:
            body = json.dumps({"name": "create-%d-%d" % (n, i), "duration": "8760h"})
            t = time.monotonic()
            conn.request("POST", path, body=body, headers=headers)
            resp = conn.getresponse()
            resp.read()
            if resp.status not in (200, 201):
                failures.append(resp.status)
                break
            mine.append(time.monotonic() - t)
            i += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    t0 = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    if failures:
        die("token creation failed with status %s" % failures[0])
    latencies.sort()
    return {"per_s": len(latencies) / elapsed, "count": len(latencies),
            "p50": latencies[len(latencies) // 2] * 1000, "p99": latencies[int(len(latencies) * 0.99)] * 1000}


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(ROOT, "build/release/src/gatehouse"))
    ap.add_argument("-r", "--reps", type=int, default=3, help="repetitions, interleaved (default 3)")
    ap.add_argument("-d", "--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    ap.add_argument("-c", "--connections", type=int, default=64, help="wrk connections (default 64)")
    ap.add_argument("-w", "--warmup", type=int, default=2, help="untimed wrk seconds before each run (default 2)")
    ap.add_argument("--front-cpu", type=int, default=1)
    ap.add_argument("--load-cpu", type=int, default=0)
    ap.add_argument("--tokens", type=int, default=1_000_000, help="store size for scenario 6 (default 1,000,000)")
    ap.add_argument("--scenarios", default="1,2,3,4,5,6,7", help="which scenarios (default all)")
    ap.add_argument("--create-clients", type=int, default=16)
    ap.add_argument("--create-seconds", type=int, default=10)
    ap.add_argument("--json", help="also write the results here")
    ap.add_argument("--perf", metavar="DIR", help="record a perf profile of Gatehouse in each scenario into DIR")
    ap.add_argument("--no-refs", action="store_true", help="skip the nginx references (profiling runs)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()
    wanted = set(args.scenarios.split(","))
    for tool in ("nginx", "wrk", "taskset"):
        if shutil.which(tool) is None:
            die("%s not found: run scripts/install-deps.sh --bench" % tool)
    if not os.access(args.binary, os.X_OK):
        die("no gatehouse binary at %s: build it first (make build)" % args.binary)

    tmp = tempfile.mkdtemp(prefix="gatehouse-bench-")
    procs = []
    try:
        results = run(args, wanted, tmp, procs)
    finally:
        for p in reversed(procs):
            p.stop()
        if args.keep:
            log("kept " + tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


def run(args, wanted, tmp, procs):
    ports = {k: free_port() for k in ("origin", "sidecar", "n204", "nproxy", "nside", "nfwd", "edge", "admin")}
    origin_conf = nginx_conf("origin", tmp, """
    server {{ listen 127.0.0.1:{origin}; location / {{ return 200 "origin-ok\\n"; }} }}
    server {{ listen 127.0.0.1:{sidecar}; location / {{ return 204; }} }}
""".format(**ports))
    front_conf = nginx_conf("front", tmp, """
    server {{ listen 127.0.0.1:{n204}; location / {{ return 204; }} }}
    server {{ listen 127.0.0.1:{nproxy}; location / {{ {proxy} }} }}
    server {{
        listen 127.0.0.1:{nside};
        location / {{ auth_request /_auth; {proxy} }}
        location = /_auth {{
            internal;
            proxy_pass http://sidecar; proxy_http_version 1.1; proxy_set_header Connection "";
            proxy_pass_request_body off; proxy_set_header Content-Length "";
            proxy_set_header X-Original-URI $request_uri;
        }}
    }}
    # docs/edge-forward-auth-nginx.conf, with the bench's addresses.
    server {{
        listen 127.0.0.1:{nfwd};
        location / {{
            auth_request /.gatehouse-authorize;
            auth_request_set $gatehouse_jwt $upstream_http_cf_access_jwt_assertion;
            proxy_set_header Cf-Access-Jwt-Assertion $gatehouse_jwt;
            auth_request_set $gatehouse_cookie $upstream_http_set_cookie;
            add_header Set-Cookie $gatehouse_cookie;
            proxy_set_header CF-Access-Client-Secret "";
            proxy_set_header Host $host;
            {proxy}
        }}
        location = /.gatehouse-authorize {{
            internal;
            proxy_pass http://gatehouse_edge/cdn-cgi/access/authorize;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header X-Forwarded-Host $host;
            proxy_set_header X-Forwarded-Uri $request_uri;
            proxy_set_header X-Forwarded-Method $request_method;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }}
    }}
""".format(proxy=PROXY, **ports), upstreams="""
    upstream origin {{ server 127.0.0.1:{origin}; keepalive 64; keepalive_requests 1000000; }}
    upstream sidecar {{ server 127.0.0.1:{sidecar}; keepalive 64; keepalive_requests 1000000; }}
    upstream gatehouse_edge {{ server 127.0.0.1:{edge}; keepalive 64; keepalive_requests 1000000; }}
""".format(**ports))
    origin = start_nginx("origin", args.load_cpu, origin_conf, tmp)
    procs.append(origin)
    front = start_nginx("front", args.front_cpu, front_conf, tmp)
    procs.append(front)
    origin_url = "http://127.0.0.1:%d" % ports["origin"]
    if not wait_http(origin_url) or not wait_http("http://127.0.0.1:%d/" % ports["n204"]):
        die("nginx did not start (see %s)" % tmp)

    data_dir = os.path.join(tmp, "data")
    gh = Gatehouse(args.binary, args.front_cpu, tmp, data_dir, ports["edge"], ports["admin"])
    gh.start()
    procs.append(gh)
    tok = prepare_gatehouse(gh, origin_url)
    cookie = fetch_cookie(gh, tok)
    creds = ["CF-Access-Client-Id: " + tok["client_id"], "CF-Access-Client-Secret: " + tok["client_secret"]]
    host = ["Host: " + APP_HOST]
    bad = ["CF-Access-Client-Id: " + tok["client_id"], "CF-Access-Client-Secret: " + "x" * 64]
    edge = gh.edge_url + "/"

    def scenarios(gh):
        ghp = gh.proc
        s = {
            "ref204": Scenario("ref204", "nginx return 204", "http://127.0.0.1:%d/" % ports["n204"], [], [front],
                               expect=204),
            "refproxy": Scenario("refproxy", "nginx plain proxy", "http://127.0.0.1:%d/" % ports["nproxy"], [],
                                 [front]),
            "refside": Scenario("refside", "nginx auth_request + 204 side-car", "http://127.0.0.1:%d/" % ports["nside"],
                                [], [front]),
        }
        if "1" in wanted:
            s["1"] = Scenario("1", "(1) gatehouse token headers", edge, host + creds, [ghp])
        if "2" in wanted:
            s["2"] = Scenario("2", "(2) gatehouse cookie", edge, host + ["Cookie: " + cookie], [ghp])
        if "3" in wanted:
            s["3"] = Scenario("3", "(3) gatehouse forward-auth only", gh.edge_url + "/cdn-cgi/access/authorize",
                              creds + ["X-Forwarded-Host: " + APP_HOST, "X-Forwarded-Uri: /",
                                       "X-Forwarded-Method: GET", "X-Forwarded-Proto: http"], [ghp])
        if "4" in wanted:
            s["4"] = Scenario("4", "(4) nginx auth_request -> gatehouse", "http://127.0.0.1:%d/" % ports["nfwd"],
                              host + creds, [front, ghp])
        if "5" in wanted:
            s["5"] = Scenario("5", "(5) gatehouse refused (403)", edge, host + bad, [ghp], expect=403,
                              allow_non2xx=True)
        for x in s.values():
            if ghp in x.groups:
                x.profile_pid = ghp.proc.pid
        return s

    results = {"machine": machine(), "args": vars(args), "scenarios": {}}
    sc = scenarios(gh)
    edge_keys = [k for k in ("1", "2", "3", "4", "5") if k in sc]
    if edge_keys:
        for s in sc.values():
            probe(s)
        order = ([] if args.no_refs else ["refproxy", "ref204", "refside"]) + edge_keys
        for rep in range(args.reps):
            log("# rep %d/%d  loadavg %s" % (rep + 1, args.reps, open("/proc/loadavg").read().split()[0]))
            for k in order:
                run_wrk(sc[k], args, args.duration)
        for k in order:
            results["scenarios"][k] = summary(sc[k])

    if "7" in wanted:
        log("# (7) admin API: token creations, %d clients, %d s" % (args.create_clients, args.create_seconds))
        runs = []
        for rep in range(args.reps):
            r = bench_creations(gh, args.create_clients, args.create_seconds)
            log("  creations: %.0f/s (p50 %.1f ms, p99 %.1f ms, %d created)" % (r["per_s"], r["p50"], r["p99"],
                                                                                 r["count"]))
            runs.append(r)
        results["scenarios"]["7"] = {k: statistics.median(r[k] for r in runs) for k in ("per_s", "p50", "p99")}

    if "6" in wanted:
        base_rss = gh.proc.rss_kib()
        base_start = gh.startup_seconds
        gh.stop()
        procs.remove(gh)
        log("# (6) seeding %d tokens into the store" % args.tokens)
        t0 = time.monotonic()
        seed_tokens(data_dir, tok["id"], args.tokens)
        log("  seeded in %.1f s" % (time.monotonic() - t0))
        gh6 = Gatehouse(args.binary, args.front_cpu, tmp, data_dir, ports["edge"], ports["admin"])
        gh6.token, gh6.account = gh.token, gh.account
        gh6.start()
        procs.append(gh6)
        wait_http(gh6.edge_url + "/", headers={"Host": APP_HOST})
        rss = gh6.proc.rss_kib()
        log("  start-up %.2f s (small store: %.2f s), resident %.0f MiB (small store: %.0f MiB)" %
            (gh6.startup_seconds, base_start, rss / 1024, base_rss / 1024))
        s6 = Scenario("6", "(6) token headers, %d tokens" % args.tokens, edge, host + creds, [gh6.proc])
        s6.profile_pid = gh6.proc.proc.pid
        probe(s6)
        refproxy = sc["refproxy"]
        for rep in range(args.reps):
            run_wrk(refproxy, args, args.duration)
            run_wrk(s6, args, args.duration)
        results["scenarios"]["6"] = dict(summary(s6), startup_s=gh6.startup_seconds, rss_mib=rss / 1024,
                                         small_startup_s=base_start, small_rss_mib=base_rss / 1024)
        results["scenarios"]["refproxy"] = summary(refproxy)
    print_table(results)
    return results


def summary(sc):
    return {"label": sc.label, "rps": med(sc, "rps"), "p50": med(sc, "p50"), "p99": med(sc, "p99"),
            "cpu_us": med(sc, "cpu_us"), "rps_min": min(r["rps"] for r in sc.runs),
            "rps_max": max(r["rps"] for r in sc.runs), "runs": len(sc.runs)}


def machine():
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    nginx_v = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
    return {"cpus": os.cpu_count(), "model": model, "kernel": os.uname().release, "nginx": nginx_v}


def print_table(res):
    s = res["scenarios"]
    m = res["machine"]
    print("\nGatehouse vs nginx — %s, %d CPUs, %s; wrk -t1 -c%d, %d s x %d runs, medians" %
          (m["model"], m["cpus"], m["nginx"], res["args"]["connections"], res["args"]["duration"],
           res["args"]["reps"]))
    print("| scenario | req/s (min–max) | p50 ms | p99 ms | front µs/req | vs reference | target |")
    print("|---|---:|---:|---:|---:|---|---|")

    def row(k, ref=None, target=""):
        if k not in s:
            return
        r = s[k]
        rel = ""
        if ref and ref in s:
            b = s[ref]
            rel = "%.2f× req/s, p99 %.2f×, µs/req %.2f× of %s" % (r["rps"] / b["rps"], r["p99"] / b["p99"],
                                                                r["cpu_us"] / b["cpu_us"], b["label"])
        print("| %s | %.0f (%.0f–%.0f) | %.3f | %.3f | %.1f | %s | %s |" %
              (r["label"], r["rps"], r["rps_min"], r["rps_max"], r["p50"], r["p99"], r["cpu_us"], rel, target))

    row("refproxy")
    row("ref204")
    row("refside")
    row("1", "refproxy", "≥0.90× req/s, p99 ≤1.2×")
    row("2", "refproxy", "≥0.90× req/s, p99 ≤1.2×")
    row("3", "ref204", "≥0.80× req/s")
    row("4", "1", "(1) faster than any nginx + side-car")
    if "1" in s and "refside" in s:
        print("| (4) check: (1) vs nginx + 204 side-car | | | | | %.2f× req/s, µs/req %.2f× | > 1× |" %
              (s["1"]["rps"] / s["refside"]["rps"], s["1"]["cpu_us"] / s["refside"]["cpu_us"]))
    row("5", "refproxy", "")
    if "6" in s:
        r6 = s["6"]
        row("6", "refproxy", "start ≤3 s, ≤400 MB, within 10% of (1)")
        extra = ""
        if "1" in s:
            extra = "; req/s %.2f× of (1), µs/req %.2f× of (1)" % (r6["rps"] / s["1"]["rps"], r6["cpu_us"] / s["1"]["cpu_us"])
        print("| (6) start-up / resident | %.2f s / %.0f MiB (before seeding: %.2f s / %.0f MiB)%s | | | | | |" %
              (r6["startup_s"], r6["rss_mib"], r6["small_startup_s"], r6["small_rss_mib"], extra))
    if "7" in s:
        r7 = s["7"]
        print("| (7) admin token creations, %d clients | %.0f /s | %.1f | %.1f | | durable (fsync) | ≥2,000/s |" %
              (res["args"]["create_clients"], r7["per_s"], r7["p50"], r7["p99"]))


if __name__ == "__main__":
    main()
