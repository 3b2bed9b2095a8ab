"""Wagtail admin for the roster (人员名单), units, training records and quotas — scoped.

Every view of these viewsets filters through people.roster.selectors.scope_queryset: the listing
and its spreadsheet export show only the user's units and people, and opening any object
outside the scope by URL (edit, inspect, delete, history, usage, copy) answers 404.
Writes go through people.roster.services with ``actor=request.user``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from core.identity import IdNumberError, validate_id_number
from people.quota.models import QuotaOverride, QuotaTarget
from people.roster.models import Person, StaffScope, TrainingRecord, Unit
from people.roster.selectors import scope_queryset, sees_everything, visible_persons
from people.roster.services import (
    person_create,
    person_move,
    person_remove,
    person_update,
    training_decision_record,
    unit_save,
)


class ScopedIndexMixin:
    scope_prefix: str | None = ""

    def get_base_queryset(self):
        return _scope(super().get_base_queryset(), self.request.user, self.scope_prefix)


class ScopedObjectMixin:
    scope_prefix: str | None = ""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        scoped = _scope(
            type(obj)._default_manager.filter(pk=obj.pk), self.request.user, self.scope_prefix
        )
        if not scoped.exists():
            raise Http404("找不到该记录")
        return obj


def _scope(queryset, user, prefix):
    if prefix is None:  # district-only models
        return queryset if sees_everything(user) else queryset.none()
    return scope_queryset(queryset, user, prefix)


_VIEW_ATTRS = (
    "index_view_class",
    "add_view_class",
    "edit_view_class",
    "delete_view_class",
    "history_view_class",
    "usage_view_class",
    "copy_view_class",
    "inspect_view_class",
)


def scoped_viewset(cls):
    """Class decorator: wrap every view class of a ModelViewSet in the scope mixins."""
    prefix = cls.scope_prefix
    for attr in _VIEW_ATTRS:
        base = getattr(cls, attr)
        mixin = ScopedIndexMixin if issubclass(base, generic.IndexView) else ScopedObjectMixin
        setattr(cls, attr, type(f"Scoped{base.__name__}", (mixin, base), {"scope_prefix": prefix}))
    return cls


# --------------------------------------------------------------------------- persons


class PersonForm(WagtailAdminModelForm):
    id_number = forms.CharField(
        label="身份证号", max_length=30, required=False, help_text="18位；修改时留空表示不变"
    )
    candidate = forms.BooleanField(label="法律明白人候选人", required=False)

    class Meta:
        model = Person
        fields = ["name", "gender", "mobile", "unit", "category"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(kind__in=("village", "group", "department"))
        if self.for_user is not None:
            units = scope_queryset(units, self.for_user)
        self.fields["unit"].queryset = units
        self.fields["gender"].required = False
        self.fields["candidate"].initial = self.instance.level == "candidate"
        if self.instance.pk:
            self.fields["id_number"].help_text = f"当前：{self.instance.id_masked}（不可修改）"
            self.fields["id_number"].disabled = True
        else:
            self.fields["id_number"].required = True

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number") or ""
        if self.instance.pk:
            return ""
        try:
            return validate_id_number(value)
        except IdNumberError as exc:
            raise ValidationError(str(exc)) from exc

    def _post_clean(self):  # the services validate and save; skip the model's full_clean
        pass


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class PersonCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return person_create(
            name=data["name"],
            id_number=data["id_number"],
            unit=data["unit"],
            category=data["category"],
            gender=data.get("gender") or "",
            mobile=data.get("mobile") or "",
            candidate=data.get("candidate", False),
            actor=self.request.user,
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.form_invalid(form)


class PersonEditView(generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        person = Person.objects.get(pk=self.object.pk)
        person = person_update(
            person=person,
            actor=self.request.user,
            name=data["name"],
            mobile=data.get("mobile") or "",
            category=data["category"],
            candidate=data.get("candidate", False),
        )
        if data["unit"].pk != person.unit_id:
            person = person_move(
                person=person,
                unit=data["unit"],
                occurred_on=timezone.localdate(),
                actor=self.request.user,
            )
        return person

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.form_invalid(form)


class RemoveForm(forms.Form):
    occurred_on = forms.DateField(label="清退日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="清退原因", max_length=200)


class DecisionForm(forms.Form):
    level = forms.ChoiceField(
        label="认定等级", choices=[("ordinary", "普通"), ("backbone", "骨干")]
    )
    occurred_on = forms.DateField(label="认定日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="认定依据/原因", max_length=200)


def _scoped_person(request, pk) -> Person:
    return get_object_or_404(visible_persons(request.user), pk=pk)


def person_remove_view(request, pk):
    """清退 a person, with a date and a reason."""
    if not request.user.has_perm("people.change_person"):
        raise PermissionDenied
    person = _scoped_person(request, pk)
    form = RemoveForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            person_remove(person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, f"已清退 {person.name}")
            return redirect("people_person:edit", person.pk)
    return TemplateResponse(
        request,
        "people/admin/person_action.html",
        {"person": person, "form": form, "title": f"清退：{person.name}", "submit": "确认清退"},
    )


def person_decision_view(request, pk):
    """Record an administrator's decision that a person is a trained 法律明白人."""
    if not request.user.has_perm("people.change_person"):
        raise PermissionDenied
    person = _scoped_person(request, pk)
    form = DecisionForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            training_decision_record(person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, f"已记录对 {person.name} 的认定")
            return redirect("people_person:edit", person.pk)
    return TemplateResponse(
        request,
        "people/admin/person_action.html",
        {
            "person": person,
            "form": form,
            "title": f"认定法律明白人：{person.name}",
            "submit": "保存认定",
        },
    )


@scoped_viewset
class PersonViewSet(ModelViewSet):
    model = Person
    scope_prefix = "unit__"
    icon = "user"
    menu_label = "人员名单"
    name = "people_person"
    url_prefix = "people/persons"
    add_to_admin_menu = False
    add_view_class = PersonCreateView
    edit_view_class = PersonEditView
    list_display = ["name", "id_masked", "masked_mobile", "unit", "category", "level", "status"]
    list_filter = ["category", "level", "status"]
    list_export = ["name", "id_masked", "masked_mobile", "unit", "category", "level", "status"]
    export_filename = "people"
    search_fields = ["name"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "name",
        "gender",
        "id_masked",
        "masked_mobile",
        "unit",
        "category",
        "level",
        "status",
        "trained_on",
        "backbone_on",
        "removed_on",
    ]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return PersonForm

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<str:pk>/remove/", person_remove_view, name="remove"),
            path("<str:pk>/decision/", person_decision_view, name="decision"),
        ]


# --------------------------------------------------------------------------- units


class UnitForm(WagtailAdminModelForm):
    class Meta:
        model = Unit
        fields = ["kind", "code", "name", "parent", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Unit.objects.exclude(kind="group")
        if self.for_user is not None:
            parents = scope_queryset(parents, self.for_user)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class UnitSaveMixin:
    def save_instance(self):
        return unit_save(unit=self.form.instance, actor=self.request.user)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.form_invalid(form)


class UnitCreateView(UnitSaveMixin, generic.CreateView):
    pass


class UnitEditView(UnitSaveMixin, generic.EditView):
    pass


@scoped_viewset
class UnitViewSet(ModelViewSet):
    model = Unit
    scope_prefix = ""
    icon = "group"
    menu_label = "组织架构"
    name = "people_unit"
    url_prefix = "people/units"
    add_to_admin_menu = False
    add_view_class = UnitCreateView
    edit_view_class = UnitEditView
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    list_export = ["code", "name", "kind", "parent"]
    search_fields = ["name", "code"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return UnitForm


# --------------------------------------------------------------------------- records, quotas


class ReadOnlyCreateView(generic.CreateView):
    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied("培训认定记录只能通过考核或“认定”操作产生")


class ReadOnlyEditView(generic.EditView):
    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied("培训认定记录不可修改")


@scoped_viewset
class TrainingRecordViewSet(ModelViewSet):
    model = TrainingRecord
    scope_prefix = "person__unit__"
    icon = "tick"
    menu_label = "培训认定记录"
    name = "people_trainingrecord"
    url_prefix = "people/training-records"
    add_to_admin_menu = False
    list_display = ["person", "level", "source", "occurred_on", "reason", "recorded_by"]
    list_filter = ["level", "source"]
    list_export = ["person", "level", "source", "occurred_on", "reason"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["reason"]  # records are created by services; the admin only reads them
    add_view_class = ReadOnlyCreateView
    edit_view_class = ReadOnlyEditView


@scoped_viewset
class QuotaTargetViewSet(ModelViewSet):
    model = QuotaTarget
    scope_prefix = None
    icon = "date"
    menu_label = "年度名额目标"
    name = "people_quotatarget"
    url_prefix = "people/quota-targets"
    add_to_admin_menu = False
    list_display = ["year", "village_backbone", "group_trained"]
    form_fields = ["year", "village_backbone", "group_trained"]
    copy_view_enabled = False


class QuotaOverrideForm(WagtailAdminModelForm):
    class Meta:
        model = QuotaOverride
        fields = ["year", "unit", "target", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(kind__in=("village", "group"))


@scoped_viewset
class QuotaOverrideViewSet(ModelViewSet):
    model = QuotaOverride
    scope_prefix = None
    icon = "edit"
    menu_label = "单位名额调整"
    name = "people_quotaoverride"
    url_prefix = "people/quota-overrides"
    add_to_admin_menu = False
    list_display = ["year", "unit", "target", "reason"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return QuotaOverrideForm


@scoped_viewset
class StaffScopeViewSet(ModelViewSet):
    model = StaffScope
    scope_prefix = None
    icon = "lock"
    menu_label = "管辖范围"
    name = "people_staffscope"
    url_prefix = "people/staff-scopes"
    add_to_admin_menu = False
    list_display = ["user", "unit"]
    form_fields = ["user", "unit"]
    copy_view_enabled = False


class RosterViewSetGroup(ModelViewSetGroup):
    menu_label = "人员与名额"
    menu_icon = "group"
    menu_order = 250
    items = (
        PersonViewSet,
        UnitViewSet,
        TrainingRecordViewSet,
        QuotaTargetViewSet,
        QuotaOverrideViewSet,
        StaffScopeViewSet,
    )
