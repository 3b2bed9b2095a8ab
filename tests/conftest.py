"""Shared fixtures: the demo site tree, accounts, and a Playwright browser on Debian's Chromium."""

import os
import shutil

import pytest
from hypothesis import settings as hypothesis_settings
from hypothesis.configuration import set_hypothesis_home_dir

# Tests leave no files in the repository: Hypothesis keeps its caches in the test run's
# temporary directory (config/settings/test.py) and no example database.
set_hypothesis_home_dir(os.path.join(os.environ["MINGBAI_TEST_TMP"], "hypothesis"))
hypothesis_settings.register_profile("mingbai", database=None)
hypothesis_settings.load_profile("mingbai")

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the
# test body are still synchronous, so allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TEST_PASSWORD = "Test-pass-2026!"


@pytest.fixture
def site_tree(db):
    """The portal's home page, about and hotline pages (as load_demo_data builds them)."""
    from home.demo import load_site

    return load_site()


@pytest.fixture
def make_user(db):
    from people.accounts.models import User

    def make(phone="13900000001", password=TEST_PASSWORD, **extra):
        return User.objects.create_user(phone=phone, password=password, **extra)

    return make


@pytest.fixture
def admin_user(make_user):
    return make_user(phone="13900000009", display_name="管理员", is_staff=True, is_superuser=True)


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's Chromium driven by Playwright; never downloads a browser."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} 不存在：bin/test 应已安装 Debian 的 chromium 软件包")
        pytest.skip(f"{CHROMIUM} not installed (bin/test installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _close_quietly(context):
    """Close a browser context without a last request racing the test database's teardown.

    Pages send a final request when they are hidden (study heartbeats on pagehide); if it reaches
    the live server while the database is flushed, PostgreSQL can deadlock the flush. So every
    request is refused first, the pages are left, and in-flight requests get a moment to end.
    """
    context.route("**/*", lambda route: route.abort())
    for page in context.pages:
        page.goto("about:blank")
    if context.pages:
        context.pages[0].wait_for_timeout(300)
    context.close()


@pytest.fixture
def phone_page(chromium_browser):
    """A page on a 360×740 phone screen, in Chinese."""
    context = chromium_browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    _close_quietly(context)


@pytest.fixture
def desktop_page(chromium_browser):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    _close_quietly(context)


def assert_no_horizontal_scroll(page):
    """The page fits the viewport width (no sideways scrolling on a phone)."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"page is {overflow}px wider than the screen"
