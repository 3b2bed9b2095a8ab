"""The JSON API for the phone client, load tests and tests: /api/v1/ (django-ninja).

Each app contributes a Router from its api.py. Authentication: people.accounts.api_auth.
"""

from ninja import NinjaAPI

from campaigns.api import router as campaigns_router
from exams.api import router as exams_router
from learning.laws.api import router as laws_router
from learning.study.api import router as study_router
from people.accounts.api import router as people_router
from people.accounts.api_auth import api_auth

api = NinjaAPI(
    title="明白平台 API",
    version="1",
    urls_namespace="api-v1",
    auth=api_auth,
    docs_url="/docs/",
)
api.add_router("/", people_router)
api.add_router("/", laws_router)
api.add_router("/", study_router)
api.add_router("/", exams_router)
api.add_router("/", campaigns_router)
