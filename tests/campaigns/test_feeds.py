"""RSS/Atom of campaigns and the iCalendar of events, parsed with real libraries."""

import defusedxml.ElementTree as ET
import pytest
from icalendar import Calendar

pytestmark = pytest.mark.django_db


def test_rss_feed_lists_published_campaigns(client, campaign_tree):
    response = client.get("/campaigns/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    items = root.findall("./channel/item")
    assert [item.findtext("title") for item in items] == [campaign_tree["campaign"].title]
    assert items[0].findtext("link").endswith(campaign_tree["campaign"].url)
    assert items[0].findtext("guid").startswith("mingbai-campaign-")


def test_atom_feed(client, campaign_tree):
    response = client.get("/campaigns/feed/atom/")
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.find("a:entry/a:title", ns).text == campaign_tree["campaign"].title


def test_draft_campaigns_are_not_in_the_feed(client, campaign_tree):
    page = campaign_tree["campaign"]
    page.unpublish()
    root = ET.fromstring(client.get("/campaigns/feed/").content)
    assert root.findall("./channel/item") == []


def _calendar(client):
    response = client.get("/campaigns/events.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_icalendar_is_valid_with_shanghai_time_zone_and_stable_uids(client, campaign_tree):
    calendar = _calendar(client)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    timezones = calendar.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Asia/Shanghai"]
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "宪法宣传进村"
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert event["DTSTART"].dt == campaign_tree["event"].start
    assert event["DTEND"].dt == campaign_tree["event"].end
    assert "柳湾村" in str(event["LOCATION"])
    assert "DTSTAMP" in event
    uid = str(event["UID"])

    page = campaign_tree["event"]
    page.title = "宪法宣传进村（改期）"
    page.save_revision().publish()
    (event,) = _calendar(client).walk("VEVENT")
    assert str(event["UID"]) == uid  # stable across edits
    assert str(event["SUMMARY"]) == "宪法宣传进村（改期）"  # the cache was purged on publish


def test_icalendar_omits_unpublished_events(client, campaign_tree):
    campaign_tree["event"].unpublish()
    assert _calendar(client).walk("VEVENT") == []
