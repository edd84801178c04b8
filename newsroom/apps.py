"""The project's own application: the page cache and what keeps it exact."""

from django.apps import AppConfig
from django.core import checks


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from .cache import check_page_cache_is_shared
        from .invalidation import connect_content_signals

        connect_content_signals()
        checks.register(check_page_cache_is_shared, checks.Tags.caches, deploy=True)
