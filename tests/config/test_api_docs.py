"""The API's documentation page works on an intranet: nothing is loaded from a CDN."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_api_docs_load_swagger_from_our_own_static_files(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources), sources
    external = [s for s in sources if re.match(r"(https?:)?//", s)]
    assert not external, external
