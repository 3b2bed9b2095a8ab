"""Editorial workflow: editors draft and submit but cannot publish; reviewers approve with a
comment; an approved page with a go-live time is published by beat's task."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import GroupPagePermission, TaskState, Workflow, WorkflowState
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from campaigns.editorial import WORKFLOW_NAME, editorial_setup
from campaigns.models import CampaignPage
from home.tasks import publish_scheduled_pages
from people.accounts.roles import PUBLICITY_EDITOR, PUBLICITY_REVIEWER

pytestmark = pytest.mark.django_db


@pytest.fixture
def editorial(campaign_tree, make_user):
    editorial_setup(section=campaign_tree["index"])
    editor = make_user(phone="13900000003", display_name="宣传编辑", is_staff=True)
    editor.groups.add(Group.objects.get(name=PUBLICITY_EDITOR))
    reviewer = make_user(phone="13900000004", display_name="审核员", is_staff=True)
    reviewer.groups.add(Group.objects.get(name=PUBLICITY_REVIEWER))
    return {**campaign_tree, "editor": editor, "reviewer": reviewer}


def _form(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    # StreamFields are drawn by JavaScript: post them as Wagtail's tests do.
    data.update(
        nested_form_data(
            {
                "body": streamfield([("paragraph", rich_text("<p>本月围绕宪法开展宣传。</p>"))]),
                "downloads": streamfield([]),
                "lessons": streamfield([]),
            }
        )
    )
    return data


def test_setup_is_idempotent(campaign_tree):
    editorial_setup(section=campaign_tree["index"])
    counts = (Workflow.objects.count(), GroupPagePermission.objects.count())
    editorial_setup(section=campaign_tree["index"])
    assert (Workflow.objects.count(), GroupPagePermission.objects.count()) == counts
    assert (
        Workflow.objects.get(name=WORKFLOW_NAME)
        .workflow_pages.filter(page=campaign_tree["index"])
        .exists()
    )


def test_editor_cannot_publish(client, editorial):
    page = editorial["campaign"]
    client.force_login(editorial["editor"])
    edit_url = f"/admin/pages/{page.pk}/edit/"
    data = _form(client, edit_url)
    data["theme"] = "编辑想直接发布的主题"
    data["action-publish"] = "action-publish"
    response = client.post(edit_url, data)
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.theme == "学习宪法 尊崇宪法"  # the live page did not change
    assert page.has_unpublished_changes  # ...the edit was kept as a draft
    assert "编辑想直接发布的主题" not in client.get(page.url).content.decode()
    # Wagtail's bulk publish action refuses as well.
    response = client.post(f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}", {})
    page.refresh_from_db()
    assert page.theme == "学习宪法 尊崇宪法"
    # and unpublishing is not allowed either
    assert client.post(f"/admin/pages/{page.pk}/unpublish/").status_code in (302, 403)
    page.refresh_from_db()
    assert page.live


def test_reviewer_approves_with_comment(client, editorial):
    page = editorial["campaign"]
    client.force_login(editorial["editor"])
    edit_url = f"/admin/pages/{page.pk}/edit/"
    data = _form(client, edit_url)
    data["theme"] = "宪法伴我成长"
    data["action-submit"] = "action-submit"
    assert client.post(edit_url, data).status_code == 302
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    task_state = state.current_task_state

    client.force_login(editorial["reviewer"])
    response = client.post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/",
        {"comment": "内容准确，同意发布。"},
    )
    assert response.status_code == 302
    task_state = TaskState.objects.get(pk=task_state.pk)
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.comment == "内容准确，同意发布。"
    page.refresh_from_db()
    assert page.theme == "宪法伴我成长"
    assert "宪法伴我成长" in client.get(page.url).content.decode()


def test_reviewer_rejects_with_comment(client, editorial):
    page = editorial["campaign"]
    client.force_login(editorial["editor"])
    edit_url = f"/admin/pages/{page.pk}/edit/"
    data = _form(client, edit_url)
    data["theme"] = "有错别字的主题"
    data["action-submit"] = "action-submit"
    client.post(edit_url, data)
    task_state = WorkflowState.objects.get(object_id=str(page.pk)).current_task_state
    client.force_login(editorial["reviewer"])
    client.post(
        f"/admin/pages/workflow/action/{page.pk}/reject/{task_state.pk}/",
        {"comment": "主题有错别字，请修改。"},
    )
    task_state = TaskState.objects.get(pk=task_state.pk)
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.comment == "主题有错别字，请修改。"
    page.refresh_from_db()
    assert page.theme == "学习宪法 尊崇宪法"


def test_new_campaign_goes_live_at_scheduled_time_after_approval(client, editorial):
    year = editorial["year"]
    month = 12 if timezone.localdate().month != 12 else 11
    client.force_login(editorial["editor"])
    add_url = f"/admin/pages/add/campaigns/campaignpage/{year.pk}/"
    data = _form(client, add_url)
    go_live = timezone.localtime() + datetime.timedelta(days=2)
    data.update(
        {
            "title": "宪法宣传周",
            "slug": "xianfa-week",
            "theme": "大力弘扬宪法精神",
            "month": str(month),
            "go_live_at": go_live.strftime("%Y-%m-%d %H:%M"),
            "action-submit": "action-submit",
        }
    )
    response = client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = CampaignPage.objects.get(slug="xianfa-week")
    assert not page.live
    task_state = WorkflowState.objects.get(object_id=str(page.pk)).current_task_state

    client.force_login(editorial["reviewer"])
    client.post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/",
        {"comment": "同意，按计划上线。"},
    )
    page.refresh_from_db()
    assert not page.live  # approved, waiting for its go-live time
    client.logout()
    assert client.get("/campaigns/").status_code == 200
    publish_scheduled_pages.delay()
    page.refresh_from_db()
    assert not page.live

    with time_machine.travel(go_live + datetime.timedelta(minutes=1)):
        publish_scheduled_pages.delay()
        page.refresh_from_db()
        assert page.live
        publish_scheduled_pages.delay()  # safe to run twice
    response = client.get(page.url)
    assert response.status_code == 200
    assert "大力弘扬宪法精神" in response.content.decode()
