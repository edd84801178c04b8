"""Helpers for the admin tests: pages as a browser submits them, and the people who use them.

Forms are posted back exactly as the rendered page would submit them, so a
test exercises what an editor's browser sends, not a hand-made guess.
"""

from html.parser import HTMLParser

from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article

# Bookkeeping the model updates on every save, whatever the form says.
MAINTAINED_BY_SAVE = {"created_at", "updated_at", "edit_version"}

SEED_SLUGS = {
    "000": "us-lifts-sanctions-on-chinese-institute-to-seek-fentanyl-cooperation",
    "001": "biden-admin-weighs-dropping-sanctions-on-china-in-exchange-for-fentanyl-cooperation",
    "003": "biden-wants-to-ease-china-sanctions-in-exchange-for-fentanyl-cooperation-gop-threatens-to-block-deal",
}


# --- people ----------------------------------------------------------------------------------


def make_staff(username, *groups, **fields):
    """A staff login in the named groups ("Reporter", "Editor"), created by the roles migration."""
    user = User.objects.create_user(username, is_staff=True, **fields)
    user.groups.set(Group.objects.filter(name__in=groups))
    assert user.groups.count() == len(groups), f"missing group among {groups}"
    return user


def logged_in(client, user):
    client.force_login(user)
    return client


# --- pages and forms -------------------------------------------------------------------------


class BrowserFormData(HTMLParser):
    """What a browser submits from one <form>: its successful controls, in order.

    Text areas are submitted with CRLF line breaks, as browsers do.
    """

    SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.fields = []
        self.select = None
        self.option = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == self.form_id
        if not self.in_form or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "on"))
            elif kind not in self.SKIPPED_INPUTS:
                self.fields.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self.select is not None:
            self.option = {"value": attrs.get("value"), "selected": "selected" in attrs, "text": ""}
            self.select["options"].append(self.option)
        elif tag == "textarea" and name:
            self.textarea = {"name": name, "text": ""}

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"] += data
        if self.textarea is not None:
            self.textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "option":
            self.option = None
        elif tag == "select" and self.select is not None:
            options = self.select["options"]
            chosen = [option for option in options if option["selected"]]
            if not chosen and not self.select["multiple"]:
                chosen = options[:1]
            for option in chosen:
                value = option["value"] if option["value"] is not None else option["text"]
                self.fields.append((self.select["name"], value))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            text = self.textarea["text"]
            # HTML drops one line break straight after <textarea>; html.parser keeps it.
            text = text.removeprefix("\n").replace("\r\n", "\n").replace("\n", "\r\n")
            self.fields.append((self.textarea["name"], text))
            self.textarea = None


def form_data(response, form_id):
    """The data a browser would post back from the page's form, as {name: [values]}."""
    parser = BrowserFormData(form_id)
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    assert data, f"no form #{form_id} on the page"
    return data


def form_errors(response):
    """Every error of an admin form page, main form and inlines, for assertion messages."""
    context = response.context
    if context is None or "adminform" not in context:
        return {}
    errors = {"form": context["adminform"].form.errors}
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        errors[formset.prefix] = [formset.non_form_errors(), *formset.errors]
    return errors


def assert_saved(response):
    assert response.status_code == 302, form_errors(response)


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def add_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def listed(response):
    return list(response.context["cl"].result_list)


def story_snapshot(article):
    """Everything an editor can change on a story, as plain values."""
    article = Article.objects.get(pk=article.pk)
    return {
        "fields": {
            field.attname: getattr(article, field.attname)
            for field in Article._meta.concrete_fields
            if field.name not in MAINTAINED_BY_SAVE
        },
        "bylines": list(article.bylines.values_list("pk", "author__slug", "position", "title")),
        "quotes": [
            (
                q.pk,
                q.position,
                q.text,
                q.context,
                q.attribution,
                sorted(s.slug for s in q.speakers.all()),
            )
            for q in article.quotes.all()
        ],
        "related_links": list(
            article.related_links.values_list("pk", "position", "target_id", "headline", "url")
        ),
        "tags": sorted(article.tags.names()),
    }


def seed_story(key):
    return Article.objects.get(slug=SEED_SLUGS[key])


def get_counting_queries(client, url):
    """GET ``url``; return the response and how many database queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def post_form(client, url, form_id="article_form", **changes):
    """Load ``url``, change some fields, and post the form back as a browser would."""
    data = form_data(client.get(url), form_id)
    data.update(
        {name: value if isinstance(value, list) else [value] for name, value in changes.items()}
    )
    data.setdefault("_save", ["Save"])
    return client.post(url, data)


def messages_of(response):
    """The texts of the messages a page shows (follow redirects to see them)."""
    return [str(message) for message in response.context["messages"]]
