"""Flask extensions, created here and bound to the app by `init_app`."""

import wtforms.widgets
from flask import Flask, current_app, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_bootstrap import Bootstrap5
from flask_wtf.csrf import CSRFProtect
from markupsafe import Markup, escape
from wtforms.widgets import core as widgets

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
# Every response gets these; added in one pass unless the response set one of them itself.
_STATIC_HEADERS = list(SECURITY_HEADERS.items())
_PAGE_HEADERS = [*_STATIC_HEADERS, ("Cache-Control", "no-store")]
_OURS = frozenset(name.lower() for name, _ in _PAGE_HEADERS)


# WTForms' own, kept before `init_app` replaces it: the tests compare the two.
WTFORMS_HTML_PARAMS = widgets.html_params


_NAMES: dict[str, str] = {}  # attribute name as given -> as written


def html_params(**kwargs) -> Markup:
    """Write HTML attributes exactly as WTForms' `html_params` does, in a quarter of the time."""
    # WTForms formats each attribute with Markup.format (string.Formatter and an escape per
    # part): a form field cost 0.1 ms, two of them a sixth of the start page.
    params = []
    for key, value in sorted(kwargs.items()):
        if value is False:
            continue
        name = _NAMES.get(key)
        if name is None:  # the names are the code's own: a few dozen, each cleaned once
            if len(_NAMES) >= 512:
                _NAMES.clear()
            name = _NAMES[key] = str(escape(widgets.clean_key(key)))
        # A Markup value keeps its quotes through escape(): WTForms writes them as &quot;.
        params.append(name if value is True
                      else f'{name}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))  # noqa: S704  # nosec B704: every part escaped above


def _fast_widgets() -> None:
    """Give every WTForms widget our `html_params` (class attributes and module names)."""
    widgets.html_params = wtforms.widgets.html_params = html_params
    for widget in list(vars(widgets).values()):
        if isinstance(widget, type) and "html_params" in vars(widget):
            widget.html_params = staticmethod(html_params)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, its serializer built once per set of keys.

    Flask builds a new serializer to read the cookie and another to write it on every
    request (30 us of a 100 us hello); the same keys, salt and digest make the same one.
    """

    _serializers: dict = {}

    def get_signing_serializer(self, app: Flask):
        """Return the serializer for the app's secret key and its fallbacks, built once."""
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            if len(self._serializers) >= 16:  # apps made by tests; one in a server
                self._serializers.clear()
            serializer = self._serializers[keys] = super().get_signing_serializer(app)
        return serializer


def bootstrap_css() -> Markup:
    """Return Bootstrap's stylesheet link (`bootstrap.load_css()`), built once per app and root."""
    # The same link on every page: building it (config, SRI, url_for) was 40 us a page.
    built = current_app.extensions.setdefault("sourcecheck.bootstrap_css", {})
    root = request.script_root
    link = built.get(root)
    if link is None:
        link = bootstrap.load_css()
        if len(built) >= 16:  # one root per server; a bound all the same
            built.clear()
        built[root] = link
    return link


def fixed_url(endpoint: str, **values) -> str:
    """Return `url_for(endpoint, **values)` for a link every page shows, built once per root."""
    # base.html's eight links (stylesheet, icons, wordmark, menu) cost 50 us a page, half a
    # hello; a relative URL depends only on the rules, fixed at start, and the script root.
    built = current_app.extensions.setdefault("sourcecheck.fixed_urls", {})
    key = (request.script_root, endpoint, *sorted(values.items()))
    url = built.get(key)
    if url is None:
        if len(built) >= 64:  # a handful of links under one root; a bound all the same
            built.clear()
        url = built[key] = url_for(endpoint, **values)
    return url


def init_app(app: Flask) -> None:
    """Bind the extensions and the security headers to *app*."""
    csrf.init_app(app)
    bootstrap.init_app(app)
    _fast_widgets()
    app.session_interface = SessionInterface()
    app.add_template_global(bootstrap_css, "bootstrap_css")
    app.add_template_global(fixed_url, "fixed_url")

    @app.after_request
    def add_security_headers(response):
        headers, cacheable = response.headers, request.endpoint in CACHEABLE_ENDPOINTS
        # One pass on every response: a setdefault per header scans and checks each again.
        if not any(name.lower() in _OURS for name, _ in headers):
            headers.extend(_STATIC_HEADERS if cacheable else _PAGE_HEADERS)
            return response
        for name, value in SECURITY_HEADERS.items():  # a file send_file gave Cache-Control
            headers.setdefault(name, value)
        if not cacheable:
            headers["Cache-Control"] = "no-store"
        return response
