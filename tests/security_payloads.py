"""Hostile text in every field an editor can fill, and the pages that print it.

Each payload, if it ever ran, would set ``window.__xss`` or open a dialog; the
browser test watches for both, the server-side test looks for live markup.
One story per payload carries it in every field of the story and of what the
story prints: its section, tag, image, byline, author, quotes, officials,
organisations, related links and corrections.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import yaml
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Byline, Category, Correction, Image, Quote, RelatedLink
from articles.sitemaps import SITEMAPS
from people.models import Author, Official, Organisation

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '"><script>window.__xss=2</script>',
    "'><img src=x onerror=window.__xss=3>",
    '<img src="x" onerror="alert(4)">',
    "<svg onload=window.__xss=5>",
    "<svg><script>window.__xss=6</script></svg>",
    "javascript:window.__xss=7",
    '<a href="javascript:window.__xss=8">click me</a>',
    "<iframe src=javascript:alert(9)></iframe>",
    "</title><script>window.__xss=10</script>",
    "</textarea><script>window.__xss=11</script>",
    "</script><script>window.__xss=12</script>",
    "<scr<script>ipt>window.__xss=13</scr</script>ipt>",
    "<img src=x onerror=window.__xss=14",
    "<!--<script>window.__xss=15</script>-->",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=16>",
    "line\u2028separator\u2029</script><script>window.__xss=17</script>",
    "\u202egnp.exe<script>window.__xss=18</script>",
    "\uff1cscript\uff1ewindow.__xss=19\uff1c/script\uff1e",
    "<details open ontoggle=window.__xss=20>",
    "<body onload=window.__xss=21>",
    "<style>*{background:url('javascript:alert(22)')}</style>",
    "&lt;script&gt;window.__xss=23&lt;/script&gt;",
    "<base href='https://evil.example/'>",
    '<form action="javascript:window.__xss=24"><button>go</button></form>',
    '<object data="javascript:window.__xss=25"></object>',
    "<meta http-equiv=refresh content='0;url=javascript:window.__xss=26'>",
    "{{ request }}{% debug %}<script>window.__xss=27</script>",
    "\x00<script>window.__xss=28</script>",
    '" onmouseover="window.__xss=29" x="',
]

# Addresses an editor can give (the forms accept them: http or https), each
# trying to break out of the attribute that prints it.
URL_PAYLOADS = [
    'https://example.com/"><script>window.__xss=31</script>',
    "https://example.com/?q=<img/src=x/onerror=window.__xss=32>",
    "https://example.com/'/onerror='window.__xss=33'",
    "https://example.com/#</script><script>window.__xss=34</script>",
    'https://example.com/"/onmouseover="window.__xss=35',
]

# Markdown a story's body may carry besides the payload itself.
HOSTILE_MARKDOWN = """
[a link](javascript:window.__xss=40) and [another](JaVaScRiPt:alert(41))
![a picture](javascript:window.__xss=42)
<a href="data:text/html,<script>alert(43)</script>">data</a>
<img src=x onerror=alert(44)>
<p style="background:url(javascript:alert(45))" onclick="alert(46)">styled</p>
<iframe srcdoc="<script>parent.__xss=47</script>"></iframe>
"""

# Characters some fields cannot keep: a NUL byte is refused by PostgreSQL text.
NUL = "\x00"


def storable(text: str) -> str:
    return text.replace(NUL, "")


def clip(text: str, length: int) -> str:
    return storable(text)[:length]


def make_payload_story(number: int, payload: str, link_to: Article | None = None) -> Article:
    """A published story with `payload` in every field an editor fills, and in all it prints."""
    text = storable(payload)
    address = URL_PAYLOADS[number % len(URL_PAYLOADS)]
    section = Category.objects.create(
        name=clip(f"{text} {number}", 100), slug=f"payload-section-{number}", description=text
    )
    organisation = Organisation.objects.create(
        name=clip(text, 200), slug=f"payload-organisation-{number}", description=text
    )
    official = Official.objects.create(
        name=clip(text, 200),
        slug=f"payload-official-{number}",
        title=clip(text, 255),
        organisation=organisation,
        bio=text,
    )
    author = Author.objects.create(
        name=clip(text, 200), slug=f"payload-author-{number}", job_title=clip(text, 200), bio=text
    )
    image = Image.objects.create(
        external_url=address, alt_text=clip(text, 500), cutline=text, credit=clip(text, 255)
    )
    story = Article.objects.create(
        headline=clip(f"{text} {number}", 300),
        slug=f"payload-story-{number}",
        subheadline=clip(text, 500),
        body=f"{text}\n\n{HOSTILE_MARKDOWN}\n\nEnd of story {number}: {text}",
        excerpt=text,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(minutes=number + 1),
        category=section,
        featured_image=image,
        source_reference=f"payload-{number}",
        editorial_note=text,
    )
    story.tags.add(clip(f"{text} {number}", 100))
    Byline.objects.create(article=story, author=author, position=0, title=clip(text, 200))
    quote = Quote.objects.create(
        article=story,
        position=0,
        text=text,
        context=clip(text, 500),
        attribution=clip(text, 255),
    )
    quote.speakers.set([official])
    RelatedLink.objects.create(article=story, position=0, headline=clip(text, 300), url=address)
    if link_to is not None:
        RelatedLink.objects.create(article=story, position=1, target=link_to)
    Correction.objects.create(article=story, text=text)
    return story


def make_payload_newsroom() -> list[Article]:
    """One payload story per payload, each related to the one before."""
    stories = []
    for number, payload in enumerate(PAYLOADS):
        stories.append(make_payload_story(number, payload, stories[-1] if stories else None))
    return stories


def front_matter_story(number: int, payload: str) -> str:
    """A story file in the importer's front-matter format with `payload` in every key."""
    text = storable(payload)
    fields = {
        "title": clip(f"{text} imported {number}", 300),
        "slug": f"imported-payload-{number}",
        "subhed": clip(text, 500),
        "excerpt": text,
        "author": clip(f"{text} writer {number}", 200),
        "author-title": clip(text, 200),
        "category": clip(f"{text} desk {number}", 100),
        "tags": [clip(f"{text} topic {number}", 100)],
        "featured-image": {
            "path": URL_PAYLOADS[number % len(URL_PAYLOADS)],
            "cutline": text,
            "credit": clip(text, 255),
            "alt": clip(text, 500),
        },
        "related": [
            {"headline": clip(text, 300), "url": URL_PAYLOADS[(number + 1) % len(URL_PAYLOADS)]}
        ],
        "status": "published",
        "date": "2024-05-01 09:30",
    }
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n\n{text}\n\n{HOSTILE_MARKDOWN}\n"


def write_import_files(folder: Path) -> list[Path]:
    paths = []
    for number, payload in enumerate(PAYLOADS):
        path = folder / f"payload-{number:02d}.md"
        path.write_text(front_matter_story(number, payload), encoding="utf-8")
        paths.append(path)
    return paths


def pages_showing(stories) -> list[str]:
    """Every public address that prints something of `stories`: pages, feeds and sitemaps."""
    listing = reverse("articles:list")
    addresses = [
        reverse("articles:home"),
        listing,
        f"{listing}?page=2",
        reverse("articles:corrections"),
        reverse("articles:feed"),
        reverse("articles:feed_atom"),
        reverse("sitemap"),
        reverse("sitemap-news"),
    ] + [
        reverse("sitemap-section", kwargs={"section": section})
        for section in SITEMAPS
        if section != "news"
    ]
    for story in stories:
        story = Article.objects.get(pk=story.pk)
        tag = story.tags.get()
        addresses += [
            story.get_absolute_url(),
            f"{reverse('articles:search')}?{urlencode({'q': f'story {story.pk}'})}",
            f"{listing}?{urlencode({'tag': tag.slug})}",
            reverse("articles:tag", kwargs={"slug": tag.slug}),
            reverse("articles:tag_feed", kwargs={"slug": tag.slug}),
        ]
        if story.category_id:
            addresses += [
                story.category.get_absolute_url(),
                reverse("articles:category_feed", kwargs={"slug": story.category.slug}),
                reverse("articles:category_feed_atom", kwargs={"slug": story.category.slug}),
            ]
        for author in story.authors.all():
            addresses += [
                author.get_absolute_url(),
                reverse("people:author_feed", kwargs={"slug": author.slug}),
            ]
        for quote in story.quotes.all():
            addresses += [official.get_absolute_url() for official in quote.speakers.all()]
    return list(dict.fromkeys(addresses))
