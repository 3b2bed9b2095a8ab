"""Reads for the home app."""

from django.core.cache import cache
from wagtail.models import Site

from home.models import PlatformSettings

NAV_CACHE_KEY = "home:nav:{site_id}"


def navigation_links(site: Site | None, request=None) -> list[dict]:
    """The main navigation as plain dicts, cached until the settings change.

    With the request, the settings object the context processor already loaded is reused.
    """
    if site is None:
        return []
    key = NAV_CACHE_KEY.format(site_id=site.pk)
    links = cache.get(key)
    if links is None:
        settings = (
            PlatformSettings.for_request(request) if request is not None else None
        ) or PlatformSettings.for_site(site)
        links = [
            {"title": link.title, "href": link.href}
            for link in settings.nav_links.select_related("page").all()
        ]
        cache.set(key, links, 3600)
    return links


def navigation_invalidate() -> None:
    cache.delete_many(
        [NAV_CACHE_KEY.format(site_id=pk) for pk in Site.objects.values_list("pk", flat=True)]
    )
