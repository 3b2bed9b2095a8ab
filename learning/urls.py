"""Public URLs of the learning app: the law library's and the study part's."""

from .law_urls import urlpatterns as law_urlpatterns
from .study_urls import urlpatterns as study_urlpatterns

urlpatterns = law_urlpatterns + study_urlpatterns
