"""WSGI entry point for Newsroom (gunicorn newsroom.wsgi).

Pages a process has served from the page cache are answered again in front of
Django's request cycle (newsroom.cache_front).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()

from newsroom.cache_front import PageCacheFront  # noqa: E402  (needs the settings loaded)

application = PageCacheFront(application)
