"""Wagtail admin: question bank (search, filters), papers, exams; import/export, regrade, reports."""

from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.admin_menu import PermissionMenuItem
from exams.admin import views as admin_views
from exams.admin.forms import ExamAdminForm, PaperAdminForm, QuestionAdminForm
from exams.models import Exam, Paper, Question


class LinkColumn(Column):
    def __init__(self, name, label, url_name, text):
        super().__init__(name, label=label)
        self.url_name, self.text = url_name, text

    def get_value(self, instance):
        return format_html(
            '<a href="{}">{}</a>', reverse(self.url_name, args=[instance.pk]), self.text
        )


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = "题库"
    search_fields = ["stem", "explanation"]
    search_backend_name = None
    list_display = [
        "__str__",
        "type",
        "difficulty",
        "needs_review",
        LinkColumn("regrade", "重新判分", "exams_question_regrade", "修改答案"),
    ]
    list_filter = ["type", "difficulty", "needs_review", "tags", "is_active"]
    list_per_page = 50
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("type"), FieldPanel("difficulty")]),
            FieldPanel("stem"),
            MultiFieldPanel(
                [FieldPanel(f"option_{k}") for k in "abcdef"],
                heading="选项（判断题、填空题不填）",
            ),
            FieldPanel("answer_text"),
            FieldPanel("explanation"),
            FieldPanel("tags_text"),
            FieldPanel("citations_text"),
            MultiFieldPanel(
                [FieldPanel("needs_review"), FieldPanel("review_note"), FieldPanel("is_active")],
                heading="状态",
            ),
        ],
        base_form_class=QuestionAdminForm,
    )


class PaperViewSet(SnippetViewSet):
    model = Paper
    icon = "doc-full"
    menu_label = "试卷"
    search_fields = ["title"]
    search_backend_name = None
    list_display = ["title", "mode"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("mode"),
            FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_options")]),
            InlinePanel(
                "rules",
                heading="抽题规则（随机组卷）",
                label="规则",
                panels=[
                    FieldRowPanel(
                        [FieldPanel("type"), FieldPanel("tag"), FieldPanel("difficulty")]
                    ),
                    FieldRowPanel([FieldPanel("count"), FieldPanel("points")]),
                ],
            ),
            FieldPanel("fixed_points"),
            InlinePanel(
                "items",
                heading="固定试题",
                label="试题",
                panels=[FieldPanel("question"), FieldPanel("points")],
            ),
        ],
        base_form_class=PaperAdminForm,
    )


class ExamViewSet(SnippetViewSet):
    model = Exam
    icon = "tasks"
    menu_label = "考试"
    search_fields = ["title"]
    search_backend_name = None
    list_display = [
        "title",
        "purpose",
        "opens_at",
        "closes_at",
        LinkColumn("report", "统计", "exams_report", "参考率与合格率"),
    ]
    list_filter = ["purpose", "is_published"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("purpose"),
            FieldPanel("description"),
            FieldPanel("paper"),
            MultiFieldPanel([FieldPanel("units"), FieldPanel("categories")], heading="参考范围"),
            FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
            FieldRowPanel(
                [
                    FieldPanel("time_limit_minutes"),
                    FieldPanel("attempts_allowed"),
                    FieldPanel("grace_seconds"),
                ]
            ),
            FieldRowPanel([FieldPanel("scoring"), FieldPanel("pass_mark")]),
            FieldPanel("bands"),
            FieldRowPanel(
                [
                    FieldPanel("show_answers"),
                    FieldPanel("require_study_credit"),
                    FieldPanel("is_published"),
                ]
            ),
        ],
        base_form_class=ExamAdminForm,
    )


class ExamsGroup(SnippetViewSetGroup):
    menu_label = "考试与题库"
    menu_icon = "tasks"
    menu_order = 400
    items = (QuestionViewSet, PaperViewSet, ExamViewSet)


register_snippet(ExamsGroup)


@hooks.register("register_admin_urls")
def register_exam_admin_urls():
    return [
        path("exams/import/", admin_views.question_import, name="exams_question_import"),
        path("exams/export/", admin_views.question_export, name="exams_question_export"),
        path(
            "exams/template.<str:ext>",
            admin_views.question_template,
            name="exams_question_template",
        ),
        path(
            "exams/questions/<int:pk>/regrade/",
            admin_views.question_regrade,
            name="exams_question_regrade",
        ),
        path("exams/<int:pk>/report/", admin_views.exam_report_view, name="exams_report"),
        path(
            "exams/<int:pk>/report/<str:task_id>/",
            admin_views.exam_report_status,
            name="exams_report_status",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return PermissionMenuItem(
        "题库导入导出",
        reverse("exams_question_import"),
        icon_name="upload",
        order=410,
        perm="exams.add_question",
    )


@hooks.register("register_log_actions")
def register_exam_log_actions(actions):
    actions.register_action("exams.regrade", "重新判分", "修改答案并重新判分")
