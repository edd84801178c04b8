"""An editor's browser, reduced to http.client: log in to the admin, open a story's form,
change it (text, byline, quote, tags) and save it, as the form would be submitted."""

import http.client
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

FORM_ID = "article_form"
SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}


class FormFields(HTMLParser):
    """The fields a browser submits from the form with id `form_id`, in page order."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside = form_id, False
        self.fields: list[list[str]] = []
        self._select: str | None = None
        self._textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
            return
        if not self.inside or "disabled" in attributes:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in SKIPPED_INPUTS:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self.fields.append([name, attributes.get("value") or "on"])
                return
            self.fields.append([name, attributes.get("value") or ""])
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
            self.fields.append(self._textarea)
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.fields.append([self._select, attributes.get("value") or ""])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop one newline straight after <textarea> and send CRLF breaks.
            text = self._textarea[1].removeprefix("\n")
            self._textarea[1] = text.replace("\r\n", "\n").replace("\n", "\r\n")
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_fields(html: str, form_id: str = FORM_ID) -> list[list[str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


def set_field(fields: list[list[str]], name: str, value: str) -> None:
    for field in fields:
        if field[0] == name:
            field[1] = value
            return
    fields.append([name, value])


def get_field(fields: list[list[str]], name: str) -> str | None:
    return next((value for key, value in fields if key == name), None)


@dataclass
class SaveResult:
    status: int
    seconds: float
    saved: bool
    detail: str = ""


class EditorSession:
    """One editor's logged-in session, on one keep-alive connection."""

    def __init__(self, port: int, username: str, password: str, timeout: float = 60):
        self.port, self.username, self.password, self.timeout = port, username, password, timeout
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def _request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=self.timeout
                )
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: open another, once.
                self.connection.close()
                self.connection = None
                if attempt == 2 or method != "GET":
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, content

    def log_in(self) -> None:
        status, _, _ = self._request("GET", "/admin/login/")
        if status != 200:
            raise RuntimeError(f"{self.username}: login page answered {status}")
        body = urlencode(
            {
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
                "username": self.username,
                "password": self.password,
                "next": "/admin/",
            }
        )
        status, headers, _ = self._request(
            "POST",
            "/admin/login/?next=/admin/",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{self.username}: login answered {status}")

    def open_story(self, story_pk: int) -> list[list[str]]:
        status, _, content = self._request("GET", f"/admin/articles/article/{story_pk}/change/")
        if status != 200:
            raise RuntimeError(f"{self.username}: story form answered {status}")
        fields = form_fields(content.decode())
        if get_field(fields, "headline") is None:
            raise RuntimeError(f"{self.username}: no story form in the page")
        return fields

    def save_story(self, story_pk: int, fields: list[list[str]]) -> SaveResult:
        """Submit the form with “Save and continue editing”; saved means the admin redirected."""
        body = urlencode([*map(tuple, fields), ("_continue", "Save and continue editing")])
        path = f"/admin/articles/article/{story_pk}/change/"
        started = time.perf_counter()
        status, headers, content = self._request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRFToken": self.cookies.get("csrftoken", ""),
            },
        )
        seconds = time.perf_counter() - started
        location = urlsplit(headers.get("Location", "")).path
        saved = status == 302 and location == path
        detail = "" if saved else content.decode(errors="replace")[:2000]
        return SaveResult(status, seconds, saved, detail)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def edited(fields: list[list[str]], marker: str, round_number: int) -> list[list[str]]:
    """The form with this save's changes: headline, body, dek, first byline title, first
    quote, tags. `marker` names the save, so that it can be found afterwards."""
    changed = [list(field) for field in fields]
    headline = get_field(changed, "headline").split(" · save ", 1)[0]
    set_field(changed, "headline", f"{headline} · save {round_number}"[:300])
    body = get_field(changed, "body").split("\r\n\r\nSaved as ", 1)[0]
    set_field(changed, "body", f"{body}\r\n\r\nSaved as {marker}.")
    set_field(changed, "subheadline", f"Revised in save {marker}"[:500])
    if get_field(changed, "bylines-0-title") is not None:
        set_field(changed, "bylines-0-title", f"Correspondent, {marker}"[:200])
    if get_field(changed, "quotes-0-text") is not None:
        text = get_field(changed, "quotes-0-text").split(" [", 1)[0]
        set_field(changed, "quotes-0-text", f"{text} [{marker}]")
    tags = [t.strip() for t in (get_field(changed, "tags") or "").split(",") if t.strip()]
    tags = [t for t in tags if t not in {"edited-even", "edited-odd"}]
    tags.append("edited-even" if round_number % 2 == 0 else "edited-odd")
    set_field(changed, "tags", ", ".join(tags))
    return changed
