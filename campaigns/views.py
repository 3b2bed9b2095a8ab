"""Public and staff views of the campaigns app (thin: selectors and services do the work)."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from campaigns import page_cache
from campaigns.feeds import events_calendar
from campaigns.selectors import page_by_site_path, reach_summary


def page_serve(request, rest):
    """Serve /campaigns/<year>/<month>/<event>/ through Wagtail, routed in one query.

    Wagtail's router walks the tree with two queries per segment; here the page is looked up by
    its url_path and handed to Wagtail's own serve view (hooks, privacy, previews unchanged).
    """
    from wagtail.models import Site
    from wagtail.views import serve

    path = "campaigns/" + rest
    hit = page_cache.cached_response(request)  # anonymous hit: no routing at all
    if hit is not None:
        return hit
    site = Site.find_for_request(request)
    if site is not None:
        page = page_by_site_path(site.root_page_id, path)
        if page is not None:
            try:
                request._wagtail_route_for_request = page.route(request, [])
            except Http404:
                request._wagtail_route_for_request = None
    return serve(request, path)


@require_GET
def events_ics(request):
    """iCalendar of events; cached until the next publish (page-cache generation)."""
    key = f"campaigns:ics:{page_cache.generation()}"
    body = cache.get(key)
    if body is None:
        body = events_calendar()
        cache.set(key, body, 3600)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response


@staff_member_required(login_url="account_login")
def reach_year(request, year=None):
    """年度宣传覆盖面：每个月度主题的浏览量、答题人数、活动参加人数。"""
    year = year or timezone.localdate().year
    rows = reach_summary(year)
    totals = {
        key: sum(row[key] for row in rows)
        for key in ("views", "events", "event_participants", "quiz_participants")
    }
    return render(
        request, "campaigns/reach_year.html", {"year": year, "rows": rows, "totals": totals}
    )
