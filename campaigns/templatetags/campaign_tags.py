"""Template tags of the campaigns app: the home page's "this month and next events" section."""

from django import template

from campaigns.selectors import home_summary

register = template.Library()


@register.inclusion_tag("campaigns/includes/home_section.html")
def campaigns_home_section():
    """本月主题与近期活动 (cached plain values: no queries on a warm cache)."""
    return home_summary()
