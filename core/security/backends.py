"""django-axes' lock-out check, tolerant of authentication without an HTTP request."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """First of AUTHENTICATION_BACKENDS: refuses log-ins for locked-out accounts.

    Every log-in over HTTP (our phone form, Wagtail's admin log-in, the API token endpoint)
    passes the request and is counted. Calls without a request (``Client.login`` in tests, the
    shell) cannot come from an attacker and are left to the next backend, instead of raising
    ``AxesBackendRequestParameterRequired``.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
