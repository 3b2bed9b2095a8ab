"""The home page: Chinese, phone-first, few queries, demo data idempotent."""

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_home_page_is_chinese(client, site_tree):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-Hans"' in html
    assert "公共法律服务热线" in html
    assert 'name="viewport"' in html
    assert "年" in html  # date in Chinese style


def test_home_page_uses_no_external_assets(client, site_tree):
    html = client.get("/").content.decode()
    for needle in ("http://", "https://", "//cdn", "googleapis"):
        for attr in ("src=", "href="):
            assert f'{attr}"{needle}' not in html


def test_home_page_query_budget(client, site_tree, django_assert_max_num_queries):
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200


def test_standard_pages_and_navigation(client, site_tree):
    assert "关于平台" in client.get("/about/").content.decode()
    html = client.get("/12348/").content.decode()
    assert "12348" in html
    assert 'href="/about/"' in client.get("/").content.decode()


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed
    }


def _fingerprint():
    """Primary keys per table: a second run must neither add, remove nor replace rows."""
    return {
        model._meta.label: sorted(model.objects.values_list("pk", flat=True))
        for model in apps.get_models()
        if not model._meta.proxy
        and model._meta.managed
        and not model._meta.label.startswith(("sessions.", "wagtailsearch.", "modelsearch."))
    }


def test_load_demo_data_is_idempotent(transactional_db):
    call_command("load_demo_data", password="Demo-pass-2026")
    first = _fingerprint()
    call_command("load_demo_data", password="Demo-pass-2026")
    assert _fingerprint() == first
