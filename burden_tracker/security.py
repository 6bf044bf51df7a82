"""What every response tells the browser about keeping it safe, and where the app trusts a proxy.

The pages hold names, costs and board notes: the browser is told to run only our own script and
style (so an injected `<script>` or `style=` does nothing), never to frame us, sniff types, cache
a signed-in page or send our addresses elsewhere, and to speak HTTPS only once it has. Cookies
are kept from scripts and from other sites' requests, and are Secure whenever the request came
over HTTPS. Behind a proxy, X-Forwarded-* is believed only from the number of proxies configured:
believing it from anyone would let a client claim HTTPS or another address.
"""

from urllib.parse import urlsplit

from flask import current_app, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix


def content_security_policy(sign_in_provider: str | None = None) -> str:
    """The policy. With single sign-on, signing out (a form) may lead on to the provider's own sign-out: browsers
    hold the redirects that follow a form to form-action too."""
    form_targets = f"'self' {_origin(sign_in_provider)}" if sign_in_provider else "'self'"
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",  # Pico CSS draws its icons as data: SVGs
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        f"form-action {form_targets}",
    ])


def _origin(address: str) -> str:
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}"


CONTENT_SECURITY_POLICY = content_security_policy()
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # Flask-WTF checks the Referer of HTTPS posts: same-origin keeps it
    "X-Frame-Options": "DENY",  # frame-ancestors, for browsers that predate it
    "Permissions-Policy": "camera=(), geolocation=(), microphone=(), payment=(), usb=()",
}
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
COOKIE_SETTINGS = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
}


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie, made Secure for every HTTPS request, not only when configured."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def add_security_headers(response):
    """The same headers on every response; HSTS only over HTTPS, where a browser will heed it."""
    response.headers.setdefault("Content-Security-Policy", current_app.extensions["content_security_policy"])
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    if request.endpoint != "static" and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"  # pages and fragments are someone's; files are everyone's
    return response


def trust_proxies(app) -> None:
    """Believe X-Forwarded-For, -Proto and -Host from exactly PROXY_FIX proxies in front, else from none."""
    proxies = app.config["PROXY_FIX"]
    if proxies > 0:
        # X-Forwarded-Host is not believed: many proxies pass a client's own value through untouched.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def init_app(app) -> None:
    app.config.update(COOKIE_SETTINGS, REMEMBER_COOKIE_SECURE=app.config["SESSION_COOKIE_SECURE"])
    app.extensions["content_security_policy"] = content_security_policy(app.config["OIDC_ISSUER"])
    app.session_interface = SessionCookies()
    app.after_request(add_security_headers)
    trust_proxies(app)
