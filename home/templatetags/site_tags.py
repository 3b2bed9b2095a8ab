"""Template tags shared by every page (站点通用标签)."""

from django import template
from wagtail.models import Site

from home.selectors import navigation_links

register = template.Library()


@register.simple_tag(takes_context=True)
def main_navigation(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return navigation_links(site, request)
