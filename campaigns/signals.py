"""Signal handlers: purge the page cache and redraw posters when campaign pages change."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from campaigns import page_cache
from campaigns.models import CampaignIndexPage, CampaignPage, CampaignYearPage, EventPage

CAMPAIGN_TYPES = (CampaignIndexPage, CampaignYearPage, CampaignPage, EventPage)


@receiver(page_published)
def on_page_published(sender, instance, **kwargs):
    if not isinstance(instance, CAMPAIGN_TYPES):
        return
    page_cache.purge()
    transaction.on_commit(page_cache.purge)
    if isinstance(instance, CampaignPage | EventPage):
        from campaigns.tasks import poster_generate

        page_id = instance.pk
        transaction.on_commit(lambda: poster_generate.delay(page_id))


@receiver(page_unpublished)
def on_page_unpublished(sender, instance, **kwargs):
    if isinstance(instance, CAMPAIGN_TYPES):
        page_cache.purge()
        transaction.on_commit(page_cache.purge)


@receiver(post_page_move)
def on_page_moved(sender, instance, **kwargs):
    if isinstance(instance.specific_deferred, CAMPAIGN_TYPES):
        page_cache.purge()


@receiver(pre_delete)
def on_page_deleted(sender, instance, **kwargs):
    if isinstance(instance, CAMPAIGN_TYPES):
        page_cache.purge()
        transaction.on_commit(page_cache.purge)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def on_view_restriction_changed(sender, instance, **kwargs):
    """A page password or login rule changed: cached pages may no longer be public."""
    page_cache.purge()
    transaction.on_commit(page_cache.purge)
