"""``fr2en review serve``: the review workspace as a local web app (Starlette on uvicorn).

Security: bound to 127.0.0.1 unless ``--host`` says otherwise; every request carries the
secret token of the printed URL (``?token=``, which the page then removes from the address bar;
then a cookie named with this server's port, ``HttpOnly`` and ``SameSite=Strict``; and an
``X-Fr2en-Token`` header for the API); the ``Host`` header must name this server (DNS
rebinding); a write needs the token in its header (a cookie alone never writes) and, when the
browser names one, this server's own ``Origin``; the page's text is escaped by Jinja2 and put
into the DOM as text by the script; a strict Content-Security-Policy allows only the server's
own script and style. The only files served are the page's own; the only files written are the
project's (through :mod:`workspace`).

Bounds: a connection that has not sent its request headers within :data:`HEADER_TIMEOUT`
seconds is closed, and beyond :data:`MAX_CONNECTIONS` the oldest idle connection makes room for
a new one (so half-open connections cannot starve the page); a request body is read with a
limit (:data:`MAX_BODY`, 413) and a time limit (408); malformed JSON, a number JSON cannot mean
(``1e400``, ``NaN``) or a field of the wrong type is a 400 with its reason; a refused write is
a 409 with its reason; anything else is a bug: 500, with the traceback in the server's log.
"""

from __future__ import annotations

import ipaddress
import json
import secrets
import signal
import socket
import sys
import threading
import time
from http.cookies import SimpleCookie
from importlib.resources import files
from urllib.parse import parse_qs

from .errors import Fr2enError

TOKEN_COOKIE = "fr2en_token_{port}"  # one per server: another port's cookie is not ours
TOKEN_HEADER = "x-fr2en-token"
HEADER_TIMEOUT = 10.0  # seconds for a new connection to send its request headers
BODY_TIMEOUT = 10.0  # seconds to send a request body
MAX_CONNECTIONS = 64
SLOW_REQUEST = 5.0  # seconds: a request slower than this is logged
MAX_BODY = 1 << 20  # bytes of a request body (a segment's English, a glossary entry)
LOOPBACK = ("127.0.0.1", "localhost", "::1")
STATIC = {"workspace.js": "text/javascript", "workspace.css": "text/css", "shared.css": "text/css"}
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

    def __init__(self, app, token: str, hosts: set[str], any_ip: bool, cookie: str):
        self.app, self.token, self.hosts, self.any_ip = app, token, hosts, any_ip
        self.cookie = cookie

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
            "cookie": cookie[self.cookie].value if self.cookie in cookie else "",
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


class BadField(ValueError):
    """A request field missing or of the wrong type (a 400)."""


def parse_body(data: bytes) -> dict:
    """A request body as a JSON object; :class:`BadField` for anything else (numbers JSON
    cannot mean, such as ``1e400`` or ``NaN``, and nesting too deep to read, included)."""
    import math

    def finite(text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            raise BadField(f"{text} is not a number a request can carry")
        return value

    def constant(name: str):
        raise BadField(f"{name} is not a number a request can carry")

    try:
        body = json.loads(data or b"{}", parse_float=finite, parse_constant=constant)
    except RecursionError:
        raise BadField("the request body is nested too deeply") from None
    except (ValueError, UnicodeDecodeError) as err:
        if isinstance(err, BadField):
            raise
        raise BadField("the request body is not JSON") from None
    if not isinstance(body, dict):
        raise BadField("the request body must be an object")
    return body


def field(body: dict, name: str, kind: type, default=...):
    """``body[name]`` of type ``kind`` (a bool is no int), or ``default`` when absent."""
    if name not in body:
        if default is ...:
            raise BadField(f"{name!r} is required")
        return default
    value = body[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise BadField(f"{name!r} must be {_KINDS[kind]}")
    return value


_KINDS = {str: "a string", int: "an integer", bool: "true or false"}


def create_app(workspace, token: str, hosts: set[str], any_ip: bool = False, port: int = 0):
    """The Starlette app of ``workspace``, behind :class:`Guard`."""
    import asyncio
    import logging

    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse, Response
    from starlette.routing import Route

    from .formats.html import templates
    from .model import FLAGS, ORIGIN_FILTERS, flag_label
    from .workspace import DOCUMENTS_PAGE, PAGE_SIZE, SHORTCUTS, BadRequest, Conflict

    log = logging.getLogger("fr2en.server")
    cookie = TOKEN_COOKIE.format(port=port)

    def home(request):
        html = templates().get_template("workspace.html").render(
            token=token, flags=[(name, flag_label(name)) for name in FLAGS],
            origins=ORIGIN_FILTERS, shortcuts=SHORTCUTS)
        response = HTMLResponse(html)
        response.set_cookie(cookie, token, httponly=True, samesite="strict", path="/")
        return response

    def static(request):
        name = request.path_params["name"]
        if name not in STATIC:
            return Response("not found\n", status_code=404, media_type="text/plain")
        text = files("fr2en_dossier").joinpath("templates", name).read_text(encoding="utf-8")
        return Response(text, media_type=STATIC[name])

    async def read_body(request) -> bytes:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY:
            raise _TooLarge
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY:
                raise _TooLarge
            chunks.append(chunk)
        return b"".join(chunks)

    def handled(action):
        """Run ``action(request, body)``: its JSON answer, or the status its error means."""
        async def endpoint(request):
            from starlette.concurrency import run_in_threadpool

            started = time.monotonic()
            try:
                body = {}
                if request.method == "POST":
                    body = parse_body(await asyncio.wait_for(read_body(request), BODY_TIMEOUT))
                await run_in_threadpool(workspace.refresh)
                refreshed = time.monotonic()
                answer = JSONResponse(await run_in_threadpool(action, request, body))
                if time.monotonic() - started > SLOW_REQUEST:
                    log.warning("%s %s took %.1f s (%.1f s to refresh)", request.method,
                                request.url.path, time.monotonic() - started, refreshed - started)
                return answer
            except _TooLarge:
                return JSONResponse({"error": f"request body over {MAX_BODY} bytes"}, 413)
            except asyncio.TimeoutError:
                return JSONResponse({"error": "the request body came too slowly"}, 408)
            except (BadField, BadRequest) as err:
                return JSONResponse({"error": str(err)}, 400)
            except Conflict as err:
                return JSONResponse({"error": str(err), "segment": err.segment}, 409)
            except Fr2enError as err:
                return JSONResponse({"error": str(err)}, 409)
            except Exception:
                log.exception("%s %s failed", request.method, request.url.path)
                return JSONResponse({"error": "internal error (a bug): see the server's log"}, 500)
        return endpoint

    def page(q, limit: int) -> tuple[int, int]:
        try:
            offset, limit = int(q.get("offset", 0)), int(q.get("limit", limit))
        except ValueError:
            raise BadField("offset and limit must be integers") from None
        if offset < 0 or limit < 1:
            raise BadField("offset must be 0 or more and limit 1 or more")
        return offset, limit

    def documents(request, body):
        q = request.query_params
        offset, limit = page(q, DOCUMENTS_PAGE)
        return workspace.documents(q.get("q", ""), offset, min(limit, DOCUMENTS_PAGE))

    def segments(request, body):
        q = request.query_params
        offset, limit = page(q, PAGE_SIZE)
        return workspace.query(q.get("doc", ""), q.get("flag", ""), q.get("origin", ""),
                               q.get("q", ""), offset, limit, q.get("sort", ""))

    def next_key(request, body):
        q = request.query_params
        return workspace.next_key(q.get("key", ""), q.get("what", ""),
                                  -1 if q.get("step") == "-1" else 1)

    def save(draft: bool):
        def action(request, body):
            return workspace.save(field(body, "key", str), field(body, "target", str),
                                  draft=draft, base=field(body, "base", int, None))
        return action

    def undo(request, body):
        return workspace.undo(field(body, "key", str), field(body, "base", int))

    def unconfirm(request, body):
        return workspace.unconfirm(field(body, "key", str))

    def reject(request, body):
        return workspace.reject(field(body, "key", str), field(body, "reason", str, ""),
                                undo=field(body, "undo", bool, False))

    def dismiss(request, body):
        return workspace.dismiss(field(body, "key", str), field(body, "flag", str),
                                 field(body, "reason", str, ""),
                                 undo=field(body, "undo", bool, False))

    def set_kind(request, body):
        return vars(workspace.set_kind(field(body, "key", str), field(body, "boilerplate", bool)))

    def candidates(request, body):
        return workspace.candidates()

    def matches(request, body):
        return workspace.matches(request.query_params.get("key", ""))

    def concordance(request, body):
        try:
            limit = int(request.query_params.get("limit", 50))
        except ValueError:
            raise BadField("limit must be an integer") from None
        if not 1 <= limit <= 500:
            raise BadField("limit must be from 1 to 500")
        return workspace.concordance(request.query_params.get("q", ""), limit)

    def decline(request, body):
        return workspace.decline(field(body, "source", str))

    def glossary(request, body):
        change = workspace.add_term(
            field(body, "source", str), field(body, "target", str),
            field(body, "kind", str, "term"), field(body, "comment", str, ""),
            field(body, "exact_case", bool, False), field(body, "plural", bool, False),
            field(body, "feminine", bool, False))
        return vars(change)

    def retranslate(request, body):
        return vars(workspace.retranslate())

    def merge(request, body):
        return vars(workspace.merge(field(body, "key", str),
                                    discard=field(body, "discard", bool, False)))

    def split(request, body):
        return vars(workspace.split(field(body, "key", str), field(body, "offset", int),
                                    discard=field(body, "discard", bool, False)))

    routes = [
        Route("/", home),
        Route("/static/{name}", static),
        Route("/api/documents", handled(documents)),
        Route("/api/segments", handled(segments)),
        Route("/api/next", handled(next_key)),
        Route("/api/candidates", handled(candidates)),
        Route("/api/matches", handled(matches)),
        Route("/api/concordance", handled(concordance)),
        *(Route(f"/api/{name}", handled(fn), methods=["POST"]) for name, fn in [
            ("confirm", save(False)), ("draft", save(True)), ("undo", undo),
            ("unconfirm", unconfirm), ("reject", reject), ("dismiss", dismiss),
            ("kind", set_kind), ("decline", decline), ("glossary", glossary), ("retranslate", retranslate),
            ("merge", merge), ("split", split)]),
    ]
    return Guard(Starlette(routes=routes), token, hosts, any_ip, cookie)


class _TooLarge(Exception):
    pass


def bounded_protocol():
    """uvicorn's h11 protocol, closing connections that send no request headers in time and
    making room for a new connection beyond :data:`MAX_CONNECTIONS` (the oldest idle goes)."""
    import time

    from uvicorn.protocols.http.h11_impl import H11Protocol

    class Bounded(H11Protocol):
        served = False  # a response was sent: keep-alive's own timeout applies from then on
        born = 0.0

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self.born = time.monotonic()
            self.loop.call_later(HEADER_TIMEOUT, self._slow)
            if len(self.connections) > MAX_CONNECTIONS:
                idle = [c for c in self.connections if c is not self and c.cycle is None]
                if idle:
                    min(idle, key=lambda c: c.born).transport.close()

        def _slow(self) -> None:
            if not self.served and self.cycle is None:
                self.transport.close()

        def on_response_complete(self) -> None:
            self.served = True
            super().on_response_complete()

    return Bounded


def serve(project, host: str = "127.0.0.1", port: int = 8765, open_browser: bool = True) -> None:
    """Serve ``project``'s workspace until Ctrl+C. The first line on stdout is the URL, printed
    once the socket listens."""
    import uvicorn

    from .workspace import Workspace

    from .outputs import REPORT_FILE, current_dir

    report = (current_dir(project.output) or project.output) / REPORT_FILE
    if report.is_file() and report.stat().st_size > 50 * 2**20:  # an archive: say why it waits
        print(f"fr2en: reading {report} ({report.stat().st_size / 2**20:,.0f} MB)…",
              file=sys.stderr, flush=True)
    workspace = Workspace(project)  # no outputs yet: a one-line error before anything starts
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
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
    app = create_app(workspace, token, hosts, any_ip=wildcard, port=port)
    server = uvicorn.Server(uvicorn.Config(
        app, log_level="warning", lifespan="off", access_log=False, http=bounded_protocol(),
        timeout_keep_alive=5, h11_max_incomplete_event_size=64 * 1024))

    def stop(signum, frame) -> None:  # a Ctrl+C before uvicorn takes the signals still stops it
        server.should_exit = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    print(url, flush=True)
    if host not in LOOPBACK:
        print(f"fr2en: warning: listening on {host}: anyone who can reach this address and "
              "has the URL can edit this project", file=sys.stderr, flush=True)
    if open_browser:
        import webbrowser

        threading.Timer(0.3, webbrowser.open, [url]).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()
        workspace.close()
