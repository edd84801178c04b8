"""The admin editors run the newsroom from: stories with their workflow and history,
and the images, sections, tags and old addresses that go with them."""

from django.conf import settings
from django.contrib import admin

from . import library, stories  # noqa: F401  (registers the model admins)

admin.site.site_header = f"{settings.SITE_NAME} admin"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Stories, people and pictures"
