"""config/gunicorn.conf.py: the production server set-up the exam-day benchmark measures."""

import gc
import runpy
import sys
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "config" / "gunicorn.conf.py"


def test_defaults_and_environment_overrides(monkeypatch):
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    conf = runpy.run_path(str(CONF))
    assert conf["worker_class"] == "gthread" and conf["threads"] == 1 and conf["keepalive"] == 30
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:9000")
    conf = runpy.run_path(str(CONF))
    assert conf["workers"] == 3 and conf["bind"] == "0.0.0.0:9000"


def test_worker_hooks_shorten_the_gil_switch_and_freeze_startup_objects(monkeypatch):
    conf = runpy.run_path(str(CONF))
    before = sys.getswitchinterval()
    try:
        conf["post_fork"](None, None)
        assert sys.getswitchinterval() == 0.0005
    finally:
        sys.setswitchinterval(before)
    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    conf["post_worker_init"](None)
    assert frozen == [True]
