"""URL configuration. Apps mount their own urls; Wagtail serves every other path."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.api import api
from config.api_v2 import api_router as api_v2_router
from people import views as people_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("account/2fa/", include("config.security.urls")),
    path("account/", include("people.account_urls")),
    path("my/", people_views.account_home, name="account_home"),
    path("api/v1/", api.urls),
    path("api/v2/", api_v2_router.urls),
    # Each app's public pages and its JSON API under api/v1/ (see the app's urls.py).
    path("", include("people.urls")),
    path("", include("learning.urls")),
    path("", include("exams.urls")),
    path("", include("campaigns.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
