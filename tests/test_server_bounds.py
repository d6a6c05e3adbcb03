"""`fr2en review serve` bounded: half-open connections, huge or malformed bodies, numbers
JSON cannot mean, a cookie alone, bugs — each answered in bounded time and count, on loopback."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from fr2en_dossier import server
from fr2en_dossier.project import Project

ROOT = Path(__file__).resolve().parent.parent
CLI = "from fr2en_dossier.cli import main; main()"
KEY = "000_f15bf9128c25df69:1:0"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("dossier")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for args in (["init", "."], ["translate", "--no-mt"]):
        done = subprocess.run([sys.executable, "-c", CLI, *args], cwd=root, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    return root


@pytest.fixture(scope="module")
def app_server(project):
    """The app and protocol of `review serve` on a free loopback port, in this process, with a
    header timeout of one second (to watch it act in a test's time)."""
    import uvicorn

    from fr2en_dossier.workspace import Workspace

    patch = pytest.MonkeyPatch()
    patch.setattr(server, "HEADER_TIMEOUT", 1.0)
    patch.setattr(server, "MAX_CONNECTIONS", 32)
    workspace = Workspace(Project.find(project))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    token = "t" * 43
    app = server.create_app(workspace, token, {f"127.0.0.1:{port}"}, port=port)
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False,
                            http=server.bounded_protocol(), timeout_keep_alive=5)
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not instance.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", token, workspace
    instance.should_exit = True
    thread.join(10)
    workspace.close()
    patch.undo()


def post(app_server, path: str, content: bytes, **headers):
    base, token, _ = app_server
    return httpx.post(base + path, content=content, timeout=10, headers={
        "X-Fr2en-Token": token, "Content-Type": "application/json", **headers})


def test_half_open_connections_neither_starve_the_page_nor_stay(app_server):
    base, token, _ = app_server
    port = int(base.rsplit(":", 1)[1])
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(200)]
    try:
        started = time.monotonic()
        answer = httpx.get(base + "/api/documents", headers={"X-Fr2en-Token": token}, timeout=10)
        assert answer.status_code == 200 and time.monotonic() - started < 5
        time.sleep(2.0)  # past the header timeout: every idle connection is closed
        for conn in idle:
            conn.settimeout(5)
            assert conn.recv(1) == b""
    finally:
        for conn in idle:
            conn.close()


def test_a_body_over_the_limit_is_413_without_being_read_whole(app_server):
    big = b'{"key": "' + b"x" * (server.MAX_BODY + 10) + b'"}'
    assert post(app_server, "/api/draft", big).status_code == 413


@pytest.mark.parametrize("body", [
    b'{"key": "K", "offset": 1e400}',
    b'{"key": "K", "offset": NaN}',
    b'{"key": "K", "offset": -Infinity}',
    b"[" * 100_000 + b"]" * 100_000,
    b"not json",
    b'["a list"]',
    b'{"key": 5, "offset": 3}',
    b'{"key": "K", "offset": true}',
    b'{"key": "K"}',
    b'{"key": "K", "target": "x", "base": "7"}',
])  # fmt: skip
def test_malformed_requests_are_400_with_a_reason(app_server, body):
    path = "/api/draft" if b"target" in body else "/api/split"
    answer = post(app_server, path, body.replace(b"K", KEY.encode()))
    assert answer.status_code == 400 and answer.json()["error"]


def test_a_bug_is_500_with_its_traceback_in_the_log_not_a_client_error(app_server, monkeypatch,
                                                                       caplog):
    _, _, workspace = app_server

    def broken(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr(workspace, "undo", broken)
    with caplog.at_level(logging.ERROR, logger="fr2en.server"):
        answer = post(app_server, "/api/undo", json.dumps({"key": KEY, "base": 0}).encode())
    assert answer.status_code == 500 and "bug" in answer.json()["error"]
    assert "KeyError: 'a bug'" in caplog.text


def test_the_cookie_is_this_servers_alone_and_never_writes(app_server):
    base, token, _ = app_server
    port = base.rsplit(":", 1)[1]
    page = httpx.get(f"{base}/?token={token}")
    cookie = page.headers["set-cookie"]
    assert cookie.startswith(f"fr2en_token_{port}={token};")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    cookies = {f"fr2en_token_{port}": token}
    assert httpx.get(base + "/api/documents", cookies=cookies).status_code == 200
    write = json.dumps({"key": KEY, "target": "x"})
    assert httpx.post(base + "/api/draft", content=write, cookies=cookies).status_code == 403


def test_the_printed_url_is_listening(project):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-c", CLI, "review", "serve", "--port", "0",
                                 "--no-browser"], cwd=project, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            url = proc.stdout.readline().strip()
            host, port = url.split("//")[1].split("/")[0].split(":")
            socket.create_connection((host, int(port)), timeout=5).close()  # at once
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=20)
