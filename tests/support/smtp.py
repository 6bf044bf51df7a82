"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives, for the tests that email."""

import email
import email.policy
from contextlib import contextmanager

from aiosmtpd.controller import Controller

from tests.support.serving import free_port


class Inbox:
    """An aiosmtpd handler that keeps what it receives: (envelope recipients, parsed message)."""

    def __init__(self, port: int):
        self.port = port
        self.received = []
        self.refused = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [message for recipients, message in self.received if recipients == [address]]


@contextmanager
def running_inbox(port: int | None = None):
    """On a port of its own, or on the one given: a test may send to it before it runs."""
    inbox = Inbox(port or free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
