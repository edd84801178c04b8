"""Stories and everything printed with them: bylines, images, quotes, related links."""

import reversion

from .corrections import Correction, SlugRedirect
from .credits import Byline, Quote, RelatedLink, TaggedArticle
from .media import Image
from .querysets import ArticleQuerySet
from .sections import Category
from .story import Article
from .timestamps import now_to_the_second

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Byline",
    "Category",
    "Correction",
    "Image",
    "Quote",
    "RelatedLink",
    "SlugRedirect",
    "TaggedArticle",
    "now_to_the_second",
]

# A revision is the story as readers would see it: its own fields with the
# bylines, quotes, related links and tags saved alongside.
reversion.register(Byline)
reversion.register(Quote)
reversion.register(RelatedLink)
reversion.register(TaggedArticle)
reversion.register(Article, follow=["bylines", "quotes", "related_links", "tagged_items"])
