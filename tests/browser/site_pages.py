"""Every kind of page a reader can reach, with the addresses of each on the seed stories."""

from urllib.parse import urlencode

from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Category
from people.models import Author, Official

# The kinds of page the site has; each is checked on every seed object of its kind.
PAGE_TYPES = [
    "front",
    "list",
    "filtered-list",
    "article",
    "category",
    "tag",
    "author",
    "official",
    "search",
    "not-found",
]


def article_list_filtered_by_tag(tag: Tag) -> str:
    """The address the list's filter form leads to when a reader picks one tag."""
    return f"{reverse('articles:list')}?{urlencode({'tag': tag.slug})}"


def page_addresses(page_type: str) -> list[str]:
    """The addresses of every page of one type on the seed data (read from the database)."""
    tags = Tag.objects.order_by("name")
    match page_type:
        case "front":
            return [reverse("articles:home")]
        case "list":
            return [reverse("articles:list")]
        case "filtered-list":
            # The form also shows its error state: a date range that ends before it starts.
            refused = {"published_from": "2023-12-31", "published_to": "2023-01-01"}
            return [article_list_filtered_by_tag(tag) for tag in tags] + [
                f"{reverse('articles:list')}?{urlencode(refused)}"
            ]
        case "article":
            return [a.get_absolute_url() for a in Article.objects.published().newest_first()]
        case "category":
            return [category.get_absolute_url() for category in Category.objects.all()]
        case "tag":
            return [reverse("articles:tag", kwargs={"slug": tag.slug}) for tag in tags]
        case "author":
            return [author.get_absolute_url() for author in Author.objects.all()]
        case "official":
            return [official.get_absolute_url() for official in Official.objects.all()]
        case "search":
            search = reverse("articles:search")
            return [search, f"{search}?{urlencode({'q': 'fentanyl'})}", f"{search}?q=nowhere"]
        case "not-found":
            return [reverse("articles:detail", kwargs={"slug": "no-such-story-exists"})]
    raise ValueError(f"Unknown page type {page_type!r}")


def expected_status(page_type: str) -> int:
    """The HTTP status a reader gets on a page of this type."""
    return 404 if page_type == "not-found" else 200
