"""Security headers: strict CSP on the public site, relaxed one only for Wagtail's admin."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "site" / "templates"


def directive(header: str, name: str) -> str:
    for part in header.split(";"):
        part = part.strip()
        if part.startswith(name + " "):
            return part
    return ""


def test_public_pages_have_strict_csp(client, site_tree):
    for url in ("/", "/account/login/"):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        script = directive(csp, "script-src")
        assert script == "script-src 'self'", csp
        assert "'unsafe-eval'" not in csp
        assert "object-src 'none'" in csp
        assert "frame-ancestors 'self'" in csp
        assert response["X-Frame-Options"] == "SAMEORIGIN"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_public_pages_have_no_inline_scripts(client, site_tree):
    """What the strict policy would block: inline <script> code or on* handlers."""
    for url in ("/", "/account/login/", "/account/activate/"):
        html = client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or "application/json" in tag or "application/ld+json" in tag, (
                url,
                tag,
            )
        assert not re.search(r"\son[a-z]+\s*=", html), url


def test_site_templates_have_no_inline_scripts():
    """Every template of the public site can run under script-src 'self'."""
    bad = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "json" not in tag:
                bad.append(f"{path.relative_to(TEMPLATES)}: {tag}")
        for match in re.findall(r"<[a-z][^>]*\son(?:click|load|change|submit|input)\s*=", text):
            bad.append(f"{path.relative_to(TEMPLATES)}: {match}")
    assert not bad, "inline scripts break the public CSP:\n" + "\n".join(bad)


def test_admin_gets_the_relaxed_policy(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    script = directive(response["Content-Security-Policy"], "script-src")
    assert "'unsafe-inline'" in script


def test_two_factor_pages_are_not_cached(client, settings, make_user):
    settings.MINGBAI_REQUIRE_2FA = True
    staff = make_user(phone="13912347001", is_staff=True)
    client.force_login(staff)
    response = client.get("/account/2fa/setup/")
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_json_responses_get_a_deny_all_policy(client):
    response = client.get("/api/v1/exams/")
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
