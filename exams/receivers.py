"""Signal receivers: a cited article changed in a new version of its law → needs review; the
bank or a paper changed → forget the draw pools (exams.services.drawing)."""

from django.db.models.signals import m2m_changed, post_delete, post_save


def flag_questions_for_review(sender, old_article=None, new_article=None, **kwargs):
    from exams.services import questions_flag_for_review

    if old_article is not None and new_article is not None:
        questions_flag_for_review(old_article=old_article, new_article=new_article)


def connect_draw_pool_reset() -> None:
    from exams.models import Paper, PaperItem, PaperRule, Question, QuestionTag
    from exams.services.drawing import pools_clear

    for model in (Question, QuestionTag, Paper, PaperItem, PaperRule):
        for signal in (post_save, post_delete):
            signal.connect(pools_clear, sender=model, dispatch_uid=f"exams_pools_{model.__name__}")
    m2m_changed.connect(pools_clear, sender=Question.tags.through, dispatch_uid="exams_pools_tags")
