"""Admin screens of the campaigns app render (panels, choosers, snippets, menu links)."""

import pytest

pytestmark = pytest.mark.django_db


def test_admin_page_forms_render(client, campaign_tree, admin_user):
    client.force_login(admin_user)
    for url in (
        f"/admin/pages/{campaign_tree['campaign'].pk}/edit/",
        f"/admin/pages/{campaign_tree['event'].pk}/edit/",
        f"/admin/pages/{campaign_tree['year'].pk}/edit/",
        f"/admin/pages/add/campaigns/eventpage/{campaign_tree['campaign'].pk}/",
        f"/admin/pages/add/campaigns/campaignpage/{campaign_tree['year'].pk}/",
        "/admin/snippets/campaigns/campaignquiz/",
        "/admin/snippets/campaigns/campaignquiz/add/",
        "/admin/snippets/campaigns/reviewcriterion/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    home = client.get("/admin/").content.decode()
    assert "/campaigns/duty/" in home and "/campaigns/reach/" in home  # sidebar menu (JSON)


def test_duplicate_month_is_refused_in_the_admin(client, campaign_tree, admin_user):
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    from campaigns.models import CampaignPage

    client.force_login(admin_user)
    year = campaign_tree["year"]
    data = nested_form_data(
        {
            "title": "重复的月份",
            "slug": "duplicate",
            "theme": "重复",
            "month": campaign_tree["campaign"].month,
            "body": streamfield([("paragraph", rich_text("<p>x</p>"))]),
            "downloads": streamfield([]),
            "lessons": streamfield([]),
            "comments-TOTAL_FORMS": 0,
            "comments-INITIAL_FORMS": 0,
            "comments-MIN_NUM_FORMS": 0,
            "comments-MAX_NUM_FORMS": 1000,
        }
    )
    response = client.post(f"/admin/pages/add/campaigns/campaignpage/{year.pk}/", data)
    assert response.status_code == 200
    assert "已经有主题宣传页面" in response.content.decode()
    assert not CampaignPage.objects.filter(slug="duplicate").exists()


def test_reach_summary_is_for_staff_only(client, campaign_tree, make_user):
    assert client.get("/campaigns/reach/").status_code == 302
    client.force_login(make_user(phone="13900000051"))
    assert client.get("/campaigns/reach/").status_code == 302
