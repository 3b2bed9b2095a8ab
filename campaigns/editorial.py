"""Editorial workflow of the campaigns section (普法宣传审核), set up idempotently.

Publicity editors (普法宣传编辑) may add and edit pages under the campaigns section and submit
them for review, but not publish. Reviewers (普法宣传审核) and district admins (区司法局管理员)
approve or reject with a comment in Wagtail's workflow (a GroupApprovalTask); an approved page
with a go-live time is published by Celery beat (home.tasks.publish_scheduled_pages).
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from people.accounts.roles import DISTRICT_ADMIN, PUBLICITY_EDITOR, PUBLICITY_REVIEWER, ensure_roles

WORKFLOW_NAME = "普法宣传审核"
TASK_NAME = "普法宣传审核员审核"

PAGE_PERMISSIONS = {
    PUBLICITY_EDITOR: ("add_page", "change_page"),
    PUBLICITY_REVIEWER: ("add_page", "change_page", "publish_page"),
    DISTRICT_ADMIN: ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
}
COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
)


def _page_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


@transaction.atomic
def editorial_setup(*, section: Page) -> Workflow:
    """Create (or complete) the workflow, its task and the group permissions on `section`.

    A second run changes nothing.
    """
    groups: dict[str, Group] = ensure_roles()
    reviewers = [groups[PUBLICITY_REVIEWER], groups[DISTRICT_ADMIN]]

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    missing = {g.pk for g in reviewers} - set(task.groups.values_list("pk", flat=True))
    if missing:
        task.groups.add(*missing)

    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    assigned = WorkflowPage.objects.filter(page=section).first()
    if assigned is None:
        WorkflowPage.objects.create(page=section, workflow=workflow)
    elif assigned.workflow_id != workflow.pk:
        assigned.workflow = workflow
        assigned.save(update_fields=["workflow"])

    for role, codenames in PAGE_PERMISSIONS.items():
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=groups[role], page=section, permission=_page_permission(codename)
            )
    root_collection = Collection.get_first_root_node()
    for role in (PUBLICITY_EDITOR, PUBLICITY_REVIEWER):
        for app_label, codename in COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=groups[role],
                collection=root_collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )
    return workflow
