"""Every change to what readers see starts a new page-cache generation (see newsroom.cache).

The receivers listen to every model of the apps whose rows pages print:
articles (stories, bylines, quotes and their speakers, related links, pictures,
sections, corrections, old addresses, tag links), people (authors, officials,
organisations) and taggit (tags). Listening to whole apps rather than to a list
of models means a model added later cannot be forgotten; the few rows readers
never see (say, a story's internal note) only cost an extra render.
"""

from functools import partial

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from articles.models import Article

from .cache import content_changed

CONTENT_APPS = ("articles", "people", "taggit")


def connect_content_signals():
    """Connect the receivers to every model of CONTENT_APPS, including many-to-many links."""
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            uid = f"page-cache:{model._meta.label}"
            post_save.connect(content_saved, sender=model, dispatch_uid=uid)
            post_delete.connect(content_deleted, sender=model, dispatch_uid=uid)
            m2m_changed.connect(links_changed, sender=model, dispatch_uid=uid)
    # `flush` empties tables without a signal per row, then announces itself
    # like a migration does; once per run is enough, not once per app.
    post_migrate.connect(
        tables_rewritten, sender=apps.get_app_config("articles"), dispatch_uid="page-cache"
    )


def content_saved(sender, instance, using, **kwargs):
    """A row was created or changed; a story saved for later also names its time."""
    scheduled = isinstance(instance, Article) and instance.is_scheduled
    _changed(using, scheduled_for=instance.published_at if scheduled else None)


def content_deleted(sender, using, **kwargs):
    """A row was deleted (each row of a cascade sends its own signal)."""
    _changed(using)


def links_changed(sender, action, using, **kwargs):
    """Rows were linked or unlinked: a quote's speakers, a story's tags."""
    if action.startswith("post_"):
        _changed(using)


def tables_rewritten(sender, **kwargs):
    """Tables were emptied or migrated: anything, scheduled stories included, may have changed."""
    content_changed(schedule_unknown=True)


def _changed(using, scheduled_for=None):
    """Start a new generation now, and again once the change is committed.

    Now, so that requests later in the same transaction (a test, a command that
    saves and then renders) do not get pages from before the change. Again
    after the commit, because a page another process rendered in between, from
    the rows as they were before the commit, carries the new generation.
    """
    content_changed(scheduled_for=scheduled_for)
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(partial(content_changed, scheduled_for=scheduled_for), using=using)
