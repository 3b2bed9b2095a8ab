"""Public URLs of this app (mounted at the site root by config/urls.py, before Wagtail's pages)."""

urlpatterns: list = []
