"""A real SMTP server for the alert tests: aiosmtpd (Debian's python3-aiosmtpd),
in-process on a loopback port, recording every message it accepts.

    sink = SmtpSink()            # picks a free port; not listening yet
    sink.start()                 # listening on 127.0.0.1:sink.port
    sink.wait_for(2)             # polls (bounded deadline) until 2 messages arrived
    sink.stop(); sink.start()    # the same port again (a restarted mail server)

Each message: .mail_from, .rcpt_tos, .raw (bytes), .msg (email.message.EmailMessage).
"""

import email
import email.policy
import socket
import threading
import time

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Received:
    def __init__(self, mail_from, rcpt_tos, raw):
        self.mail_from = mail_from
        self.rcpt_tos = list(rcpt_tos)
        self.raw = raw
        self.msg = email.message_from_bytes(raw, policy=email.policy.default)

    def body(self):
        return self.msg.get_content()

    def __repr__(self):
        return "Received(from=%r, to=%r, subject=%r)" % (self.mail_from, self.rcpt_tos, self.msg["Subject"])


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        with self.sink.lock:
            self.sink.messages.append(Received(envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, port=None):
        self.port = port or free_port()
        self.messages = []
        self.lock = threading.Lock()
        self._controller = None

    @property
    def url(self):
        return "smtp://127.0.0.1:%d" % self.port

    def start(self):
        assert self._controller is None
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def received(self):
        with self.lock:
            return list(self.messages)

    def wait_for(self, count, timeout=60.0, what=None):
        """Polls until at least `count` messages arrived (bounded); returns them."""
        deadline = time.monotonic() + timeout
        while True:
            got = self.received()
            if len(got) >= count:
                return got
            if time.monotonic() >= deadline:
                raise AssertionError("expected %d message(s)%s within %.0fs, got %d: %r" % (
                    count, " (" + what + ")" if what else "", timeout, len(got), got))
            time.sleep(0.05)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
