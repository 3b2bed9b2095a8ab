"""URLs for bench/study_heartbeat.py: the platform's own, plus /bench/bare/."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as platform_urlpatterns


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *platform_urlpatterns]
