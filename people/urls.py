"""Public URLs for authors and the officials quoted in stories."""

from django.urls import path
from django.utils.feedgenerator import Atom1Feed

from articles.feeds import AuthorFeed

from . import views

app_name = "people"

urlpatterns = [
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("authors/<slug:slug>/feed/", AuthorFeed(), name="author_feed"),
    path("authors/<slug:slug>/feed/atom/", AuthorFeed(Atom1Feed), name="author_feed_atom"),
    path("officials/<slug:slug>/", views.OfficialView.as_view(), name="official"),
]
