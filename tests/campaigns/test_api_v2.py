"""Wagtail API v2 at /api/v2/: campaign and event pages, images, documents."""

import pytest

pytestmark = pytest.mark.django_db


def test_campaign_pages_with_their_fields(client, campaign_tree):
    response = client.get(
        "/api/v2/pages/?type=campaigns.CampaignPage&fields=theme,year,month,audience_names,body"
    )
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert item["theme"] == "学习宪法 尊崇宪法"
    assert item["audience_names"] == ["村（社区）干部", "社会公众"]
    assert item["body"][0]["type"] == "paragraph"


def test_event_pages_and_detail(client, campaign_tree):
    response = client.get(
        "/api/v2/pages/?type=campaigns.EventPage&fields=start,end,place_name,organiser_name,kind_label"
    )
    (item,) = response.json()["items"]
    assert item["place_name"] == "柳湾村"
    assert item["organiser_name"] == "区司法局"
    assert item["kind_label"] == "宪法宣传周"
    detail = client.get(f"/api/v2/pages/{campaign_tree['event'].pk}/").json()
    assert detail["address"] == "村委会广场"
    assert detail["meta"]["type"] == "campaigns.EventPage"


def test_unpublished_pages_are_not_exposed(client, campaign_tree):
    campaign_tree["event"].unpublish()
    assert client.get("/api/v2/pages/?type=campaigns.EventPage").json()["items"] == []
    assert client.get(f"/api/v2/pages/{campaign_tree['event'].pk}/").status_code == 404


def test_images_and_documents_endpoints(client, campaign_tree):
    assert client.get("/api/v2/images/").status_code == 200
    assert client.get("/api/v2/documents/").status_code == 200
