"""A real HTTP receiver on 127.0.0.1 for webhook tests: it keeps each message it is sent, checks its signature
with the Standard Webhooks specification's own library (not the app's code), and answers as the test tells it."""

import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes
    answered: int
    signed_by: str | None  # the secret its signature verified with, or None when it verified with none

    @property
    def message(self) -> dict:
        return json.loads(self.body)


class Receiver:
    def __init__(self, port: int):
        self.url = f"http://127.0.0.1:{port}/hook"
        self.received: list[Received] = []
        self.answers: list[int] = []  # the statuses of the next answers, in order; then 204
        self.secrets: list[str] = []  # the secrets a signature is checked against
        self.meanwhile = None  # called as a message arrives, before it is answered: what happens elsewhere
        self._lock = threading.Lock()

    def take(self, body: bytes, headers: dict[str, str]) -> int:
        if self.meanwhile:
            self.meanwhile()
        with self._lock:
            status = self.answers.pop(0) if self.answers else 204
            self.received.append(Received(headers, body, status, self._signer(body, headers)))
            return status

    def taken(self) -> list[Received]:
        return [message for message in self.received if 200 <= message.answered < 300]

    def _signer(self, body: bytes, headers: dict[str, str]) -> str | None:
        for secret in self.secrets:
            try:
                Webhook(secret).verify(body, headers)
                return secret
            except WebhookVerificationError:
                continue
        return None


@contextmanager
def running_receiver():
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            status = receiver.take(body, {name.lower(): value for name, value in self.headers.items()})
            self.send_response(status)
            said = b"" if status == 204 else f"answered {status}".encode()
            self.send_header("content-length", str(len(said)))
            self.end_headers()
            self.wfile.write(said)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver = Receiver(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
