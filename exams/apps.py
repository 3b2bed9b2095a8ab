from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = "考法：题库与考试"

    def ready(self):
        from exams import receivers
        from learning.laws.signals import article_text_changed

        article_text_changed.connect(
            receivers.flag_questions_for_review, dispatch_uid="exams_flag_review"
        )
        receivers.connect_draw_pool_reset()
