"""Wagtail API v2 at /api/v2/ (read-only, public content) for a WeChat mini-program or other clients.

- pages/: live public pages; filter by type, e.g. ?type=campaigns.CampaignPage&fields=theme,month,
  ?type=campaigns.EventPage&fields=start,end,place_name (lesson and law pages declare their own
  api_fields); ?child_of=, ?descendant_of=, ?search= as in Wagtail's documentation.
- images/, documents/: files in collections without view restrictions.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
