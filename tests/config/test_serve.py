"""bin/serve: the production web server set-up (Granian), as the exam-day benchmark measures it."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "bin" / "serve"
GRANIAN = Path(sys.executable).parent / "granian"


def _command_line(tmp_path, **environ) -> list[str]:
    """The granian command line bin/serve runs (granian replaced by a stub that prints it)."""
    stub = tmp_path / "granian"
    stub.write_text('#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n')
    stub.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("WEB_")}
    env.update(GRANIAN=str(stub), **environ)
    result = subprocess.run(
        [str(SERVE), "--log-access"], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.split()


def _option(args: list[str], name: str) -> str:
    return args[args.index(name) + 1]


def test_defaults_two_workers_per_core_one_thread_each(tmp_path):
    args = _command_line(tmp_path)
    assert args[:3] == ["--interface", "wsgi", "config.wsgi:application"]
    assert _option(args, "--host") == "127.0.0.1" and _option(args, "--port") == "8000"
    assert _option(args, "--workers") == str(2 * os.cpu_count())
    assert _option(args, "--blocking-threads") == "1"
    assert "--respawn-failed-workers" in args
    assert args[-1] == "--log-access"  # further arguments go to granian


def test_environment_overrides(tmp_path):
    args = _command_line(tmp_path, WEB_HOST="0.0.0.0", WEB_PORT="9001", WEB_WORKERS="3")  # noqa: S104
    assert (_option(args, "--host"), _option(args, "--port"), _option(args, "--workers")) == (
        "0.0.0.0",  # noqa: S104
        "9001",
        "3",
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serves_the_platform(tmp_path):
    """A real Granian process answers the platform's API (its OpenAPI schema) over HTTP."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WEB_", "DATABASE_"))}
    env.update(
        GRANIAN=str(GRANIAN),
        WEB_PORT=str(port),
        WEB_WORKERS="1",
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    )
    proc = subprocess.Popen(
        [str(SERVE)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                url = f"http://127.0.0.1:{port}/api/v1/openapi.json"
                with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                    body = response.read()
                    break
            except OSError:
                assert proc.poll() is None, "bin/serve exited"
                assert time.monotonic() < deadline, "bin/serve did not answer within 60 s"
                time.sleep(0.3)
        assert response.status == 200
        assert b'"/api/v1/attempts/{attempt_id}/answers/{question_id}/"' in body
    finally:
        proc.terminate()
        proc.wait(20)
