"""Signal receivers: a cited article changed in a new version of its law → needs review."""


def flag_questions_for_review(sender, old_article=None, new_article=None, **kwargs):
    from .services import questions_flag_for_review

    if old_article is not None and new_article is not None:
        questions_flag_for_review(old_article=old_article, new_article=new_article)
