"""Beat's scheduled publishing task publishes due pages and is safe to run twice."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from home.models import StandardPage
from home.tasks import publish_scheduled_pages

pytestmark = pytest.mark.django_db


def test_scheduled_page_goes_live_and_task_is_idempotent(site_tree):
    page = StandardPage(title="定时发布的通知", slug="notice", live=False)
    site_tree.add_child(instance=page)
    page.go_live_at = timezone.now() + timedelta(minutes=5)
    revision = page.save_revision()
    revision.publish()  # go_live_at in the future: scheduled, not live
    page.refresh_from_db()
    assert not page.live

    publish_scheduled_pages.delay()  # too early: nothing happens
    page.refresh_from_db()
    assert not page.live

    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        publish_scheduled_pages.delay()
        page.refresh_from_db()
        assert page.live
        publish_scheduled_pages.delay()
        page.refresh_from_db()
        assert page.live and page.live_revision_id == revision.pk
