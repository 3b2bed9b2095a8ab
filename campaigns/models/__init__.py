"""Campaigns models: pages (pages.py), duty reports (duty.py), reach figures (reach.py)."""

from .duty import DutyActivity, DutyList, DutyReport, DutyReview, DutyScore, ReviewCriterion
from .pages import (
    CampaignIndexPage,
    CampaignPage,
    CampaignYearPage,
    EventPage,
    EventPhoto,
)
from .quiz import CampaignQuiz
from .reach import PageViewDaily

__all__ = [
    "CampaignIndexPage",
    "CampaignPage",
    "CampaignQuiz",
    "CampaignYearPage",
    "DutyActivity",
    "DutyList",
    "DutyReport",
    "DutyReview",
    "DutyScore",
    "EventPage",
    "EventPhoto",
    "PageViewDaily",
    "ReviewCriterion",
]
