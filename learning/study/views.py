"""Public pages of the study part: "my learning" (我的学习)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from learning.study import selectors
from people.roster.selectors import person_for_user


@login_required
def my_learning(request):
    """Required courses with progress, points this year and today, what to do next."""
    person = person_for_user(request.user)
    context = {"person": person}
    if person is not None:
        context.update(selectors.my_learning(person))
    return render(request, "learning/study/my_learning.html", context)
