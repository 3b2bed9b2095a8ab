"""Reads of campaign quizzes (答题活动)."""


def quiz_participants_by_campaign(campaign_ids) -> dict[int, int]:
    """Distinct people who took each campaign's quiz."""
    return {}
