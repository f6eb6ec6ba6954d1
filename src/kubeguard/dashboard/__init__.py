"""The dashboard: a read-only web UI over a results store (``kubeguard dashboard``).

:func:`create_app` builds the ASGI app (Starlette, pages rendered on the server with Jinja2,
autoescaped); :mod:`kubeguard.serve` runs it. Every page is a GET; nothing is ever written. Pages
load nothing from elsewhere: styles are inline, charts are inline SVG, there is no script at all,
and the Content-Security-Policy says so to the browser.
"""

from kubeguard.dashboard.app import create_app

__all__ = ["create_app"]
