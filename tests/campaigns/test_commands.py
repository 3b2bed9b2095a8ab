"""Management commands: campaigns_setup and campaign_posters."""

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Workflow

from campaigns import posters
from campaigns.duty.models import ReviewCriterion

pytestmark = pytest.mark.django_db


def test_campaigns_setup_needs_the_section_then_is_idempotent(site_tree, campaign_tree, capsys):
    call_command("campaigns_setup")
    call_command("campaigns_setup")
    assert Workflow.objects.filter(name="普法宣传审核").count() == 1
    assert ReviewCriterion.objects.count() == 4
    assert "已就绪" in capsys.readouterr().out


def test_campaigns_setup_without_section(site_tree):
    with pytest.raises(CommandError, match="普法宣传栏目"):
        call_command("campaigns_setup")


def test_campaign_posters(campaign_tree, settings, tmp_path, capsys):
    settings.MEDIA_ROOT = str(tmp_path)
    call_command("campaign_posters")
    assert len(list((tmp_path / "campaigns" / "posters").iterdir())) == 2
    call_command("campaign_posters", page=[campaign_tree["index"].pk])
    assert "已跳过" in capsys.readouterr().err
    settings.MINGBAI_CJK_FONT = "/nonexistent.ttc"
    posters._load_font.cache_clear()
    with pytest.raises(CommandError, match="nonexistent"):
        call_command("campaign_posters")
