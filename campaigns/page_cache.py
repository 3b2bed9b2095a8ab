"""Anonymous page cache for campaign and event pages (页面缓存).

Rendered HTML of a published page is cached for anonymous GET requests without a query string,
keyed by a global generation, the host and the path. Publishing, unpublishing, moving or
deleting any campaign page, or changing a page view restriction, starts a new generation (see
signals.py), so a change is visible at once. Only Page.serve of a live page is ever stored —
never previews, so drafts cannot leak.

`campaigns.views.page_serve` answers a hit before any routing (no SQL but the view count);
on a miss the page goes through Wagtail's own serve view (privacy hooks included).

Only the response body is cached, never headers: the CSP, cookies and the like stay per
request. A response is not stored if rendering used the CSP nonce (django-csp's
request._csp_nonce), the CSRF token or flash messages, or if the visitor's session has passed
a page password (Wagtail's view restrictions).
"""

import uuid

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse

GENERATION_KEY = "campaigns:pagecache:generation"
PASSED_RESTRICTIONS_KEY = "passed_page_view_restrictions"  # wagtail.models.PageViewRestriction
TIMEOUT = 15 * 60


def generation() -> str:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex[:12], None)
        value = cache.get(GENERATION_KEY) or "0"
    return value


def purge() -> None:
    """Start a new generation: every cached campaign page is stale from now on."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex[:12], None)


def request_cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD") or getattr(request, "is_preview", False):
        return False
    if request.GET:  # query strings are not cached (no cache filling with ?x=1, ?x=2 ...)
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    if session is not None and session.get(PASSED_RESTRICTIONS_KEY):
        return False
    return len(get_messages(request)) == 0


def _response_cacheable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and getattr(request, "_csp_nonce", None) is None
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.cookies
    )


def cache_key(request) -> str:
    return f"campaigns:page:{generation()}:{request.get_host()}:{request.path}"


def cached_response(request) -> HttpResponse | None:
    """The cached page for this anonymous request (view counted), or None."""
    if not request_cacheable(request):
        return None
    hit = cache.get(cache_key(request))
    if hit is None:
        return None
    count_view(hit["page_id"], request)
    response = HttpResponse(hit["content"], content_type=hit["content_type"])
    response["X-Page-Cache"] = "hit"
    return response


def count_view(page_id: int, request) -> None:
    """Server-side reach count: GETs of the public page, not previews, not staff."""
    if request.method != "GET" or getattr(request, "is_preview", False):
        return
    user = getattr(request, "user", None)
    if user is not None and user.is_staff:
        return
    from campaigns.services import page_view_record

    page_view_record(page_id=page_id)


class CachedServeMixin:
    """Mixed into a Page class: serve() answers anonymous GETs from the cache and fills it."""

    def serve(self, request, *args, **kwargs):
        if not request_cacheable(request):
            count_view(self.pk, request)
            return super().serve(request, *args, **kwargs)
        hit = cached_response(request)
        if hit is not None:
            return hit
        count_view(self.pk, request)
        response = super().serve(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if _response_cacheable(request, response):
            cache.set(
                cache_key(request),
                {
                    "content": response.content,
                    "content_type": response["Content-Type"],
                    "page_id": self.pk,
                },
                TIMEOUT,
            )
            response["X-Page-Cache"] = "miss"
        return response
