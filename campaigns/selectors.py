"""Reads of the campaigns app: this month's theme, upcoming events, reach, duty scoping."""

import datetime

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db.models import Sum
from django.utils import timezone

from campaigns import page_cache
from campaigns.choices import EVENT_KIND_CHOICES
from campaigns.models import CampaignPage, EventPage, PageViewDaily
from campaigns.posters import poster_path


def page_by_site_path(root_page_id: int, path: str):
    """A campaign, event or year page by its path below the site root, in one query.

    The number of path segments below campaigns/ tells the page type. Not-live pages are
    returned too (Page.route refuses them); None if there is no such page.
    """
    from django.db.models import Subquery, Value
    from django.db.models.functions import Concat
    from wagtail.models import Page

    from campaigns.models import CampaignYearPage

    parts = [part for part in path.split("/") if part]
    model = {2: CampaignYearPage, 3: CampaignPage, 4: EventPage}.get(len(parts))
    if model is None:
        return None
    root_path = Page.objects.filter(pk=root_page_id).values("url_path")[:1]
    queryset = model.objects.filter(
        url_path=Concat(Subquery(root_path), Value("/".join(parts) + "/"))
    )
    if model is EventPage:
        queryset = queryset.select_related("place", "organiser")
    return queryset.first()


def campaign_for_month(year: int, month: int) -> CampaignPage | None:
    return CampaignPage.objects.live().filter(year=year, month=month).order_by("pk").first()


def campaign_current() -> CampaignPage | None:
    """This month's theme (本月主题)."""
    today = timezone.localdate()
    return campaign_for_month(today.year, today.month)


def events_upcoming(limit: int = 3):
    """Live events that have not ended yet, soonest first."""
    return list(
        EventPage.objects.live()
        .filter(end__gte=timezone.now())
        .select_related("place")
        .order_by("start", "pk")[:limit]
    )


def _relative_url(url_path: str) -> str:
    """A page's URL from its url_path and Wagtail's cached site root paths (no query when warm)."""
    from wagtail.models import Site

    for root in Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            return "/" + url_path[len(root.root_path) :]
    return url_path


def home_summary() -> dict:
    """This month's theme and the next three events, as plain values, in one query; cached.

    One query on the page table joins both page types: this month's live campaign sorts first,
    then live events that have not ended, soonest first. The cache key carries the page-cache
    generation (new on every publish) and today's date.
    """
    from django.db.models import Case, IntegerField, Q, Value, When
    from wagtail.models import Page

    today = timezone.localdate()
    key = f"campaigns:home:{page_cache.generation()}:{today.isoformat()}"
    summary = cache.get(key)
    if summary is not None:
        return summary
    is_campaign = Q(campaignpage__year=today.year, campaignpage__month=today.month)
    rows = (
        Page.objects.live()
        .filter(is_campaign | Q(eventpage__end__gte=timezone.now()))
        .annotate(
            is_campaign=Case(
                When(is_campaign, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("is_campaign", "eventpage__start", "pk")
        .values(
            "is_campaign",
            "title",
            "url_path",
            "campaignpage__theme",
            "campaignpage__summary",
            "campaignpage__month",
            "eventpage__start",
            "eventpage__kind",
            "eventpage__place__name",
        )[:4]
    )
    campaign, events = None, []
    kinds = dict(EVENT_KIND_CHOICES)
    for row in rows:
        if row["is_campaign"] == 0 and campaign is None:
            campaign = {
                "title": row["title"],
                "theme": row["campaignpage__theme"],
                "summary": row["campaignpage__summary"],
                "url": _relative_url(row["url_path"]),
                "year_url": _relative_url(row["url_path"].rstrip("/").rsplit("/", 1)[0] + "/"),
                "month": row["campaignpage__month"],
            }
        elif row["is_campaign"] == 1 and len(events) < 3:
            events.append(
                {
                    "title": row["title"],
                    "url": _relative_url(row["url_path"]),
                    "start": row["eventpage__start"],
                    "place": row["eventpage__place__name"] or "",
                    "kind": kinds.get(row["eventpage__kind"], ""),
                }
            )
    summary = {"campaign": campaign, "events": events}
    cache.set(key, summary, 600)
    return summary


def poster_url(page) -> str:
    """URL of the page's generated QR poster, or "" before it has been generated."""
    path = poster_path(page.pk)
    if not default_storage.exists(path):
        return ""
    stamp = int(page.last_published_at.timestamp()) if page.last_published_at else 0
    return f"{default_storage.url(path)}?v={stamp}"


def page_views(page_ids, start: datetime.date | None = None, end: datetime.date | None = None):
    """Total server-side views per page id."""
    queryset = PageViewDaily.objects.filter(page_id__in=list(page_ids))
    if start:
        queryset = queryset.filter(day__gte=start)
    if end:
        queryset = queryset.filter(day__lte=end)
    return {
        row["page_id"]: row["total"]
        for row in queryset.values("page_id").annotate(total=Sum("views"))
    }


def campaign_reach(campaign: CampaignPage) -> dict:
    """Page views (campaign and its events), quiz participants and event participants."""
    return reach_rows([campaign])[0]


def reach_rows(campaigns: list[CampaignPage]) -> list[dict]:
    """Reach figures of several campaigns in a fixed number of queries."""
    from campaigns.quiz.selectors import quiz_participants_by_campaign

    if not campaigns:
        return []
    steplen = CampaignPage.steplen
    paths = {campaign.path: campaign for campaign in campaigns}
    events = [
        event
        for event in EventPage.objects.live()
        .filter(depth=campaigns[0].depth + 1)
        .filter(path__startswith=campaigns[0].path[:-steplen])
        .values("pk", "path", "participants")
        if event["path"][:-steplen] in paths
    ]
    views = page_views([c.pk for c in campaigns] + [event["pk"] for event in events])
    quiz = quiz_participants_by_campaign([c.pk for c in campaigns])
    rows = []
    for campaign in campaigns:
        own = [event for event in events if event["path"][:-steplen] == campaign.path]
        rows.append(
            {
                "campaign": campaign,
                "views": views.get(campaign.pk, 0) + sum(views.get(e["pk"], 0) for e in own),
                "campaign_views": views.get(campaign.pk, 0),
                "events": len(own),
                "event_participants": sum(event["participants"] or 0 for event in own),
                "quiz_participants": quiz.get(campaign.pk, 0),
            }
        )
    return rows


def reach_summary(year: int) -> list[dict]:
    """One row per campaign of the year (年度宣传覆盖面汇总); campaigns share a year page."""
    campaigns = list(CampaignPage.objects.filter(year=year).order_by("month", "pk"))
    by_parent: dict[str, list] = {}
    for campaign in campaigns:
        by_parent.setdefault(campaign.path[: -CampaignPage.steplen], []).append(campaign)
    rows = []
    for group in by_parent.values():
        rows.extend(reach_rows(group))
    return sorted(rows, key=lambda row: (row["campaign"].month, row["campaign"].pk))
