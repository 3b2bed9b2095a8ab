"""No 500 from the public site or the exam API for hostile paths, query strings and bodies."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HOSTILE = [
    "../../etc/passwd",
    "%00",
    "%2e%2e%2f",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "{{7*7}}",
    "%ff%fe",
    "\u202e",
    "a" * 3000,
    "😀",
    "%E4%B8",
    ";;;",
    "page=-1",
    "page=99999999999999999999",
    "q=" + "x" * 5000,
]
PREFIXES = ["/", "/laws/", "/search/", "/exams/", "/campaigns/", "/account/login/", "/my/"]
SEGMENT = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))


@FUZZ
@given(prefix=st.sampled_from(PREFIXES), segment=SEGMENT, query=SEGMENT)
def test_public_site_never_500(client, site_tree, prefix, segment, query):
    from urllib.parse import quote

    path = prefix + quote(segment, safe="/%")
    response = client.get(path, QUERY_STRING=quote(query, safe="=&%"))
    assert response.status_code < 500, (path, query, response.status_code)


@FUZZ
@given(
    body=st.one_of(
        st.binary(max_size=300),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(st.text(max_size=8), inner, max_size=4)
            ),
            max_leaves=10,
        ).map(lambda v: __import__("json").dumps(v).encode()),
    ),
    attempt_id=st.integers(min_value=-5, max_value=2**63),
    question_id=st.integers(min_value=-5, max_value=2**40),
)
def test_exam_api_never_500(client, make_user, body, attempt_id, question_id):
    user = make_user(phone="13912349001") if not hasattr(client, "_fuzz_user") else None
    if user is not None:
        client.force_login(user)
        client._fuzz_user = user
    for method, url in (
        ("put", f"/api/v1/attempts/{attempt_id}/answers/{question_id}/"),
        ("post", f"/api/v1/attempts/{attempt_id}/submit/"),
        ("post", f"/api/v1/exams/{attempt_id}/attempts/"),
        ("post", "/api/v1/auth/token/"),
    ):
        response = getattr(client, method)(url, body, content_type="application/json")
        assert response.status_code < 500, (url, body, response.status_code)
