"""Flask extensions, created here and bound to the app by `init_app`."""

from flask import Flask, request
from flask_bootstrap import Bootstrap5
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
bootstrap = Bootstrap5()

# No page loads anything from another host; no inline script or style runs.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


# The only responses a browser or proxy may keep: static files. Every page, the public list
# of sets included, carries base.html's header (the signed-in teacher and their sign-out
# token, the student's class, flashed messages), and shared school computers keep what is
# cached, so the rule is "no-store unless static", never a list of private pages.
CACHEABLE_ENDPOINTS = frozenset({"static", "bootstrap.static"})


def init_app(app: Flask) -> None:
    """Bind the extensions and the security headers to *app*."""
    csrf.init_app(app)
    bootstrap.init_app(app)

    @app.after_request
    def add_security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.endpoint not in CACHEABLE_ENDPOINTS:
            response.headers["Cache-Control"] = "no-store"
        return response
