"""The anonymous page cache: hits, purge on publish, drafts never leak, no per-request data."""

import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from campaigns.models import EventPage, PageViewDaily
from tests.campaigns.conftest import publish

pytestmark = pytest.mark.django_db


def test_second_anonymous_request_is_a_cache_hit(client, campaign_tree):
    url = campaign_tree["campaign"].url
    assert client.get(url)["X-Page-Cache"] == "miss"
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert "学习宪法 尊崇宪法" in response.content.decode()


def test_published_change_is_visible_at_once_and_drafts_never_leak(client, campaign_tree):
    page = campaign_tree["campaign"]
    client.get(page.url)
    assert client.get(page.url)["X-Page-Cache"] == "hit"

    page.theme = "草稿里的新主题"
    page.save_revision()  # a draft
    html = client.get(page.url).content.decode()
    assert "草稿里的新主题" not in html
    assert "学习宪法 尊崇宪法" in html

    page.get_latest_revision().publish()
    response = client.get(page.url)
    assert response["X-Page-Cache"] == "miss"
    assert "草稿里的新主题" in response.content.decode()


def test_publishing_an_event_refreshes_the_cached_campaign(client, campaign_tree):
    page = campaign_tree["campaign"]
    client.get(page.url)
    start = timezone.now() + datetime.timedelta(days=5)
    event = EventPage(
        title="民法典进社区",
        slug="civil-code-community",
        kind="lecture",
        start=start,
        end=start + datetime.timedelta(hours=1),
    )
    page.add_child(instance=event)
    event.save_revision()
    assert "民法典进社区" not in client.get(page.url).content.decode()  # draft event
    publish(event)
    assert "民法典进社区" in client.get(page.url).content.decode()


def test_unpublished_page_is_gone_at_once(client, campaign_tree):
    page = campaign_tree["event"]
    client.get(page.url)
    page.unpublish()
    assert client.get(page.url).status_code == 404


def test_logged_in_users_and_query_strings_are_not_cached(client, campaign_tree, make_user):
    url = campaign_tree["campaign"].url
    assert client.get(url + "?from=wechat").has_header("X-Page-Cache") is False
    client.force_login(make_user(phone="13900000011"))
    client.get(url)
    assert client.get(url).has_header("X-Page-Cache") is False


def test_staff_see_reach_figures_never_cached(client, campaign_tree, admin_user):
    client.force_login(admin_user)
    html = client.get(campaign_tree["campaign"].url).content.decode()
    assert "覆盖面" in html
    client.logout()
    assert "覆盖面" not in client.get(campaign_tree["campaign"].url).content.decode()


def test_response_using_a_csp_nonce_is_not_cached(campaign_tree):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore

    page = campaign_tree["campaign"]
    request = RequestFactory().get(page.url)
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request._csp_nonce = "per-request-nonce"  # what django-csp sets once a template used it
    response = page.serve(request)
    assert response.status_code == 200
    assert not response.has_header("X-Page-Cache")
    request2 = RequestFactory().get(page.url)
    request2.user = AnonymousUser()
    request2.session = SessionStore()
    request2._messages = FallbackStorage(request2)
    assert page.serve(request2)["X-Page-Cache"] == "miss"  # nothing was stored before


def test_views_are_counted_on_the_server_cache_hits_included(client, campaign_tree, admin_user):
    page = campaign_tree["campaign"]
    for _ in range(3):
        client.get(page.url)
    client.force_login(admin_user)  # staff views are not counted
    client.get(page.url)
    row = PageViewDaily.objects.get(page_id=page.pk)
    assert row.views == 3
    assert row.day == timezone.localdate()


def test_cache_hit_needs_no_query_but_the_view_count(
    client, campaign_tree, django_assert_max_num_queries
):
    url = campaign_tree["event"].url
    client.get(url)
    with django_assert_max_num_queries(1):
        assert client.get(url)["X-Page-Cache"] == "hit"


def test_password_protected_page_is_never_served_from_the_cache(client, campaign_tree):
    from wagtail.models import PageViewRestriction

    page = campaign_tree["campaign"]
    assert client.get(page.url)["X-Page-Cache"] == "miss"
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="xianfa"
    )
    response = client.get(page.url)
    assert "学习宪法 尊崇宪法" not in response.content.decode()  # the password form
    # a visitor who knows the password sees the page, but it is not stored for others
    client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": "xianfa", "return_url": page.url},
    )
    response = client.get(page.url)
    assert "学习宪法 尊崇宪法" in response.content.decode()
    assert not response.has_header("X-Page-Cache")
    client.cookies.clear()
    assert "学习宪法 尊崇宪法" not in client.get(page.url).content.decode()
