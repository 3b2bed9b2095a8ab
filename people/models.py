"""Model registry of the people app (Django loads ``people.models``).

Each sub-home defines its own models; import them from there, never from here:
``people.accounts.models`` (users, activation codes), ``people.roster.models`` (organisation
tree, persons, history, training records, imports) and ``people.quota.models`` (targets).
"""

from people.accounts import models as accounts_models  # noqa: F401
from people.quota import models as quota_models  # noqa: F401
from people.roster import models as roster_models  # noqa: F401
