"""URLs of this half of the learning app."""

urlpatterns: list = []
