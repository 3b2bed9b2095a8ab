"""Model registry of the learning app (Django loads ``learning.models``).

Each sub-home defines its own models; import them from there, never from here:
``learning.laws.models`` (the law library) and ``learning.study.models`` (courses, lessons,
study credit).
"""

from learning.laws import models as laws_models  # noqa: F401
from learning.study import models as study_models  # noqa: F401
