"""``fr2en review serve``: the review workspace as a local web app (Starlette on uvicorn).

Security: bound to 127.0.0.1 unless ``--host`` says otherwise; every request carries the
secret token of the printed URL (``?token=``, then a same-site cookie for the page, and an
``X-Fr2en-Token`` header for the API); the ``Host`` header must name this server (DNS
rebinding); a write must come from this server's own ``Origin`` with the token in its header;
the page's text is escaped by Jinja2 and put into the DOM as text by the script; a strict
Content-Security-Policy allows only the server's own script and style. The only files served
are the page's own; the only files written are the project's (through :mod:`workspace`).
"""

from __future__ import annotations

import ipaddress
import json
import secrets
import socket
import sys
import threading
from http.cookies import SimpleCookie
from importlib.resources import files
from urllib.parse import parse_qs

from .errors import Fr2enError

TOKEN_COOKIE = "fr2en_token"
TOKEN_HEADER = "x-fr2en-token"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
STATIC = {"workspace.js": "text/javascript", "workspace.css": "text/css"}
SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
     b"img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


class Guard:
    """ASGI middleware: 403 unless the Host is ours and the token is given; writes also need
    our Origin and the token in a header (a cookie alone would allow cross-site requests)."""

    def __init__(self, app, token: str, hosts: set[str], any_ip: bool):
        self.app, self.token, self.hosts, self.any_ip = app, token, hosts, any_ip

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        reason = self._refusal(scope, headers)
        if reason:
            body = f"403 Forbidden: {reason}\n".encode()
            await send({"type": "http.response.start", "status": 403, "headers": [
                (b"content-type", b"text/plain; charset=utf-8"), *SECURITY_HEADERS]})
            return await send({"type": "http.response.body", "body": body})

        async def secured(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, secured)

    def _refusal(self, scope, headers: dict[str, str]) -> str:
        host = headers.get("host", "")
        if not self._our_host(host):
            return "unknown Host header"
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        cookie = SimpleCookie(headers.get("cookie", ""))
        given = {
            "query": query.get("token", [""])[0],
            "header": headers.get(TOKEN_HEADER, ""),
            "cookie": cookie[TOKEN_COOKIE].value if TOKEN_COOKIE in cookie else "",
        }
        if scope["method"] in ("GET", "HEAD"):
            if not any(self._valid(t) for t in given.values()):
                return "a valid token is required (open the URL printed by fr2en review serve)"
            return ""
        if not self._valid(given["header"]):
            return "a write needs the token in its X-Fr2en-Token header"
        origin = headers.get("origin")
        if origin is not None and origin != f"http://{host}":
            return "a write from another origin"
        return ""

    def _valid(self, candidate: str) -> bool:
        return bool(candidate) and secrets.compare_digest(candidate.encode(), self.token.encode())

    def _our_host(self, host: str) -> bool:
        if host in self.hosts:
            return True
        if not self.any_ip:
            return False
        name = host.rsplit(":", 1)[0].strip("[]")
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True  # an IP literal cannot be a rebound DNS name


def create_app(workspace, token: str, hosts: set[str], any_ip: bool = False):
    """The Starlette app of ``workspace``, behind :class:`Guard`."""
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse, Response
    from starlette.routing import Route

    from .formats.html import templates
    from .workspace import BadRequest

    def page(request):
        html = templates().get_template("workspace.html").render(token=token)
        response = HTMLResponse(html)
        response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return response

    def static(request):
        name = request.path_params["name"]
        if name not in STATIC:
            return Response("not found\n", status_code=404, media_type="text/plain")
        text = files("fr2en_dossier").joinpath("templates", name).read_text(encoding="utf-8")
        return Response(text, media_type=STATIC[name])

    def handled(action):
        """Run ``action(request)``: JSON answer; a refused write is 409 with its reason."""
        async def endpoint(request):
            from starlette.concurrency import run_in_threadpool

            body = {}
            if request.method == "POST":
                try:
                    body = json.loads(await request.body() or b"{}")
                except ValueError:
                    return JSONResponse({"error": "the request body is not JSON"}, 400)
                if not isinstance(body, dict):
                    return JSONResponse({"error": "the request body must be an object"}, 400)
            try:
                await run_in_threadpool(workspace.refresh)
                return JSONResponse(await run_in_threadpool(action, request, body))
            except BadRequest as err:
                return JSONResponse({"error": str(err)}, 400)
            except Fr2enError as err:
                return JSONResponse({"error": str(err)}, 409)
            except (KeyError, TypeError, ValueError) as err:
                return JSONResponse({"error": f"bad request: {err}"}, 400)
        return endpoint

    def documents(request, body):
        return {"documents": workspace.documents(), "run": workspace.run.id}

    def segments(request, body):
        q = request.query_params
        return workspace.query(q.get("doc", ""), q.get("flag", ""), q.get("origin", ""),
                               q.get("q", ""), int(q.get("offset", 0)), int(q.get("limit", 200)))

    def confirm(request, body):
        return workspace.save(str(body["key"]), str(body["target"]), draft=False)

    def draft(request, body):
        return workspace.save(str(body["key"]), str(body["target"]), draft=True)

    def glossary(request, body):
        change = workspace.add_term(
            str(body["source"]), str(body["target"]), str(body.get("kind", "term")),
            str(body.get("comment", "")), bool(body.get("exact_case")),
            bool(body.get("plural")), bool(body.get("feminine")))
        return vars(change)

    def retranslate(request, body):
        return vars(workspace.retranslate())

    def merge(request, body):
        return vars(workspace.merge(str(body["key"])))

    def split(request, body):
        return vars(workspace.split(str(body["key"]), int(body["offset"])))

    routes = [
        Route("/", page),
        Route("/static/{name}", static),
        Route("/api/documents", handled(documents)),
        Route("/api/segments", handled(segments)),
        *(Route(f"/api/{name}", handled(fn), methods=["POST"]) for name, fn in [
            ("confirm", confirm), ("draft", draft), ("glossary", glossary),
            ("retranslate", retranslate), ("merge", merge), ("split", split)]),
    ]
    return Guard(Starlette(routes=routes), token, hosts, any_ip)


def serve(project, host: str = "127.0.0.1", port: int = 8765, open_browser: bool = True) -> None:
    """Serve ``project``'s workspace until Ctrl+C. The first line on stdout is the URL."""
    import uvicorn

    from .workspace import Workspace

    workspace = Workspace(project)  # no outputs yet: a one-line error before anything starts
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        raise Fr2enError(f"{host}:{port}: cannot listen here ({err.strerror or err})") from None
    port = sock.getsockname()[1]
    wildcard = host in ("0.0.0.0", "::")
    shown = "127.0.0.1" if wildcard else (f"[{host}]" if ":" in host else host)
    names = {*LOOPBACK, host} - {"::1"}
    hosts = {f"{name}:{port}" for name in names} | {f"[::1]:{port}"}
    token = secrets.token_urlsafe(32)
    url = f"http://{shown}:{port}/?token={token}"
    print(url, flush=True)
    if host not in LOOPBACK:
        print(f"fr2en: warning: listening on {host}: anyone who can reach this address and "
              "has the URL can edit this project", file=sys.stderr, flush=True)
    if open_browser:
        import webbrowser

        threading.Timer(0.3, webbrowser.open, [url]).start()
    app = create_app(workspace, token, hosts, any_ip=wildcard)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off",
                                           access_log=False))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
