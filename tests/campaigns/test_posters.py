"""QR posters: drawn on publish by a Celery task, safe to run twice, clear error without a font."""

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from campaigns import posters
from campaigns.posters import PosterFontMissing, poster_path
from campaigns.services import poster_generate
from campaigns.tasks import poster_generate as poster_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    posters._fontconfig.cache_clear()
    yield tmp_path
    posters._fontconfig.cache_clear()


def test_publishing_draws_a_printable_poster(
    client, campaign_tree, django_capture_on_commit_callbacks
):
    event = campaign_tree["event"]
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    path = poster_path(event.pk)
    assert default_storage.exists(path)
    with default_storage.open(path, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    assert image.format == "PNG"
    assert image.size == (1240, 1754)
    # the page links to it
    assert default_storage.url(path) in client.get(event.url).content.decode()


def test_task_is_safe_to_run_twice(campaign_tree, media):
    page = campaign_tree["campaign"]
    poster_task.delay(page.pk)
    first = (media / poster_path(page.pk)).read_bytes()
    poster_task.delay(page.pk)
    assert (media / poster_path(page.pk)).read_bytes() == first
    assert len(list((media / "campaigns" / "posters").iterdir())) == 1


def test_poster_is_not_drawn_for_drafts_or_other_pages(campaign_tree, site_tree):
    page = campaign_tree["campaign"]
    page.unpublish()
    assert poster_generate(page_id=page.pk) is None
    assert poster_generate(page_id=site_tree.pk) is None
    assert poster_generate(page_id=999999) is None


def test_qr_code_carries_the_public_url(campaign_tree, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://mingbai.example.gov.cn"
    from campaigns.services import poster_content

    content = poster_content(campaign_tree["event"])
    assert content.url == "https://mingbai.example.gov.cn" + campaign_tree["event"].url
    assert any("柳湾村" in line for line in content.lines)


def test_clear_error_without_a_cjk_font(campaign_tree, settings, monkeypatch):
    settings.MINGBAI_CJK_FONT = ""
    monkeypatch.setattr(posters.shutil, "which", lambda name: None)
    with pytest.raises(PosterFontMissing, match="fonts-noto-cjk"):
        poster_generate(page_id=campaign_tree["campaign"].pk)


def test_configured_font_that_does_not_exist(campaign_tree, settings):
    settings.MINGBAI_CJK_FONT = "/nonexistent/font.ttc"
    with pytest.raises(PosterFontMissing, match="/nonexistent/font.ttc"):
        poster_generate(page_id=campaign_tree["campaign"].pk)
