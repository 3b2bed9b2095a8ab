"""Writes of the campaigns app: posters and view counts (duty reports: duty_services.py)."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from wagtail.models import Page

from campaigns.models import CampaignPage, EventPage, PageViewDaily
from campaigns.posters import PosterContent, poster_path, render_poster


def page_public_url(page: Page) -> str:
    """Absolute public URL of a page, on WAGTAILADMIN_BASE_URL (the address QR codes carry)."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    parts = page.get_url_parts()
    return base + (parts[2] if parts else "/")


def _when(start, end) -> str:
    start, end = timezone.localtime(start), timezone.localtime(end)
    if start.date() == end.date():
        return f"{start:%Y年%m月%d日 %H:%M}–{end:%H:%M}"
    return f"{start:%Y年%m月%d日 %H:%M} 至 {end:%Y年%m月%d日 %H:%M}"


def poster_content(page) -> PosterContent:
    district = getattr(settings, "MINGBAI_DISTRICT_NAME", "")
    if isinstance(page, EventPage):
        lines = [f"时间：{_when(page.start, page.end)}", f"活动：{page.kind_label}"]
        place = "".join(part for part in (page.place_name, page.address) if part)
        if place:
            lines.append(f"地点：{place}")
        if page.organiser_name:
            lines.append(f"主办：{page.organiser_name}")
        heading = "普法宣传活动"
    else:
        lines = [f"{page.year}年{page.month}月 · 一月一主题", f"主题：{page.theme}"]
        if page.summary:
            lines.append(page.summary)
        heading = "一月一主题 普法宣传"
    return PosterContent(
        title=page.title,
        lines=tuple(lines),
        url=page_public_url(page),
        heading=heading,
        footer=f"{district}司法局 · 公共法律服务热线 12348"
        if district
        else "公共法律服务热线 12348",
    )


def poster_generate(*, page_id: int) -> str | None:
    """Draw the QR poster of a live campaign or event page; returns its storage path.

    Deterministic and overwriting one file per page, so running it twice is harmless.
    Returns None for pages that are not (or no longer) live campaign/event pages.
    """
    page = Page.objects.filter(pk=page_id, live=True).first()
    page = page.specific if page is not None else None
    if not isinstance(page, CampaignPage | EventPage):
        return None
    data = render_poster(poster_content(page))
    path = poster_path(page.pk)
    if default_storage.exists(path):
        with default_storage.open(path, "rb") as existing:
            if existing.read() == data:
                return path
        default_storage.delete(path)
    saved = default_storage.save(path, ContentFile(data))
    if saved != path:  # another run saved it meanwhile: keep one file
        default_storage.delete(saved)
    return path


def page_view_record(*, page_id: int) -> None:
    """Count one server-side view of a page today: a single upsert statement.

    INSERT ... ON CONFLICT DO UPDATE is the same SQL on SQLite (3.24+) and PostgreSQL.
    """
    table = connection.ops.quote_name(PageViewDaily._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (page_id, day, views) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (page_id, day) DO UPDATE SET views = {table}.views + 1",
            [page_id, timezone.localdate()],
        )
