"""Stories written out as front-matter Markdown files, the format import_stories reads.

Every key is written, empty ones included, so importing an export over a
story that was edited since puts it back as it was: an empty `subhed` clears
the dek, `author: []` the bylines.
"""

from datetime import date, datetime
from pathlib import Path

import yaml
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from articles.models import Article, Byline, RelatedLink


def stories_for_export(slugs: list[str] | None = None) -> QuerySet[Article]:
    """Every story, whatever its status, or only those with the given slugs."""
    stories = Article.objects.select_related("category", "featured_image").prefetch_related(
        Prefetch(
            "bylines", queryset=Byline.objects.select_related("author").order_by("position", "pk")
        ),
        Prefetch(
            "related_links",
            queryset=RelatedLink.objects.select_related("target").order_by("position", "pk"),
        ),
        "tags",
    )
    if slugs:
        stories = stories.filter(slug__in=slugs)
    return stories.order_by("slug")


def export_stories(stories, folder: Path) -> list[Path]:
    """Write each story to `folder`/<slug>.md, replacing what is there; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for article in stories:
        path = folder / f"{article.slug}.md"
        path.write_text(story_as_text(article), encoding="utf-8")
        paths.append(path)
    return paths


def story_as_text(article: Article) -> str:
    """The story as front matter and a Markdown body."""
    front_matter = yaml.safe_dump(
        story_front_matter(article),
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=float("inf"),  # a long headline stays on one line
    )
    body = article.body.strip("\r\n")
    return f"---\n{front_matter}---\n\n{body}\n" if body else f"---\n{front_matter}---\n"


def story_front_matter(article: Article) -> dict:
    """The front-matter keys, in the order an editor reads them."""
    bylines = list(article.bylines.all())
    front_matter = {"title": article.headline, "subhed": article.subheadline}
    if len(bylines) == 1:
        front_matter["author"] = bylines[0].author.name
        front_matter["author-title"] = bylines[0].title
    else:
        front_matter["author"] = [byline.author.name for byline in bylines]
        if bylines:
            front_matter["author-title"] = [byline.title for byline in bylines]
    front_matter["featured-image"] = _image(article.featured_image)
    front_matter["category"] = article.category.name if article.category else None
    front_matter["tags"] = sorted((tag.name for tag in article.tags.all()), key=str.lower)
    front_matter["date"] = _publication_date(article)
    front_matter["status"] = article.status
    front_matter["slug"] = article.slug
    front_matter["related"] = [_related(link) for link in article.related_links.all()]
    front_matter["excerpt"] = article.excerpt
    # Where the story first came from, if anywhere: importing this file updates
    # that story, and does not make the export's file name its source.
    front_matter["source-reference"] = article.source_reference
    return front_matter


def _image(image) -> dict | None:
    if image is None:
        return None
    return {
        # An upload is named by its place in media storage, where import finds it again.
        "path": image.picture.name if image.picture else image.external_url,
        "cutline": image.cutline,
        "credit": image.credit,
        "alt": image.alt_text,
    }


def _publication_date(article: Article) -> date | datetime | None:
    if article.published_at is None:
        return None
    moment = timezone.localtime(article.published_at)
    return moment if article.publication_time_known else moment.date()


def _related(link: RelatedLink) -> dict:
    if link.target_id:
        # The headline is for people reading the file; the slug is what links.
        return {"slug": link.target.slug, "headline": link.target.headline}
    if link.url:
        return {"headline": link.headline, "url": link.url}
    return {"headline": link.headline}
