"""Start the counter: which host names it answers to, whether it needs a token, and uvicorn."""

from __future__ import annotations

import secrets
import socket

from ..errors import UsageError
from ..project import Project
from .guard import is_loopback

DEFAULT_PORT = 8470


def allowed_hosts(host: str, extra: list[str]) -> set[str]:
    """The names a browser may use for this server: the loopback names; off this computer also
    the bound address, this machine's names and addresses, and any --allow-host."""
    names = {"localhost", "127.0.0.1", "::1", *extra}
    if is_loopback(host):
        return names | {host}
    if host not in ("0.0.0.0", "::"):
        return names | {host}
    found = {socket.gethostname(), socket.getfqdn()}
    try:
        found |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)}
    except OSError:
        pass
    return names | found


def serve(project: Project, host: str, port: int, extra_hosts: list[str]) -> int:
    import uvicorn

    from .app import create_app

    token = None
    if not is_loopback(host):
        token = (project.site.counter_token if project.site else None) or secrets.token_urlsafe(24)
    app = create_app(project, allowed_hosts(host, extra_hosts), token)
    shown = f"[{host}]" if ":" in host else host
    where = project.site.name if project.site else "no site settings"
    print(f"handoutkit counter for {where}: http://{shown}:{port}/" + (f"?token={token}" if token else ""), flush=True)
    if token:
        print("It listens beyond this computer: every browser needs the token (open the address above once).",
              flush=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=False)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    return 0
