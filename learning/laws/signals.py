"""Signals of the learning app.

``article_text_changed`` is sent (sender=Article, old_article=..., new_article=...) after a new
version of a law has been imported, once for each article whose text differs from the same
article (same number and suffix) in the version it replaced. It is sent at the end of the
import, inside its transaction: receivers see the new version, and if a receiver fails the whole
import is rolled back.
"""

from django.dispatch import Signal

article_text_changed = Signal()
