"""Real SMTP servers on loopback for the mail tests (aiosmtpd), including ones that refuse,
demand a password, or never answer."""

import asyncio
import socket
import threading
from contextlib import contextmanager
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.harness import free_port


class Inbox:
    """Keeps every message the server accepted."""

    def __init__(self, refuse: str = ""):
        self.messages = []
        self.refuse = refuse
        self.delay = 0.0  # seconds the server takes to accept a message (a slow mail server)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.refuse and self.refuse in address:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.delay:
            await asyncio.sleep(self.delay)
        self.messages.append((envelope.rcpt_tos[:], message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


def _authenticator(user: str, password: str):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and (auth_data.password.decode() == password)
        )
        return AuthResult(success=ok, handled=False)

    return check


@contextmanager
def smtp_server(refuse: str = "", user: str = "", password: str = ""):
    """(inbox, port) of a running server; with `user`, it demands AUTH (plain text, as over
    loopback in tests)."""
    inbox = Inbox(refuse)
    port = free_port()
    extra = {"authenticator": _authenticator(user, password), "auth_require_tls": False, "auth_required": True} if user else {}
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **extra)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@contextmanager
def silent_server():
    """Accepts the TCP connection and never says a word: the client must time out."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    held = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()
