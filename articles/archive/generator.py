"""Writing the synthetic archive: people, sections, tags, then stories in chunks."""

import random
import time
from collections import Counter, defaultdict, deque
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import Article, Byline, Category, Image, Quote, RelatedLink, TaggedArticle
from people.models import Author, Official, Organisation

from .vocabulary import (
    ADJECTIVES,
    ADVERBIALS,
    AFFECTED,
    AGENCIES,
    CATEGORIES,
    CITIES,
    COMMITTEES,
    COSTS,
    CREDITS,
    DEPARTMENTS,
    DOCUMENT_SOURCES,
    FIRST_NAMES,
    HEADLINE_ACTORS,
    HEADLINE_ACTORS_PLURAL,
    HEADLINE_TAILS,
    HEADLINE_VERBS,
    JOB_TITLES,
    JOINT_CONTEXTS,
    LAST_NAMES,
    OUTLETS,
    POLICY_NOUNS,
    QUOTE_CONTEXTS,
    ROLES,
    STATE_NAMES,
    STATUS_WEIGHTS,
    SUBJECTS,
    TOPICS,
    VERBS,
    headline_case,
    in_text,
    join_names,
    sentence_case,
    with_article,
    zipf_weights,
)

Status = Article.Status
QuoteSpeaker = Quote.speakers.through


class Progress:
    """A plain-text progress bar on stderr: redrawn in place on a terminal, every 10% otherwise."""

    def __init__(self, stream, total: int, enabled: bool):
        self.stream, self.total, self.enabled = stream, total, enabled
        self.interactive = enabled and stream.isatty()
        self.started, self.last_decile = time.monotonic(), -1

    def update(self, done: int):
        if not self.enabled:
            return
        share = done / self.total
        if not self.interactive and int(share * 10) == self.last_decile:
            return
        self.last_decile = int(share * 10)
        bar = "#" * int(share * 30)
        elapsed = time.monotonic() - self.started
        line = f"Stories [{bar:<30}] {share:4.0%} {done:,}/{self.total:,} {elapsed:.0f} s"
        ending = "\n" if done >= self.total or not self.interactive else ""
        self.stream.write(f"\r{line}" if self.interactive else line, style_func=str, ending=ending)
        self.stream.flush()


class ArchiveGenerator:
    """Writes people, sections and tags, then the stories, a chunk per transaction."""

    def __init__(self, *, stories: int, seed: int, until: date, years: int, chunk_size: int):
        self.rng = random.Random(seed)
        self.story_count, self.chunk_size = stories, chunk_size
        self.zone = ZoneInfo(settings.TIME_ZONE)
        # Stories are dated before `until` begins; scheduled ones from the day after it.
        self.archive_end = datetime.combine(until, clock(), self.zone)
        self.archive_start = self.archive_end - timedelta(days=round(365.25 * years))
        self.schedule_start = self.archive_end + timedelta(days=1)
        self.counts = Counter()
        self.names_taken = set()
        self.sentences = self._sentence_pool(6000)

    # People, sections and tags -------------------------------------------------------------

    def create_supporting_rows(self):
        """Sections, organisations, authors, officials and tags, in numbers fit for the archive."""
        rng, scale = self.rng, self.story_count
        self.categories = self._save_by_slug(
            Category(name=name, slug=slugify(name), description=f"News about {name.lower()}.")
            for name in CATEGORIES
        )
        org_names = (
            [f"U.S. Department of {name}" for name in DEPARTMENTS]
            + [
                f"{chamber} {name} Committee"
                for name in COMMITTEES
                for chamber in ("House", "Senate")
            ]
            + [f"U.S. {name}" for name in AGENCIES]
            + [f"Office of the Governor of {name}" for name in STATE_NAMES.values()]
        )[: max(10, scale // 800)]
        self.organisations = self._save_by_slug(
            Organisation(name=name, slug=slugify(name)) for name in org_names
        )
        committees = {
            chamber: [org for org in self.organisations if org.name.startswith(f"{prefix} ")]
            for chamber, prefix in (("house", "House"), ("senate", "Senate"))
        }
        self.authors = self._save_by_slug(
            self._author(name) for name in self._unique_names(max(12, min(300, scale // 400)))
        )
        officials = []
        for name in self._unique_names(max(30, min(1500, scale // 60))):
            official = Official(name=name, slug=slugify(name))
            if rng.random() < 0.4:  # a legislator: "Rep. Jane Doe (D-OH)"
                official.chamber = rng.choice(["house"] * 4 + ["senate"])
                official.party = rng.choices("DRI", weights=[48, 48, 4])[0]
                official.state = rng.choice(list(STATE_NAMES)[:51])
                if committees[official.chamber] and rng.random() < 0.1:
                    official.organisation = rng.choice(committees[official.chamber])
                    official.title = f"Chair, {official.organisation.name}"
            else:
                official.organisation = rng.choice(self.organisations)
                official.title = f"{rng.choice(ROLES)}, {official.organisation.name}"
            officials.append(official)
        self.officials = self._save_by_slug(officials)
        rng.shuffle(self.officials)  # who is quoted most is not alphabetical
        self.tags = self._save_by_slug(self._tags(max(40, min(5000, scale // 20))))
        self.author_weights = zipf_weights(len(self.authors), 0.8)
        self.official_weights = zipf_weights(len(self.officials), 0.9)
        self.tag_weights = zipf_weights(len(self.tags), 1.0)

    def _save_by_slug(self, rows) -> list:
        """Insert rows, keeping any of the same slug already there (--append); return them."""
        rows = list(rows)
        model = type(rows[0])
        model.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        saved = model.objects.in_bulk([row.slug for row in rows], field_name="slug")
        return [saved[row.slug] for row in rows if row.slug in saved]

    def _unique_names(self, count: int) -> list[str]:
        """Names no other generated person has, so a reporter is never mistaken for a source."""
        names = []
        while len(names) < count:
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            name = f"{first} {last}"
            if name in self.names_taken:
                name = f"{first} {self.rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}"
            if name not in self.names_taken:
                self.names_taken.add(name)
                names.append(name)
        return names

    def _author(self, name: str) -> Author:
        rng, job = self.rng, self.rng.choice(JOB_TITLES)
        bio = (
            f"{name} is a {job.lower()} covering {in_text(rng.choice(TOPICS))}. Before joining "
            f"the newsroom, {name.split()[0]} spent {rng.randint(3, 15)} years at "
            f"{rng.choice(OUTLETS)} in {rng.choice(CITIES)}."
        )
        return Author(name=name, slug=slugify(name), job_title=job, bio=bio)

    def _tags(self, count: int) -> list[Tag]:
        """Broad topics and places at the head, ever narrower ones in the long tail."""
        head = [*TOPICS, *STATE_NAMES.values(), *CITIES]
        tail = [f"{place} {in_text(topic)}" for place in STATE_NAMES.values() for topic in TOPICS]
        self.rng.shuffle(tail)
        return [Tag(name=name, slug=slugify(name)) for name in dict.fromkeys(head + tail)][:count]

    # Text ----------------------------------------------------------------------------------

    def _sentence_pool(self, size: int) -> list[str]:
        rng, sentences = self.rng, set()
        while len(sentences) < size:
            subject, verb, when = rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(ADVERBIALS)
            plan = (
                f"{rng.choice(ADJECTIVES)} {in_text(rng.choice(TOPICS))} {rng.choice(POLICY_NOUNS)}"
            )
            speaker = sentence_case(subject)
            templates = [
                f"{subject} {verb} the {plan} {when}.",
                f"{subject} {verb} {with_article(plan)} that would cost {rng.choice(COSTS)}.",
                f"The {plan} would affect {rng.choice(AFFECTED)}, {speaker} said {when}.",
                f"In {rng.choice(CITIES)}, {speaker} said the {plan} was {verb} {when}.",
                f"It is not clear when {speaker} will act on the {plan}.",
            ]
            sentences.add(rng.choice(templates))
        return sorted(sentences)  # sets iterate in a different order in every process

    def _headline(self, year: int) -> str:
        rng = self.rng
        tail = rng.choice(HEADLINE_TAILS).format(
            state=rng.choice(list(STATE_NAMES.values())), months=rng.randint(2, 18), year=year + 1
        )
        if rng.random() < 0.5:
            actor, verb = rng.choice(HEADLINE_ACTORS), f"{rng.choice(HEADLINE_VERBS)}s"
        else:
            actor, verb = rng.choice(HEADLINE_ACTORS_PLURAL), rng.choice(HEADLINE_VERBS)
        plan = f"{rng.choice(ADJECTIVES)} {rng.choice(TOPICS)} {rng.choice(POLICY_NOUNS)}"
        return f"{actor} {verb} {headline_case(plan)} {tail}".rstrip()

    def _body(self, quotes: list[tuple[Quote, list[Official]]]) -> str:
        """5–15 paragraphs of Markdown with the story's quotes woven in, word for word."""
        rng = self.rng
        paragraphs = [
            " ".join(rng.choices(self.sentences, k=rng.choice((2, 3, 3, 4, 5))))
            for _ in range(rng.randint(5, 15))
        ]
        for quote, speakers in quotes:
            if speakers:
                who = join_names([speaker.display_name for speaker in speakers])
                paragraph = f"“{quote.text}” {who} said {quote.context}."
            else:
                paragraph = f"According to {quote.attribution}: “{quote.text}”"
            paragraphs.insert(rng.randint(1, len(paragraphs)), paragraph)
        if len(paragraphs) > 8 and rng.random() < 0.5:
            subheading = f"## What comes next for the {in_text(rng.choice(TOPICS))} plan"
            paragraphs.insert(len(paragraphs) // 2, subheading)
        if rng.random() < 0.3:
            paragraphs[-1] += " Read the [full report](https://www.example.org/reports/latest)."
        return "\n\n".join(paragraphs)

    # Stories -------------------------------------------------------------------------------

    def create_stories(self, progress: Progress):
        """Write every story with its picture, bylines, quotes, tags and related picks."""
        span = (self.archive_end - self.archive_start).total_seconds()
        # Skewed toward recent years, as archives grow; sorted, so ids follow the dates.
        offsets = sorted(self.rng.random() ** 0.8 * span for _ in range(self.story_count))
        first_serial = (Article.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
        # Recent published stories per section: the shelf editors pick related reading from.
        self.recent = defaultdict(lambda: deque(maxlen=300))
        for start in range(0, self.story_count, self.chunk_size):
            chunk = offsets[start : start + self.chunk_size]
            with transaction.atomic():
                self._create_chunk(chunk, first_serial + start)
            progress.update(start + len(chunk))
        # Quotes were numbered by _create_story_rows: the next one saved must
        # not take a number already used (SQLite keeps count by itself).
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Quote]):
                cursor.execute(statement)

    def _dates(self, offset: float) -> tuple[str, datetime | None, bool, datetime]:
        """Status, publication date, whether its time of day is known, and creation time."""
        rng = self.rng
        status = rng.choices(list(STATUS_WEIGHTS), weights=STATUS_WEIGHTS.values())[0]
        moment = (self.archive_start + timedelta(seconds=offset)).replace(microsecond=0)
        if status == "scheduled":
            published = self.schedule_start + timedelta(minutes=rng.randrange(60 * 24 * 60))
            written = self.archive_end - timedelta(minutes=rng.randrange(60 * 24 * 14))
            return Status.PUBLISHED, published, True, written
        if status in (Status.DRAFT, Status.IN_REVIEW) and rng.random() < 0.8:
            return status, None, True, moment
        if status == Status.PUBLISHED and rng.random() < 0.02:
            return status, None, True, moment  # an old print story, imported without its date
        if rng.random() < 0.05:
            # Only the day is known: kept at noon so the date reads the same in every zone.
            day = datetime.combine(moment.astimezone(self.zone).date(), clock(12), self.zone)
            return status, day, False, day
        return status, moment, True, moment - timedelta(minutes=rng.randint(20, 600))

    def _last_edit(self, created_at: datetime, published_at: datetime | None) -> datetime:
        """Most stories are last touched when they go out; some are revised later."""
        went_out = published_at if published_at and published_at < self.archive_end else None
        last_touched = max(created_at, went_out or created_at)
        if went_out and self.rng.random() < 0.15:
            revised = last_touched + timedelta(minutes=self.rng.randint(30, 2880))
            return min(revised, self.archive_end)
        return last_touched

    def _create_chunk(self, offsets: list[float], first_serial: int):
        rng, stories = self.rng, []
        for serial, offset in enumerate(offsets, start=first_serial):
            status, published_at, time_known, created_at = self._dates(offset)
            year = (published_at or created_at).year
            headline, category = self._headline(year), rng.choice(self.categories)
            image = None
            if rng.random() < 0.75:
                width = rng.choice((1200, 1600, 2048))
                image = Image(
                    external_url=f"http://localhost/media/archive/{year}/photo-{serial}.jpg",
                    alt_text=f"{rng.choice(SUBJECTS)} at a meeting in {rng.choice(CITIES)}",
                    cutline=rng.choice(self.sentences),
                    credit=rng.choice(CREDITS),
                    width=width,
                    height=width * 2 // 3,
                )
            quotes = self._quotes()
            article = Article(
                headline=headline,
                slug=f"{slugify(headline)[:120]}-{serial}",
                subheadline=rng.choice(self.sentences) if rng.random() < 0.9 else "",
                body=self._body(quotes),
                excerpt=rng.choice(self.sentences) if rng.random() < 0.3 else "",
                status=status,
                published_at=published_at,
                publication_time_known=time_known,
                category_id=category.pk,
                editorial_note="Figures confirmed with the agency." if rng.random() < 0.1 else "",
                created_at=created_at,
                updated_at=self._last_edit(created_at, published_at),
            )
            stories.append((article, image, quotes, category))
        self._avoid_taken_slugs([story[0] for story in stories])
        Image.objects.bulk_create([story[1] for story in stories if story[1]], batch_size=1000)
        for article, image, _, _ in stories:
            article.featured_image_id = image and image.pk
        Article.objects.bulk_create([story[0] for story in stories], batch_size=1000)
        self._create_story_rows(stories)

    def _avoid_taken_slugs(self, articles: list[Article]):
        # With --append an earlier story may hold a slug already; a suffix keeps both.
        slugs = [article.slug for article in articles]
        taken = set(Article.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        for article in articles:
            if article.slug in taken:
                article.slug = f"{article.slug}-{self.rng.randrange(10**6)}"

    def _quotes(self) -> list[tuple[Quote, list[Official]]]:
        rng, quotes = self.rng, []
        for position in range(rng.choices(range(7), weights=[20, 26, 22, 13, 9, 6, 4])[0]):
            text = " ".join(rng.choices(self.sentences, k=rng.choice((1, 1, 2))))
            kind = rng.random()
            if kind < 0.05:
                source = rng.choice(DOCUMENT_SOURCES)
                quotes.append((Quote(position=position, text=text, attribution=source), []))
            elif kind < 0.15:
                picked = rng.choices(self.officials, cum_weights=self.official_weights, k=4)
                speakers = list(dict.fromkeys(picked))[: rng.randint(2, 4)]
                context = rng.choice(JOINT_CONTEXTS if len(speakers) > 1 else QUOTE_CONTEXTS)
                quotes.append((Quote(position=position, text=text, context=context), speakers))
            else:
                speakers = rng.choices(self.officials, cum_weights=self.official_weights)
                context = rng.choice(QUOTE_CONTEXTS)
                quotes.append((Quote(position=position, text=text, context=context), speakers))
        return quotes

    def _create_story_rows(self, stories):
        rng = self.rng
        bylines, quotes, tagged, related = [], [], [], []
        for article, image, article_quotes, category in stories:
            count = rng.choices((1, 2, 3), weights=(70, 22, 8))[0]
            authors = rng.choices(self.authors, cum_weights=self.author_weights, k=count)
            bylines += [
                (article.pk, author.pk, position, author.job_title)
                for position, author in enumerate(dict.fromkeys(authors))
            ]
            for quote, _ in article_quotes:
                quote.article_id = article.pk
                quotes.append(quote)
            count = rng.choices(range(7), weights=(8, 15, 22, 22, 15, 10, 8))[0]
            tags = rng.choices(self.tags, cum_weights=self.tag_weights, k=count)
            tagged += [(article.pk, tag.pk) for tag in dict.fromkeys(tags)]
            related += self._related_picks(article, category)
            visible = article.status == Status.PUBLISHED and article.published_at
            if visible and article.published_at < self.archive_end:
                self.recent[category.pk].append(article.pk)
            self.counts["scheduled" if article.is_scheduled else article.status] += 1
            self.counts["undated"] += article.published_at is None
            self.counts["pictures"] += image is not None
        insert_rows(Byline, ("article", "author", "position", "title"), bylines)
        # Numbered here rather than by the database, so that their speakers can
        # be linked without reading the new rows back.
        first_quote_id = (Quote.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
        for quote_id, quote in enumerate(quotes, start=first_quote_id):
            quote.pk = quote_id
        insert_rows(
            Quote,
            ("id", "article", "position", "text", "context", "attribution"),
            [
                (
                    quote.pk,
                    quote.article_id,
                    quote.position,
                    quote.text,
                    quote.context,
                    quote.attribution,
                )
                for quote in quotes
            ],
        )
        speaker_rows = [
            (quote.pk, official.pk)
            for _, _, article_quotes, _ in stories
            for quote, speakers in article_quotes
            for official in speakers
        ]
        insert_rows(QuoteSpeaker, ("quote", "official"), speaker_rows)
        insert_rows(TaggedArticle, ("content_object", "tag"), tagged)
        insert_rows(RelatedLink, RELATED_PICK_FIELDS, related)
        self.counts.update(
            bylines=len(bylines),
            quotes=len(quotes),
            joint_quotes=sum(quote.context in JOINT_CONTEXTS for quote in quotes),
            tag_links=len(tagged),
            related_picks=len(related),
        )

    def _related_picks(self, article: Article, category: Category) -> list[tuple]:
        """0–3 picks as RELATED_PICK_FIELDS: mostly earlier stories of the section, a few elsewhere."""
        rng, shelf, picks = self.rng, self.recent[category.pk], []
        for position in range(rng.choices(range(4), weights=(35, 30, 20, 15))[0]):
            if shelf and rng.random() < 0.85:
                target = shelf[rng.randrange(len(shelf))]
                if all(pick[2] != target for pick in picks):
                    picks.append((article.pk, position, target, "", ""))
                continue
            headline = self._headline((article.published_at or self.archive_end).year)
            url = f"https://www.example.org/news/{slugify(headline)}"
            picks.append((article.pk, position, None, headline, url))
        return picks


RELATED_PICK_FIELDS = ("article", "position", "target", "headline", "url")


def insert_rows(model, field_names: tuple[str, ...], rows: list[tuple]):
    """INSERT `rows` of `model` (values of `field_names`, other fields at their defaults).

    For link rows nobody reads back: one executemany() per call, without the
    model instances and per-value compiling of bulk_create(), which were a third
    of the archive's generation time. Values must already be what the database
    stores (ids, plain strings, numbers); no signals are sent, as with bulk_create().
    """
    if not rows:
        return
    given = [model._meta.get_field(name) for name in field_names]
    defaulted = [
        field
        for field in model._meta.concrete_fields
        if field not in given and not field.primary_key
    ]
    defaults = tuple(field.get_db_prep_save(field.get_default(), connection) for field in defaulted)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in given + defaulted)
    placeholders = ", ".join(["%s"] * (len(given) + len(defaulted)))
    statement = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        cursor.executemany(statement, [row + defaults for row in rows])


@contextmanager
def bulk_load_settings(empty_database: bool):
    """On SQLite, tune the connection for a bulk load while the block runs.

    A large page cache keeps the growing indexes in memory. Not waiting for the
    disk after each commit is safe only when filling an empty database: a crash
    halfway loses nothing that running the command again would not recreate.
    SQLite allows that change only outside a transaction.
    """
    if connection.vendor != "sqlite":
        yield
        return
    pragmas = {"cache_size": -256 * 1024}  # KiB
    if empty_database and not connection.in_atomic_block:
        pragmas["synchronous"] = 0
    previous = {}
    with connection.cursor() as cursor:
        for pragma, value in pragmas.items():
            previous[pragma] = cursor.execute(f"PRAGMA {pragma}").fetchone()[0]
            cursor.execute(f"PRAGMA {pragma}={value}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for pragma, value in previous.items():
                cursor.execute(f"PRAGMA {pragma}={int(value)}")
