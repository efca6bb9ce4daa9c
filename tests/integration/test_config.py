"""Configuration of `gatehouse serve`: defaults < TOML file (--config or
GATEHOUSE_CONFIG) < GATEHOUSE_* environment < flags, for data_dir, admin_listen and
edge_listen; and start-up failures that name the problem and exit non-zero.

Listeners are told apart by their loopback address (127.0.0.2, .3, …: all local on
Linux) with port 0, so no test needs a port number that might be taken."""

import os
import shutil
import socket
import tempfile
import unittest
import urllib.parse

from gatehouse_server import GatehouseServer, ServerFailed, http_request


def host_of(url):
    return urllib.parse.urlsplit(url).hostname


class ConfigTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="gatehouse-config-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def write_config(self, text, name="gatehouse.toml"):
        p = self.path(name)
        with open(p, "w") as f:
            f.write(text)
        return p

    def serve(self, args, env=None):
        server = GatehouseServer(data_dir=self.path("unused"), args=args, env=env)
        self.addCleanup(server.cleanup)
        return server.start()

    def assertServes(self, server, data_dir, admin_host, edge_host):
        self.assertEqual(host_of(server.admin_url), admin_host, server.output())
        self.assertEqual(host_of(server.edge_url), edge_host, server.output())
        self.assertTrue(os.path.exists(os.path.join(data_dir, "gatehouse.db")), server.output())
        self.assertTrue(os.path.exists(os.path.join(data_dir, "serve.json")), server.output())
        self.assertIn("  data dir   " + os.path.abspath(data_dir) + " (SQLite, WAL)", server.stdout_lines)
        # The admin API really is there, and the token printed on first start works.
        r = http_request(server.admin_url, "GET", "/accounts/%s" % server.account_id, token=server.admin_token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(server.stop(), 0, server.output())

    def config_text(self, data_dir, admin, edge):
        return 'data_dir = "%s"\nadmin_listen = "%s"\nedge_listen = "%s"\n' % (data_dir, admin, edge)

    # ---- precedence

    def test_config_file_sets_everything(self):
        d = self.path("from-file")
        cfg = self.write_config(self.config_text(d, "127.0.0.2:0", "127.0.0.3:0"))
        self.assertServes(self.serve(["--config", cfg]), d, "127.0.0.2", "127.0.0.3")

    def test_config_file_from_environment(self):
        d = self.path("from-file")
        cfg = self.write_config(self.config_text(d, "127.0.0.2:0", "127.0.0.3:0"))
        self.assertServes(self.serve([], env={"GATEHOUSE_CONFIG": cfg}), d, "127.0.0.2", "127.0.0.3")
        # --config wins over GATEHOUSE_CONFIG.
        d2 = self.path("from-flag-file")
        cfg2 = self.write_config(self.config_text(d2, "127.0.0.4:0", "127.0.0.5:0"), "other.toml")
        self.assertServes(self.serve(["--config", cfg2], env={"GATEHOUSE_CONFIG": cfg}), d2, "127.0.0.4",
                          "127.0.0.5")

    def test_environment_overrides_file(self):
        cfg = self.write_config(self.config_text(self.path("from-file"), "127.0.0.2:0", "127.0.0.3:0"))
        d = self.path("from-env")
        env = {"GATEHOUSE_DATA_DIR": d, "GATEHOUSE_ADMIN_LISTEN": "127.0.0.4:0",
               "GATEHOUSE_EDGE_LISTEN": "127.0.0.5:0"}
        self.assertServes(self.serve(["--config", cfg], env=env), d, "127.0.0.4", "127.0.0.5")
        self.assertFalse(os.path.exists(self.path("from-file")))

    def test_flags_override_environment_and_file(self):
        cfg = self.write_config(self.config_text(self.path("from-file"), "127.0.0.2:0", "127.0.0.3:0"))
        env = {"GATEHOUSE_DATA_DIR": self.path("from-env"), "GATEHOUSE_ADMIN_LISTEN": "127.0.0.4:0",
               "GATEHOUSE_EDGE_LISTEN": "127.0.0.5:0"}
        d = self.path("from-flags")
        server = self.serve(["--config", cfg, "--data-dir", d, "--admin-listen", "127.0.0.6:0",
                             "--edge-listen", "127.0.0.7:0"], env=env)
        self.assertServes(server, d, "127.0.0.6", "127.0.0.7")
        self.assertFalse(os.path.exists(self.path("from-file")))
        self.assertFalse(os.path.exists(self.path("from-env")))

    def test_each_setting_comes_from_its_highest_source(self):
        d = self.path("from-file")
        cfg = self.write_config(self.config_text(d, "127.0.0.2:0", "127.0.0.3:0"))
        server = self.serve(["--config", cfg, "--edge-listen", "127.0.0.7:0"],
                            env={"GATEHOUSE_ADMIN_LISTEN": "127.0.0.4:0"})
        self.assertServes(server, d, "127.0.0.4", "127.0.0.7")

    def test_empty_environment_variables_are_unset(self):
        d = self.path("from-file")
        cfg = self.write_config(self.config_text(d, "127.0.0.2:0", "127.0.0.3:0"))
        server = self.serve(["--config", cfg], env={"GATEHOUSE_DATA_DIR": "", "GATEHOUSE_ADMIN_LISTEN": ""})
        self.assertServes(server, d, "127.0.0.2", "127.0.0.3")

    def test_admin_body_limit_from_config(self):
        d = self.path("limits")
        cfg = self.write_config(self.config_text(d, "127.0.0.1:0", "127.0.0.1:0") +
                                "\n[limits]\nadmin_body_bytes = 2048\n")
        server = self.serve(["--config", cfg])
        s = server
        r = s.api("POST", s.tokens_path(), raw_body='{"name": "x", "pad": "%s"}' % ("y" * 3000))
        self.assertEqual(r.status, 413, r)
        self.assertIn("2048 bytes", r.body["errors"][0]["message"])
        r = s.api("POST", s.tokens_path(), {"name": "small"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(s.stop(), 0)

    # ---- start-up failures

    def assertStartFails(self, args, env=None, names=(), data_dir=None):
        server = GatehouseServer(data_dir=self.path("unused"), args=args, env=env)
        self.addCleanup(server.cleanup)
        with self.assertRaises(ServerFailed) as caught:
            server.start()
        self.assertIsNotNone(server.proc.returncode, "gatehouse did not exit:\n" + server.output())
        self.assertNotEqual(server.proc.returncode, 0, server.output())
        self.assertNotIn("gatehouse: ready", server.stdout_lines)
        stderr = "\n".join(server.stderr_lines)
        self.assertIn("gatehouse: ", stderr)
        for text in names:
            self.assertIn(text, stderr)
        if data_dir:
            self.assertFalse(os.path.exists(os.path.join(data_dir, "serve.json")))
        return stderr

    def test_unknown_key_in_config_file_fails(self):
        d = self.path("d")
        cfg = self.write_config(self.config_text(d, "127.0.0.1:0", "127.0.0.1:0") + "admin_listn = \"x\"\n")
        self.assertStartFails(["--config", cfg], names=(cfg, 'unknown key "admin_listn"'))
        cfg = self.write_config(self.config_text(d, "127.0.0.1:0", "127.0.0.1:0") +
                                "[limits]\nadmin_body = 5\n", "limits.toml")
        self.assertStartFails(["--config", cfg], names=(cfg, "unknown key limits.admin_body"))

    def test_bad_config_values_fail(self):
        d = self.path("d")
        for text, names in (('admin_listen = 9000\n', ("admin_listen must be a string",)),
                            ('data_dir = "%s"\n[limits]\nadmin_body_bytes = 10\n' % d, ("limits.admin_body_bytes",)),
                            ('limits = 5\n', ("[limits] must be a table",)),
                            ('data_dir = "unterminated\n', ("line 1",))):
            with self.subTest(text=text):
                cfg = self.write_config(text)
                self.assertStartFails(["--config", cfg], names=(cfg,) + names)
        missing = self.path("missing.toml")
        stderr = self.assertStartFails(["--config", missing], names=(missing,))
        self.assertNotIn("line 0", stderr, "a file that cannot be read has no line at fault")
        self.assertStartFails([], env={"GATEHOUSE_CONFIG": missing}, names=(missing,))

    def test_bad_listen_address_fails(self):
        d = self.path("d")
        cases = [("127.0.0.1", "must be HOST:PORT"), ("127.0.0.1:", "must be HOST:PORT"),
                 ("127.0.0.1:99999", "port above 65535"), ("127.0.0.1:http", "invalid port"),
                 ("127.0.0.1:-1", "invalid port"), ("localhost:0", "is not an IP address"),
                 ("256.0.0.1:0", "is not an IP address"), ("192.0.2.1:0", "cannot listen on 192.0.2.1:0")]
        for value, why in cases:
            for which in ("admin", "edge"):
                with self.subTest(value=value, which=which, source="flag"):
                    args = ["--data-dir", d, "--admin-listen", "127.0.0.1:0", "--edge-listen", "127.0.0.1:0"]
                    args[args.index("--%s-listen" % which) + 1] = value
                    self.assertStartFails(args, names=(value, why), data_dir=d)
            with self.subTest(value=value, source="env"):
                self.assertStartFails(["--data-dir", d, "--edge-listen", "127.0.0.1:0"],
                                      env={"GATEHOUSE_ADMIN_LISTEN": value}, names=(value, why), data_dir=d)
            with self.subTest(value=value, source="file"):
                cfg = self.write_config(self.config_text(d, "127.0.0.1:0", value))
                self.assertStartFails(["--config", cfg], names=(value, why), data_dir=d)

    def test_bad_admin_public_url_fails_naming_the_problem(self):
        d = self.path("d")
        base = ["--data-dir", d, "--admin-listen", "127.0.0.1:0", "--edge-listen", "127.0.0.1:0"]
        cases = [("ftp://gh.example.com", "must be an http:// or https:// URL"),
                 ("gh.example.com", "must be an absolute URL"),
                 ("https://gh.example.com/dashboard", 'no path beyond "/"'),
                 ("https://gh.example.com/?a=1", "must not have a query"),
                 ("https://gh.example.com/#x", "must not have a fragment"),
                 ("https://gh.example.com:0", "port outside 1..65535")]
        for value, why in cases:
            with self.subTest(value=value, source="flag"):
                self.assertStartFails(base + ["--admin-public-url", value],
                                      names=("--admin-public-url", why, value), data_dir=d)
            with self.subTest(value=value, source="env"):
                self.assertStartFails(base, env={"GATEHOUSE_ADMIN_PUBLIC_URL": value},
                                      names=("GATEHOUSE_ADMIN_PUBLIC_URL", why), data_dir=d)
            with self.subTest(value=value, source="file"):
                cfg = self.write_config(self.config_text(d, "127.0.0.1:0", "127.0.0.1:0") +
                                        '[admin]\npublic_url = "%s"\n' % value)
                self.assertStartFails(["--config", cfg], names=(cfg, "admin.public_url", why), data_dir=d)
        stderr = self.assertStartFails(base + ["--admin-public-url", "https://me:hunter2@gh.example.com"],
                                       names=("must not carry user:password@",), data_dir=d)
        self.assertNotIn("hunter2", stderr)
        cfg = self.write_config(self.config_text(d, "127.0.0.1:0", "127.0.0.1:0") + '[admin]\nurl = "x"\n')
        self.assertStartFails(["--config", cfg], names=(cfg, "unknown key admin.url"), data_dir=d)

    def test_admin_public_url_is_printed_with_the_origins_it_accepts(self):
        d = self.path("d")
        server = self.serve(["--data-dir", d, "--admin-listen", "127.0.0.1:0", "--edge-listen", "127.0.0.1:0",
                             "--admin-public-url", "HTTPS://GH.Example.com:443/"])
        self.assertIn("  dashboard  https://gh.example.com/", server.stdout_lines)
        self.assertIn("  origins    the dashboard accepts writes from https://gh.example.com", server.stdout_lines)
        self.assertEqual(server.stop(), 0, server.output())
        plain = self.serve(["--data-dir", d, "--admin-listen", "127.0.0.1:0", "--edge-listen", "127.0.0.1:0"])
        port = urllib.parse.urlsplit(plain.admin_url).port
        self.assertIn("  origins    the dashboard accepts writes from http://localhost:%d, http://127.0.0.1:%d, "
                      "http://[::1]:%d (set [admin] public_url for another)" % (port, port, port), plain.stdout_lines)

    def test_occupied_port_fails(self):
        d = self.path("d")
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen(1)
            addr = "127.0.0.1:%d" % taken.getsockname()[1]
            for which in ("admin", "edge"):
                with self.subTest(which=which):
                    args = ["--data-dir", d, "--admin-listen", "127.0.0.1:0", "--edge-listen", "127.0.0.1:0"]
                    args[args.index("--%s-listen" % which) + 1] = addr
                    self.assertStartFails(args, names=("cannot listen on " + addr, "in use"), data_dir=d)
        # Admin and edge on the same port: the second cannot have it.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            same = "127.0.0.1:%d" % probe.getsockname()[1]
        self.assertStartFails(["--data-dir", d, "--admin-listen", same, "--edge-listen", same],
                              names=("cannot listen on " + same,), data_dir=d)

    def test_unusable_data_dir_fails(self):
        self.assertStartFails(["--data-dir", "", "--admin-listen", "127.0.0.1:0", "--edge-listen", "127.0.0.1:0"],
                              names=("data dir must not be empty",))
        blocker = self.path("a-file")
        with open(blocker, "w") as f:
            f.write("not a directory")
        target = os.path.join(blocker, "data")
        self.assertStartFails(["--data-dir", target, "--admin-listen", "127.0.0.1:0",
                               "--edge-listen", "127.0.0.1:0"], names=(target,))


if __name__ == "__main__":
    unittest.main()
