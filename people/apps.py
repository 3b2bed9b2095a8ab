from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "人员与名额"


class MingbaiUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's users app, with forms for phone-number log-in and activation codes."""

    user_viewset = "people.accounts.admin.UserViewSet"
