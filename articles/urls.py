"""Public URLs for stories, sections, tags, search, corrections and their feeds, and the preview."""

from django.urls import path
from django.utils.feedgenerator import Atom1Feed

from . import feeds, preview, views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/", views.StoryListView.as_view(), name="list"),
    path("articles/<slug:slug>/", views.StoryDetailView.as_view(), name="detail"),
    path("categories/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("tags/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("corrections/", views.CorrectionListView.as_view(), name="corrections"),
    path("preview/<int:pk>/", preview.StoryPreviewView.as_view(), name="preview"),
    path("feed/", feeds.LatestStoriesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestStoriesFeed(Atom1Feed), name="feed_atom"),
    path("categories/<slug:slug>/feed/", feeds.CategoryFeed(), name="category_feed"),
    path(
        "categories/<slug:slug>/feed/atom/",
        feeds.CategoryFeed(Atom1Feed),
        name="category_feed_atom",
    ),
    path("tags/<slug:slug>/feed/", feeds.TagFeed(), name="tag_feed"),
    path("tags/<slug:slug>/feed/atom/", feeds.TagFeed(Atom1Feed), name="tag_feed_atom"),
]
