"""URLs for bench/exam_load.py: the platform's own, plus /bench/bare/ (the framework's limit)."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as platform_urlpatterns


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *platform_urlpatterns]
