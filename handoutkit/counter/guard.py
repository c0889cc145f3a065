"""What every request to the counter passes first: a Host header naming this server (no DNS
rebinding, even on 127.0.0.1); off this computer, the access token; for anything that changes
state, same-origin only (Origin and Fetch metadata here, the form's token in the handlers)."""

from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

COOKIE = "handoutkit_counter"
SAFE = ("GET", "HEAD")
HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; media-src 'self'; object-src 'none';"
                               " frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(header: str) -> str:
    """The host of a Host header, without its port: 'a.b:80' -> 'a.b', '[::1]:80' -> '::1'."""
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class Guard:
    """ASGI middleware: host, token, cross-site checks and security headers on every response."""

    def __init__(self, app: ASGIApp, allowed_hosts: set[str], token: str | None):
        self.app, self.allowed, self.token = app, {h.lower() for h in allowed_hosts}, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        refused = self.refusal(request)
        if refused is not None:
            return await self._with_headers(refused)(scope, receive, send)

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    def _with_headers(response: Response) -> Response:
        response.headers.update(HEADERS)
        return response

    def refusal(self, request: Request) -> Response | None:
        """The response that refuses this request, or None to let it through."""
        host = request.headers.get("host", "")
        if host_name(host).lower() not in self.allowed:
            return PlainTextResponse("Refused: this counter does not answer to that host name (Host header).", 400)
        if self.token is not None:
            given = request.cookies.get(COOKIE, "")
            offered = request.query_params.get("token")
            if offered is not None and request.method in SAFE and hmac.compare_digest(offered, self.token):
                rest = urlencode([(k, v) for k, v in parse_qsl(request.url.query) if k != "token"])
                response = RedirectResponse(request.url.path + (f"?{rest}" if rest else ""), 303)
                response.set_cookie(COOKIE, self.token, httponly=True, samesite="strict", path="/")
                return response
            bearer = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            if not (hmac.compare_digest(given, self.token) or hmac.compare_digest(bearer, self.token)):
                return PlainTextResponse("Refused: this counter needs its access token. Open the address with"
                                         " ?token=... that was printed when it started.", 401)
        if request.method not in SAFE:
            origin = request.headers.get("origin")
            if origin is not None and origin != f"{request.url.scheme}://{host}":
                return PlainTextResponse("Refused: a request from another site.", 403)
            if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
                return PlainTextResponse("Refused: a request from another site.", 403)
        return None
