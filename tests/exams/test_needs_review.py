"""A new version of a law that changes a cited article flags the question for review."""

import pytest

from exams.formats import QuestionData
from exams.models import Question
from exams.services import question_save

pytestmark = pytest.mark.django_db


def test_article_text_changed_flags_questions(laws):
    from learning.laws.models import Article, Law
    from learning.laws.signals import article_text_changed

    old = Article.objects.get(law=laws["civil"], number=1077)
    q = question_save(
        data=QuestionData(
            "truefalse",
            "离婚冷静期为三十日。",
            [("A", "正确"), ("B", "错误")],
            ["A"],
            citations=["民法典第1077条"],
        )
    )
    untouched = question_save(
        data=QuestionData(
            "truefalse",
            "男方婚龄二十二周岁。",
            [("A", "正确"), ("B", "错误")],
            ["A"],
            citations=["民法典第1047条"],
        )
    )
    new_law = Law.objects.create(
        title="中华人民共和国民法典",
        short_title="民法典",
        slug="minfadian-2030",
        status="superseded",
        content_hash="v2030",
    )
    new = Article.objects.create(
        law=new_law, number=1077, label="第1077条", text="新条文", text_hash="x"
    )
    article_text_changed.send(sender=Article, old_article=old, new_article=new)
    q.refresh_from_db()
    untouched.refresh_from_db()
    assert q.needs_review and "复核" in q.review_note
    assert set(q.articles.values_list("pk", flat=True)) == {old.pk, new.pk}
    assert not untouched.needs_review
    assert list(Question.objects.filter(needs_review=True)) == [q]
