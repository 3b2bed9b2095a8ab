"""URL configuration. Apps mount their own urls; Wagtail serves every other path."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.api import api
from config.api_v2 import api_router as api_v2_router
from people.accounts import views as people_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("account/2fa/", include("core.security.urls")),
    path("account/", include("people.accounts.urls")),
    path("my/", people_views.account_home, name="account_home"),
    path("api/v1/", api.urls),
    path("api/v2/", api_v2_router.urls),
    # Each home's public pages (its urls.py); their JSON APIs are mounted in config/api.py.
    path("", include("people.quota.urls")),
    path("", include("learning.laws.urls")),
    path("", include("learning.study.urls")),
    path("", include("exams.urls")),
    path("", include("campaigns.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
