"""Anonymous page cache for campaign and event pages (页面缓存).

Rendered HTML of a published page is cached for anonymous GET requests, keyed by a global
generation, the page id and its live revision (requests with a query string are not cached). Publishing or unpublishing any
campaign page starts a new generation (see signals.py), so a change is visible at once; drafts
are never served from here (only Page.serve of a live page is cached, never previews).

Only the response body is cached. Per-request values must not be in it: a response is not
stored if rendering used the CSP nonce (django-csp's request._csp_nonce), the CSRF token, or
showed flash messages; headers (CSP, cookies) are always made fresh by the middleware.
"""

import uuid

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse

GENERATION_KEY = "campaigns:pagecache:generation"
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


def _request_cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD") or getattr(request, "is_preview", False):
        return False
    if request.GET:  # query strings are not cached (no cache filling with ?x=1, ?x=2 ...)
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
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


def _count_view(page, request) -> None:
    """Server-side reach count: GETs of the public page, not previews, not staff."""
    if request.method != "GET" or getattr(request, "is_preview", False):
        return
    user = getattr(request, "user", None)
    if user is not None and user.is_staff:
        return
    from .services import page_view_record

    page_view_record(page_id=page.pk)


class CachedServeMixin:
    """Mixed into a Page class: serve() answers anonymous GETs from the cache."""

    def serve(self, request, *args, **kwargs):
        _count_view(self, request)
        if not _request_cacheable(request):
            return super().serve(request, *args, **kwargs)
        key = f"campaigns:page:{generation()}:{self.pk}:{self.live_revision_id}"
        hit = cache.get(key)
        if hit is not None:
            response = HttpResponse(hit["content"], content_type=hit["content_type"])
            response["X-Page-Cache"] = "hit"
            return response
        response = super().serve(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if _response_cacheable(request, response):
            cache.set(
                key,
                {"content": response.content, "content_type": response["Content-Type"]},
                TIMEOUT,
            )
            response["X-Page-Cache"] = "miss"
        return response
