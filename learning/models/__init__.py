"""Learning models: the law library (law.py) and courses / study credit (study.py)."""

from .law import *  # noqa: F403
from .study import *  # noqa: F403
