"""Fixtures of the campaigns tests: organisation units and a published campaign tree."""

import datetime

import pytest
from django.utils import timezone

from campaigns.models import CampaignIndexPage, CampaignPage, CampaignYearPage, EventPage


@pytest.fixture
def units(db):
    from people.roster.models import Unit

    district = Unit.objects.create(kind="district", code="T-D", name="测试区")
    town = Unit.objects.create(kind="town", code="T-D-01", name="青石镇", parent=district)
    village = Unit.objects.create(kind="village", code="T-D-01-01", name="柳湾村", parent=town)
    justice = Unit.objects.create(
        kind="department", code="T-BM-SFJ", name="区司法局", parent=district
    )
    market = Unit.objects.create(
        kind="department", code="T-BM-SCJ", name="区市场监管局", parent=district
    )
    return {
        "district": district,
        "town": town,
        "village": village,
        "justice": justice,
        "market": market,
    }


def publish(page):
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def campaign_tree(site_tree, units):
    """Index → this year → this month's campaign → an upcoming event (all published)."""
    today = timezone.localdate()
    index = CampaignIndexPage(title="普法宣传", slug="campaigns", intro="一月一主题")
    site_tree.add_child(instance=index)
    publish(index)
    year = CampaignYearPage(
        title=f"{today.year}年一月一主题", slug=str(today.year), year=today.year
    )
    index.add_child(instance=year)
    publish(year)
    campaign = CampaignPage(
        title=f"{today.month}月主题：学习宪法",
        slug=f"{today.month:02d}",
        theme="学习宪法 尊崇宪法",
        month=today.month,
        summary="宪法是国家的根本法。",
        audiences=["cadres", "public"],
        body=[("paragraph", "<p>本月围绕宪法开展宣传。</p>")],
    )
    year.add_child(instance=campaign)
    publish(campaign)
    start = (timezone.now() + datetime.timedelta(days=3)).replace(second=0, microsecond=0)
    event = EventPage(
        title="宪法宣传进村",
        slug="constitution-village",
        kind="constitution_week",
        start=start,
        end=start + datetime.timedelta(hours=2),
        place=units["village"],
        address="村委会广场",
        organiser=units["justice"],
        summary="律师现场解答群众法律问题。",
    )
    campaign.add_child(instance=event)
    publish(event)
    return {"index": index, "year": year, "campaign": campaign, "event": event}
