"""Wagtail admin forms of the exams app: a question editor with one field per option, paper
rules checked against the bank on save, and exams checked against their paper on save."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from core.audit import audit_log
from exams.formats import OPTION_KEYS, TRUE_FALSE_OPTIONS, QuestionData, validate_question
from exams.models import AttemptAnswer, Exam, Paper, Question
from exams.services.bank import _tags, citation_resolve, paper_check, paper_validate_rules

SPLIT = r"[；;、,，\s]+"


class QuestionAdminForm(WagtailAdminModelForm):
    option_a = forms.CharField(label="选项A", required=False, max_length=500)
    option_b = forms.CharField(label="选项B", required=False, max_length=500)
    option_c = forms.CharField(label="选项C", required=False, max_length=500)
    option_d = forms.CharField(label="选项D", required=False, max_length=500)
    option_e = forms.CharField(label="选项E", required=False, max_length=500)
    option_f = forms.CharField(label="选项F", required=False, max_length=500)
    answer_text = forms.CharField(
        label="答案",
        max_length=400,
        help_text="单选填一个字母如 A，多选填如 ABD，判断填“正确”或“错误”，填空题多个可接受答案用 | 分隔",
    )
    tags_text = forms.CharField(label="标签", required=False, help_text="多个标签用逗号或顿号分隔")
    citations_text = forms.CharField(
        label="法条",
        required=False,
        help_text="如“民法典第1077条”，多条用顿号分隔；须在法律库中存在",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        q = self.instance
        if q.pk:
            for key, text in q.options:
                if key in OPTION_KEYS:
                    self.initial[f"option_{key.lower()}"] = text
            if q.type == "truefalse":
                self.initial["answer_text"] = "正确" if q.answer == ["A"] else "错误"
            elif q.type == "fill":
                self.initial["answer_text"] = "|".join(q.answer)
            else:
                self.initial["answer_text"] = "".join(q.answer)
            self.initial["tags_text"] = "、".join(t.name for t in q.tags.all())
            self.initial["citations_text"] = "、".join(q.citations)

    def _data(self, cleaned) -> QuestionData:
        qtype = cleaned.get("type")
        raw = (cleaned.get("answer_text") or "").strip()
        if qtype == "truefalse":
            options = list(TRUE_FALSE_OPTIONS)
            answer = {
                "正确": ["A"],
                "对": ["A"],
                "A": ["A"],
                "错误": ["B"],
                "错": ["B"],
                "B": ["B"],
            }.get(raw.upper(), [raw])
        elif qtype == "fill":
            options, answer = [], [a.strip() for a in re.split(r"[|｜]", raw) if a.strip()]
        else:
            options = [
                (k, cleaned.get(f"option_{k.lower()}", "").strip())
                for k in OPTION_KEYS
                if cleaned.get(f"option_{k.lower()}", "").strip()
            ]
            answer = sorted({c for c in raw.upper() if c.isalpha()})
        return QuestionData(
            type=qtype or "",
            stem=cleaned.get("stem") or "",
            options=options,
            answer=answer,
            explanation=cleaned.get("explanation") or "",
            difficulty=cleaned.get("difficulty") or 2,
            tags=[t for t in re.split(SPLIT, cleaned.get("tags_text") or "") if t],
            citations=[
                c
                for c in re.split(r"[；;、,，\n]+", cleaned.get("citations_text") or "")
                if c.strip()
            ],
        )

    def clean(self):
        cleaned = super().clean()
        data = self._data(cleaned)
        for message in validate_question(data):
            self.add_error(None, message)
        self._articles = []
        for text in data.citations:
            article, error = citation_resolve(text.strip())
            if error:
                self.add_error("citations_text", error)
            else:
                self._articles.append(article)
        fingerprint = data.fingerprint()
        if Question.objects.filter(fingerprint=fingerprint).exclude(pk=self.instance.pk).exists():
            self.add_error(None, "题库中已有相同的试题。")
        q = self.instance
        if q.pk and sorted(q.answer) != sorted(data.answer):
            if AttemptAnswer.objects.filter(question=q, attempt__state="submitted").exists():
                self.add_error(
                    "answer_text",
                    "已有考生作答本题，修改答案会改变成绩：请在题目列表中使用“重新判分”（先预览受影响的答卷）。",
                )
        self._question_data = data
        return cleaned

    def save(self, commit=True):
        data = self._question_data
        q = super().save(commit=False)
        old_answer = list(q.answer or []) if q.pk else None
        q.options = [[k, t] for k, t in data.options]
        q.answer = data.answer
        q.citations = data.citations
        q.fingerprint = data.fingerprint()
        if commit:
            q.save()
            self.save_m2m()
            q.tags.set(_tags(data.tags))
            q.articles.set(self._articles)
            if old_answer is not None and sorted(old_answer) != sorted(data.answer):
                audit_log(
                    q,
                    "mingbai.exam.key_edit",
                    user=getattr(self, "for_user", None),
                    data={"old_answer": old_answer, "new_answer": list(data.answer)},
                )
        return q


class PaperAdminForm(WagtailAdminModelForm):
    def is_valid(self):
        valid = super().is_valid()
        if not valid:
            return False
        mode = self.cleaned_data.get("mode")
        if mode == Paper.Mode.RANDOM:
            rules = [
                f.cleaned_data
                for f in self.formsets["rules"].forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            errors = paper_validate_rules(rules) if rules else ["随机试卷至少需要一条抽题规则。"]
        else:
            items = [
                f.cleaned_data
                for f in self.formsets["items"].forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            errors = [] if items else ["固定试卷至少需要一道试题。"]
        for error in errors:
            self.add_error(None, error)
        return not errors


class ExamAdminForm(WagtailAdminModelForm):
    categories = forms.MultipleChoiceField(
        label="参考人员类别",
        choices=Exam.CATEGORY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选表示不限类别",
    )

    def clean_bands(self):
        bands = self.cleaned_data.get("bands") or []
        try:
            for band in bands:
                if not str(band["name"]).strip() or not 0 <= float(band["min"]) <= 100:
                    raise ValueError
        except (TypeError, KeyError, ValueError) as exc:
            raise ValidationError(
                '等次格式应为 [{"name": "优秀", "min": 90}, …]，下限在0–100之间。'
            ) from exc
        return bands

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "结束时间必须晚于开始时间。")
        paper = cleaned.get("paper")
        if paper is not None:
            for error in paper_check(paper):
                self.add_error("paper", f"试卷“{paper}”无法组卷：{error}")
        return cleaned
