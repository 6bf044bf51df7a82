"""The OpenID provider that single sign-on tests sign in against: oidc-provider-mock, a real OpenID Connect provider
process on loopback, from a venv of its own that tests/setup-services.sh installs.

It issues ID tokens signed with the keys it publishes, and lets a test put a person in with any claims. Claims it
is given override the ones it sets itself (aud, exp, nonce, iss), which is how a test makes it issue a token meant
for another application, an expired one, or one for another sign-in. A token signed with a key it does not publish
comes from ResigningProxy, which stands in front of it.
"""

import base64
import json
import subprocess
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.support.serving import free_port, wait_for

PROVIDER_BIN = Path(__file__).resolve().parents[2] / ".venv/identity-provider/bin/oidc-provider-mock"
CLIENT_ID, CLIENT_SECRET, PROVIDER_NAME = "burden-tracker", "a secret for tests only", "Hospital Sign-In"


@dataclass
class Provider:
    issuer: str

    def add_person(self, *, email: str | None = None, **claims) -> str:
        """A new person at the provider, with these claims (email_verified true unless given); their subject."""
        subject = f"person-{uuid.uuid4().hex[:10]}"
        if email is not None:
            claims = {"email": email, "email_verified": True, **claims}
        self.set_claims(subject, **claims)
        return subject

    def set_claims(self, subject: str, **claims) -> None:
        """The person's claims from now on, all of them (none is kept from before)."""
        requests.put(f"{self.issuer}/users/{subject}", json=claims, timeout=10).raise_for_status()

    def choose(self, authorize_address: str, subject: str) -> str:
        """Signs the person in on the provider's authorization page; the address it sends the browser back to."""
        response = requests.post(authorize_address, data={"sub": subject}, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text
        return response.headers["Location"]

    def app_settings(self, **more) -> dict:
        return {"OIDC_ISSUER": self.issuer, "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET,
                "OIDC_PROVIDER_NAME": PROVIDER_NAME, **more}


@contextmanager
def running_provider():
    """The provider on a free port of 127.0.0.1, for as long as the block lasts."""
    assert PROVIDER_BIN.exists(), f"{PROVIDER_BIN} is missing: run bash tests/setup-services.sh (make test does)"
    port = free_port()
    process = subprocess.Popen([str(PROVIDER_BIN), "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        issuer = f"http://127.0.0.1:{port}"
        wait_for(f"{issuer}/.well-known/openid-configuration")
        yield Provider(issuer)
    finally:
        process.terminate()
        process.wait(timeout=10)


class ResigningProxy:
    """Stands in front of the provider on a port of its own and passes everything through, Host header included, so
    that the provider names the proxy as its issuer; but the ID tokens its token endpoint hands out are signed again
    with a key of the proxy's own, which the provider does not publish. With `down`, the token endpoint answers
    503 instead, as a provider that fails halfway through a sign-in."""

    def __init__(self, provider: Provider):
        self.provider, self.down = provider, False
        self.key = RSAKey.generate_key(2048)
        self.server = make_server("127.0.0.1", 0, self, threaded=True)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"

    def __call__(self, environ, start_response):
        request = Request(environ)
        if self.down and request.path == "/oauth2/token":
            return Response("down", status=503)(environ, start_response)
        upstream = requests.request(request.method, self.provider.issuer + request.full_path.rstrip("?"),
                                    headers={k: v for k, v in request.headers if k.lower() != "content-length"},
                                    data=request.get_data(), allow_redirects=False, timeout=10)
        body = upstream.content
        if request.path == "/oauth2/token" and upstream.ok:
            answer = upstream.json()
            answer["id_token"] = self.signed_again(answer["id_token"])
            body = json.dumps(answer).encode()
        headers = [(k, v) for k, v in upstream.headers.items()
                   if k.lower() not in ("content-length", "transfer-encoding", "connection", "content-encoding")]
        return Response(body, status=upstream.status_code, headers=headers)(environ, start_response)

    def signed_again(self, id_token: str) -> str:
        header, payload, _ = id_token.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        header = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
        return jwt.encode(header, claims, self.key)  # the provider's header, key id and all, but not its key

    @contextmanager
    def running(self):
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.server.shutdown()
            thread.join(timeout=10)


def an_hour_ago() -> int:
    return int(time.time()) - 3600
