"""Course and lesson pages, "my learning" (课程页、课时页、我的学习)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.core.files.images import ImageFile
from django.test import Client
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests.learning.study.conftest import SELF_CHECK, make_lesson


def png(name="x.png", colour=(200, 30, 30)):
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 40), colour).save(buffer, "PNG")
    return ImageFile(io.BytesIO(buffer.getvalue()), name=name)


def many_blocks_body(n):
    Image = get_image_model()
    Document = get_document_model()
    from django.core.files.base import ContentFile

    body = []
    for i in range(n):
        image = Image.objects.create(title=f"图{i}", file=png(f"p{i}.png"))
        poster = Image.objects.create(title=f"封面{i}", file=png(f"q{i}.png", (0, 90, 0)))
        video = Document.objects.create(title=f"视频{i}", file=ContentFile(b"x", name=f"v{i}.mp4"))
        audio = Document.objects.create(title=f"音频{i}", file=ContentFile(b"x", name=f"a{i}.mp3"))
        body += [
            ("heading", f"第{i}节"),
            ("paragraph", f"<p>第{i}段，参见《民法典》第一千零四十三条。</p>"),
            ("image", {"image": image.pk, "alt": "", "caption": f"图注{i}"}),
            (
                "video",
                {"video": video.pk, "poster": poster.pk, "caption": "视频", "transcript": "文字"},
            ),
            (
                "audio",
                {"audio": audio.pk, "poster": poster.pk, "caption": "音频", "transcript": ""},
            ),
            (
                "case_study",
                {
                    "title": f"案例{i}",
                    "facts": "案情。",
                    "explanation": "<p>解读。</p>",
                    "articles": ["民法典第一千零六十二条"],
                },
            ),
            ("key_points", {"title": "本课要点", "points": ["一", "二"]}),
        ]
    body.append(("self_check", SELF_CHECK))
    return json.dumps([{"type": t, "value": v} for t, v in body])  # raw stream data


# Shared costs of every request of a signed-in user, outside the lesson page: the session,
# the user, and 2 permission look-ups (wagtailadmin.access_admin) made by base.html's
# {% wagtailuserbar %} and core.security's StaffSessionMiddleware. The page itself stays
# within 10 for a visitor and 10 + those 4 - 2 (session and user are counted in the 10).
SIGNED_IN_SHARED = 2


@pytest.mark.parametrize("sections", [1, 12])
def test_lesson_page_queries_do_not_grow_with_blocks(
    course_tree, learner, sections, django_assert_max_num_queries
):
    lesson = make_lesson(course_tree["course"], "很多内容", body=many_blocks_body(sections))
    client = Client()
    client.force_login(learner[0])
    client.get(lesson.url)  # creates the image renditions once
    # The body is cached per page version; on a miss its images, renditions and documents
    # are fetched in 3 queries whatever the number of blocks.
    cache.delete(make_template_fragment_key("lesson_body", [lesson.cache_key, True]))
    with django_assert_max_num_queries(10 + SIGNED_IN_SHARED + 3):
        first = client.get(lesson.url)
    assert first.status_code == 200
    with django_assert_max_num_queries(10 + SIGNED_IN_SHARED):
        response = client.get(lesson.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<video") == sections and html.count("<audio") == sections
    assert "srcset=" in html and 'poster="' in html
    Client().get(lesson.url)  # visitors share another cached body (no submit button)
    with django_assert_max_num_queries(10):
        anonymous = Client().get(lesson.url)
    assert anonymous.status_code == 200 and anonymous.content.decode().count("<video") == sections


def test_course_and_index_pages(course_tree, learner):
    client = Client()
    client.force_login(learner[0])
    r = client.get(course_tree["index"].url)
    assert r.status_code == 200 and "民法典与村民生活" in r.content.decode()
    r = client.get(course_tree["course"].url)
    html = r.content.decode()
    assert "婚姻家庭" in html and "继承" in html and "村（社区）干部必修" in html


def test_lesson_page_for_anonymous_and_unregistered(course_tree, make_user):
    r = Client().get(course_tree["lesson"].url)
    assert r.status_code == 200 and "登录" in r.content.decode()
    assert "data-study" not in r.content.decode()
    client = Client()
    client.force_login(make_user(phone="13900000177"))
    r = client.get(course_tree["lesson"].url)
    assert "尚未登记到人员名单" in r.content.decode()


def test_my_learning(course_tree, learner):
    client = Client()
    client.force_login(learner[0])
    r = client.get("/my/learning/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "民法典与村民生活" in html  # required for village cadres
    assert "0 / 3000" in html.replace("<strong>", "").replace("</strong>", "")
    assert "下一步" in html and "婚姻家庭" in html


def test_my_learning_requires_login():
    r = Client().get("/my/learning/")
    assert r.status_code == 302 and "/account/login/" in r["Location"]


def test_lesson_preview_sizes_start_with_a_phone():
    from learning.study.models import LessonPage

    assert LessonPage.preview_sizes[0]["device_width"] == 360


def test_editor_preview_of_an_unsaved_edit(course_tree, admin_user):
    """Wagtail's preview renders the edited (unsaved) body, never the cached published one."""
    from django.test import RequestFactory

    lesson = course_tree["lesson"]
    Client().get(lesson.url)  # the published body is now cached
    lesson.body = json.dumps(
        [
            {"type": "heading", "value": "预览中的新标题"},
            {"type": "key_points", "value": {"title": "要点", "points": ["新要点"]}},
        ]
    )
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    response = lesson.make_preview_request(original_request=request)
    html = response.content.decode()
    assert response.status_code == 200
    assert "预览中的新标题" in html and "新要点" in html
    assert "婚姻自由" not in html


def test_preview_of_a_new_lesson_sends_no_heartbeats(course_tree, admin_user):
    from django.test import RequestFactory

    from learning.study.models import LessonPage
    from tests.learning.study.conftest import SELF_CHECK

    course = course_tree["course"]
    lesson = LessonPage(title="新课时", slug="new", min_minutes=3)
    lesson.body = json.dumps([{"type": "self_check", "value": SELF_CHECK}])
    lesson.depth = course.depth + 1  # as Wagtail's create view does for a preview
    lesson.path = course.get_last_child()._inc_path()
    lesson.set_url_path(course)
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    response = lesson.make_preview_request(original_request=request)
    html = response.content.decode()
    assert response.status_code == 200
    assert "结婚应当男女双方完全自愿吗" in html
    assert "data-study" not in html and "data-self-check-url" not in html
    assert "民法典与村民生活" in html  # the course, found from the new lesson's path
