"""Forms of the duty-report pages (phone-first, plain Django forms)."""

from django import forms
from django.core.exceptions import ValidationError

from campaigns.choices import AUDIENCE_CHOICES
from campaigns.duty.services import activities_parse


class DutyListForm(forms.Form):
    laws = forms.ModelMultipleChoiceField(
        label="执法依据的法律（法律库）",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_laws = forms.CharField(
        label="其他执法依据",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="法律库中没有的法规、规章，每行一部。",
    )
    audiences = forms.MultipleChoiceField(
        label="普法对象",
        choices=AUDIENCE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    duties = forms.CharField(
        label="普法责任", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    activities = forms.CharField(
        label="年度计划活动",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="每行一项：月份|活动名称|对象，例如：3|食品安全法进市场|个体工商户",
    )

    def __init__(self, *args, **kwargs):
        from learning.laws.models import Law

        super().__init__(*args, **kwargs)
        self.fields["laws"].queryset = Law.objects.filter(status="current").order_by("title")

    def clean_activities(self):
        try:
            return activities_parse(self.cleaned_data["activities"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc


class DutyReportForm(forms.Form):
    summary = forms.CharField(
        label="履职情况", widget=forms.Textarea(attrs={"rows": 8}), max_length=20000
    )
    activities_held = forms.IntegerField(label="开展活动（场）", min_value=0, initial=0)
    people_reached = forms.IntegerField(label="受教育人数（人次）", min_value=0, initial=0)


class DutyReviewForm(forms.Form):
    comment = forms.CharField(label="评议意见", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name}（满分{criterion.max_score}）",
                min_value=0,
                max_value=criterion.max_score,
                decimal_places=1,
                widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
            )

    def scores(self) -> dict:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}
