"""The editorial rules: who may do what to which story, and what a story needs before readers see it.

The admin, the preview and any other editing view ask these functions; none of
them decides a rule on its own. Rules follow permissions, not group names:
whoever holds ``publish_article`` works as an editor (edits every story,
publishes, schedules, unpublishes); anyone else who may change stories works as
a reporter (their own stories, and only while they are drafts or in review).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import formats, timezone
from reversion.models import Version

from .models import Article, Correction, SlugRedirect

Status = Article.Status

VIEW_PERMISSION = "articles.view_article"
CHANGE_PERMISSION = "articles.change_article"
PUBLISH_PERMISSION = "articles.publish_article"
PREVIEW_PERMISSION = "articles.preview_article"

# The states a reporter's own story may be in while the reporter still edits it.
REPORTER_STATUSES = (Status.DRAFT, Status.IN_REVIEW)


class Refused(Exception):
    """A workflow step this user may not take on this story; the message says why."""


# --- who may do what ------------------------------------------------------------------------


def can_publish(user) -> bool:
    """Whether the user publishes, schedules and unpublishes, and edits every story."""
    return user.has_perm(PUBLISH_PERMISSION)


def allowed_statuses(user) -> list[str]:
    """The statuses the user may give a story, in workflow order."""
    if can_publish(user):
        return list(Status.values)
    return list(REPORTER_STATUSES)


def can_edit_story(user, story: Article) -> bool:
    """Whether the user may change this stored story.

    Editors change everything; a reporter changes only a story they started,
    and only until it is published: a published or withdrawn story is the
    editors' to change.
    """
    if not user.has_perm(CHANGE_PERMISSION):
        return False
    if can_publish(user):
        return True
    return story.created_by_id == user.pk and story.status in REPORTER_STATUSES


def can_view_story(user, story: Article) -> bool:
    """Whether the user may open this story in the admin.

    A reporter sees their own stories whatever their state, and everything
    readers can already see; other reporters' drafts stay with their authors
    and the editors.
    """
    if not (user.has_perm(VIEW_PERMISSION) or user.has_perm(CHANGE_PERMISSION)):
        return False
    return can_publish(user) or story.created_by_id == user.pk or story.is_published


def can_preview_story(user, story: Article) -> bool:
    """Whether the user may see this story as readers will, before readers can."""
    return user.is_active and user.has_perm(PREVIEW_PERMISSION) and can_view_story(user, story)


def stories_listed_for(user, stories: QuerySet) -> QuerySet:
    """The stories of ``stories`` the user may open (see ``can_view_story``)."""
    if can_publish(user):
        return stories
    return stories.filter(created_by=user) | stories.published()


def status_refusal(user, story: Article, new_status: str) -> str | None:
    """Why the user may not save ``story`` with ``new_status``; None when they may.

    ``story`` is the story as stored before this save (unsaved for a new one).
    """
    if not story._state.adding and not can_edit_story(user, story):
        return "You may change only your own stories, and only until they are published."
    if new_status not in allowed_statuses(user):
        return "Only editors can publish, schedule or unpublish a story."
    return None


def status_before_edit(story: Article) -> str | None:
    """The status the story had when it was loaded for editing; None for a new story."""
    if story._state.adding:
        return None
    # Article.from_db remembers it, so the model can tell a published story's
    # slug change; restoring a revision sets it to the live story's status.
    return getattr(story, "_stored_status", story.status)


# --- what a published story needs -------------------------------------------------------------


def publish_problems(*, headline, slug, body, featured_image) -> dict[str, str]:
    """What keeps a story with these values from being published, by form field.

    Readers must get a headline, an address and a text; a picture must come
    with alt text for readers who cannot see it and a credit for whoever took
    it. Drafts may lack any of these.
    """
    problems = {}
    if not (headline or "").strip():
        problems["headline"] = "A published story needs a headline."
    if not (slug or "").strip():
        problems["slug"] = "A published story needs a slug: its address."
    if not (body or "").strip():
        problems["body"] = "A published story needs a body."
    if featured_image is not None and featured_image.has_picture:
        missing = [
            what
            for what, value in [
                ("alt text", featured_image.alt_text),
                ("a credit", featured_image.credit),
            ]
            if not value.strip()
        ]
        if missing:
            problems["featured_image"] = (
                f"The featured image needs {' and '.join(missing)} before the story is published."
            )
    return problems


def story_publish_problems(story: Article) -> dict[str, str]:
    """``publish_problems`` for a story as it stands."""
    return publish_problems(
        headline=story.headline,
        slug=story.slug,
        body=story.body,
        featured_image=story.featured_image,
    )


def publication_date_on_save(previous_status, new_status, published_at, *, now=None):
    """The publication date a story carries after a save.

    A story published without a date is dated now, on the transition only: a
    published story of unknown date (imported without one) stays undated when
    it is saved again.
    """
    publishing = new_status == Status.PUBLISHED and previous_status != Status.PUBLISHED
    if publishing and published_at is None:
        return now or timezone.now()
    return published_at


def publication_state(story: Article, *, now=None) -> str:
    """The story's state in words, with the time a scheduled story goes live."""
    now = now or timezone.now()
    if story.status == Status.PUBLISHED and story.published_at and story.published_at > now:
        scheduled_for = formats.date_format(
            timezone.localtime(story.published_at), "DATETIME_FORMAT"
        )
        return f"Scheduled for {scheduled_for}"
    return story.get_status_display()


# --- list actions ---------------------------------------------------------------------------


def submit_for_review(user, story: Article) -> None:
    """Send a draft to the editors. Raises Refused when the user may not."""
    if not can_edit_story(user, story):
        raise Refused("you may send only your own drafts")
    if story.status == Status.IN_REVIEW:
        raise Refused("it is already in review")
    if story.status == Status.PUBLISHED:
        raise Refused("it is published; unpublish it first")
    story.status = Status.IN_REVIEW
    story.save(update_fields=["status"])


def publish_now(user, story: Article, *, now=None) -> None:
    """Make the story visible to readers now. Raises Refused when it may not be.

    A scheduled or undated story is dated now; a withdrawn story published
    again keeps the date it first appeared.
    """
    now = now or timezone.now()
    if not can_publish(user):
        raise Refused("only editors can publish")
    if story.status == Status.PUBLISHED and not story.is_scheduled:
        raise Refused("it is already published")
    problems = story_publish_problems(story)
    if problems:
        raise Refused(" ".join(problems.values()))
    story.status = Status.PUBLISHED
    if story.published_at is None or story.published_at > now:
        story.published_at = now
        story.publication_time_known = True
    story.save(update_fields=["status", "published_at", "publication_time_known"])


def unpublish(user, story: Article) -> None:
    """Withdraw a published or scheduled story from readers. Raises Refused when it may not be."""
    if not can_publish(user):
        raise Refused("only editors can unpublish")
    if story.status != Status.PUBLISHED:
        raise Refused("it is not published")
    story.status = Status.UNPUBLISHED
    story.save(update_fields=["status"])


# --- concurrent editing -----------------------------------------------------------------------


@dataclass(frozen=True)
class EditConflict:
    """Who saved a story after an editor opened it, and the revisions to compare."""

    saved_by: str
    saved_at: datetime
    opened_version: Version | None
    latest_version: Version | None


# How far back to look for the revision an editor opened: conflicts are about
# the last few saves, and each look deserialises a revision.
CONFLICT_LOOKBACK = 50


def edit_conflict(story: Article, opened_edit_version: int) -> EditConflict | None:
    """The conflict when ``story`` (as stored now) moved on since the editor opened it.

    ``opened_edit_version`` is the story's ``edit_version`` when the editor's
    form was rendered; None is returned when that is still the stored one.
    """
    if opened_edit_version == story.edit_version:
        return None
    versions = list(
        Version.objects.get_for_object(story).select_related("revision__user")[:CONFLICT_LOOKBACK]
    )
    latest = versions[0] if versions else None
    opened = next(
        (v for v in versions if v.field_dict.get("edit_version", 0) <= opened_edit_version),
        None,
    )
    if latest is not None and latest.field_dict.get("edit_version") == story.edit_version:
        user = latest.revision.user
        saved_by = (user.get_full_name() or user.get_username()) if user else "someone"
        saved_at = latest.revision.date_created
    else:
        # Changed without a revision, e.g. by a re-import: only the time is known.
        saved_by, saved_at = "someone", story.updated_at
    return EditConflict(saved_by, saved_at, opened, latest)


# --- restoring a revision ---------------------------------------------------------------------


def keep_live_state(restored: Article, live: Article) -> None:
    """Make a story just reverted to an old revision save as the next version of the live one.

    Reverting writes the old revision's row back, edit counter and all. The
    counter must keep counting up, or an editor holding a form from before the
    restore could save over it; and the model must compare the restored slug
    and status with the live ones, so a published story's current address
    keeps working when an older one comes back.
    """
    restored.edit_version = live.edit_version
    restored._stored_slug = live.slug
    restored._stored_status = live.status


# --- what readers see after publication -----------------------------------------------------


def current_address(old_slug: str) -> str | None:
    """Where the published story that used to live at ``old_slug`` lives now; None if nowhere.

    A story's redirects point at the story itself, so every old address is
    one hop from the current one; the current address never redirects, and a
    story readers may not see leaves no trail.
    """
    redirect = (
        SlugRedirect.objects.filter(old_slug=old_slug, article__in=Article.objects.published())
        .select_related("article")
        .first()
    )
    if redirect is None or redirect.article.slug == old_slug:
        return None
    return redirect.article.get_absolute_url()


def corrections_readers_see():
    """Corrections and updates on published stories, newest first, with their story."""
    return (
        Correction.objects.filter(article__in=Article.objects.published())
        .select_related("article")
        .order_by("-published_at", "-pk")
    )


# --- the admin home -------------------------------------------------------------------------

DESK_LENGTH = 10


@dataclass(frozen=True)
class Desk:
    """What needs a newsroom member's attention, as the admin home lists it."""

    in_review: list
    scheduled: list
    recently_published: list
    own_drafts: list

    def __bool__(self):
        return any([self.in_review, self.scheduled, self.recently_published, self.own_drafts])


def desk_for(user, *, now=None) -> Desk:
    """The stories in review, scheduled, recently published, and the user's own drafts.

    Only stories the user may open; one query per list, whatever the newsroom's size.
    """
    now = now or timezone.now()
    every_story = Article.objects.select_related("created_by")
    stories = stories_listed_for(user, every_story)
    return Desk(
        in_review=list(
            stories.filter(status=Status.IN_REVIEW).order_by("-updated_at")[:DESK_LENGTH]
        ),
        scheduled=list(
            stories.filter(status=Status.PUBLISHED, published_at__gt=now).order_by("published_at")[
                :DESK_LENGTH
            ]
        ),
        recently_published=list(stories.published(now).newest_first()[:DESK_LENGTH]),
        own_drafts=list(
            every_story.filter(created_by=user, status=Status.DRAFT).order_by("-updated_at")[
                :DESK_LENGTH
            ]
        ),
    )
