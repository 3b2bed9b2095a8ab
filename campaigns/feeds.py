"""Feeds: RSS/Atom of campaign pages, iCalendar (RFC 5545) of events."""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from icalendar import Calendar, Event, Timezone

from campaigns.models import CampaignPage, EventPage
from campaigns.services import page_public_url

TZID = "Asia/Shanghai"
FEED_SIZE = 30


class CampaignFeed(Feed):
    """RSS 2.0 of published monthly campaigns, newest first."""

    title = "普法宣传 · 一月一主题"
    description = "区司法局每月普法宣传主题与活动"

    def link(self):
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/campaigns/"

    def items(self):
        return (
            CampaignPage.objects.live().public().order_by("-first_published_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return f"{item.year}年{item.month}月主题：{item.theme}。{item.summary}"

    def item_link(self, item):
        return page_public_url(item)

    def item_guid(self, item):
        return f"mingbai-campaign-{item.translation_key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [item.theme]


class CampaignAtomFeed(CampaignFeed):
    feed_type = Atom1Feed
    subtitle = CampaignFeed.description


def events_calendar() -> bytes:
    """Live public events as an iCalendar file with a VTIMEZONE for Asia/Shanghai."""
    tz = zoneinfo.ZoneInfo(TZID)
    calendar = Calendar()
    calendar.add("prodid", "-//Mingbai//campaign events//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "普法宣传活动")
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(
        Timezone.from_tzid(
            TZID, first_date=datetime.date(2020, 1, 1), last_date=datetime.date(2038, 1, 1)
        )
    )
    host = settings.WAGTAILADMIN_BASE_URL.split("://", 1)[-1].split("/", 1)[0] or "mingbai"
    events = (
        EventPage.objects.live()
        .public()
        .select_related("place", "organiser")
        .order_by("start", "pk")
    )
    now = timezone.now()
    for page in events:
        event = Event()
        event.add("uid", f"event-{page.translation_key}@{host}")
        event.add("dtstamp", page.last_published_at or now)
        event.add("dtstart", timezone.localtime(page.start, tz))
        event.add("dtend", timezone.localtime(page.end, tz))
        event.add("summary", page.title)
        description = page.summary or page.kind_label
        if page.organiser_name:
            description += f"\n主办：{page.organiser_name}"
        event.add("description", description)
        location = "".join(part for part in (page.place_name, page.address) if part)
        if location:
            event.add("location", location)
        event.add("categories", [page.kind_label])
        event.add("url", page_public_url(page))
        if page.last_published_at:
            event.add("last-modified", page.last_published_at)
        calendar.add_component(event)
    return calendar.to_ical()
