"""A bounded breadth-first crawl of the pages a signed-in user reaches by links, and what a page shows in words."""

import json
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit

from django.urls import Resolver404, resolve

# Attributes whose text a reader sees or hears: tooltips, placeholders, screen-reader labels, image text.
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
BUTTON_INPUT_TYPES = {"submit", "button", "reset"}
# Elements whose text is not read as words: scripts and styles, and identifiers shown as code (column names,
# item codes), which stay the same in every language.
UNREAD_ELEMENTS = ("script", "style", "template", "code", "kbd", "samp")


@dataclass
class Form:
    method: str
    action: str
    # (name, value) of each option of the form's drop-downs: a GET form is also followed with each one chosen.
    choices: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class PageWords:
    """What one HTML page offers: its links, its forms and the text a reader sees."""

    links: list[str] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)
    # Words a chart draws, from the JSON configs that json_script puts in the page.
    chart_words: list[str] = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = PageWords()
        self._hidden_depth = 0
        self._json: list[str] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "script" and attributes.get("type") == "application/json":
            self._json = []
        if tag in UNREAD_ELEMENTS:
            self._hidden_depth += 1
        if tag == "a" and "href" in attributes:
            self.page.links.append(attributes["href"])
        if tag == "form":
            self.page.forms.append(Form(attributes.get("method", "get").lower(), attributes.get("action", "")))
        if tag == "select":
            self._select = attributes.get("name")
        if tag == "option" and self._select and attributes.get("value") and self.page.forms:
            self.page.forms[-1].choices.append((self._select, attributes["value"]))
        if tag == "input" and attributes.get("type", "").lower() in BUTTON_INPUT_TYPES and attributes.get("value"):
            self.page.attributes.append(attributes["value"])
        self.page.attributes.extend(attributes[name] for name in SHOWN_ATTRIBUTES if attributes.get(name))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in UNREAD_ELEMENTS:
            self._hidden_depth -= 1

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag in UNREAD_ELEMENTS and self._hidden_depth:
            self._hidden_depth -= 1
        if tag == "script" and self._json is not None:
            self.page.chart_words.extend(_drawn_words(json.loads("".join(self._json))))
            self._json = None

    def handle_data(self, data):
        if self._json is not None:
            self._json.append(data)
        if not self._hidden_depth and data.strip():
            self.page.texts.append(data.strip())


# Keys of a Chart.js config (and of the dashboard's quadrant plugin) whose strings are drawn on the canvas.
DRAWN_KEYS = {"label", "labels", "text", "title", "names"}


def _drawn_words(config, drawn: bool = False) -> list[str]:
    if isinstance(config, str):
        return [config] if drawn else []
    if isinstance(config, dict):
        return [word for key, value in config.items() for word in _drawn_words(value, drawn or key in DRAWN_KEYS)]
    if isinstance(config, list):
        return [word for value in config for word in _drawn_words(value, drawn)]
    return []


def parse_page(html: str) -> PageWords:
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser.page


def same_site_path(base: str, href: str) -> str | None:
    """The path and query of a link on this site, or None for another site, a fragment or a non-HTTP scheme."""
    url, _ = urldefrag(urljoin("http://testserver" + base, href.strip()))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def url_name(path: str) -> str | None:
    """The namespaced name of the URL pattern serving this path, e.g. "dashboard:project_detail"."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


@dataclass
class Visit:
    path: str
    status: int
    content_type: str
    words: PageWords | None


@dataclass
class Crawl:
    visits: list[Visit] = field(default_factory=list)
    # URL names reached through a link or a GET form, and through a form that posts.
    linked: set[str] = field(default_factory=set)
    posted: set[str] = field(default_factory=set)


def _cap_key(path: str) -> tuple:
    """Paths counted together against the cap: one URL pattern with the same query parameters (e.g. one filter)."""
    parts = urlsplit(path)
    return url_name(parts.path) or parts.path, tuple(sorted({key for key, _ in parse_qsl(parts.query)}))


def crawl(client, start: str, *, skip, max_pages: int = 400, per_pattern: int = 6) -> Crawl:
    """Follow every same-site link and GET form breadth-first from start, at most per_pattern paths per URL pattern
    and query parameters; a GET form is followed as it is and with each option of its drop-downs chosen.

    skip(path) says which paths are never fetched (signing out, the admin, the API); POST forms are recorded
    but never submitted, so the crawl changes nothing.
    """
    result = Crawl()
    queued = {start}
    queue = deque([start])
    fetched_per_pattern: Counter = Counter()
    while queue and len(result.visits) < max_pages:
        path = queue.popleft()
        pattern = _cap_key(path)
        if fetched_per_pattern[pattern] >= per_pattern:
            continue
        fetched_per_pattern[pattern] += 1
        response = client.get(path)
        content_type = response.get("Content-Type", "")
        words = None
        if response.status_code == 200 and content_type.startswith("text/html"):
            words = parse_page(response.content.decode())
        elif response.status_code in (301, 302, 303) and not skip(response["Location"]):
            words = PageWords(links=[response["Location"]])
        result.visits.append(Visit(path, response.status_code, content_type, words))
        if words is None:
            continue
        targets = [(href, "get") for href in words.links]
        targets += [(form.action or path, form.method) for form in words.forms]
        targets += [
            (f"{urlsplit(form.action or path).path}?{urlencode({name: value})}", "get")
            for form in words.forms
            if form.method == "get"
            for name, value in form.choices
        ]
        for href, method in targets:
            target = same_site_path(path, href)
            if target is None:
                continue
            name = url_name(target)
            if method == "post":
                if name:
                    result.posted.add(name)
                continue
            if name:
                result.linked.add(name)
            if target not in queued and not skip(target):
                queued.add(target)
                queue.append(target)
    return result


# ASCII classes on purpose: \w would also match Chinese characters, and "后台Houtai" must still count.
LATIN_WORD = re.compile(r"(?<![A-Za-z0-9_@./:-])[A-Za-z][A-Za-z'’]*(?![A-Za-z0-9_@/:-])")


def latin_words(text: str, *, allowed: set[str]) -> list[str]:
    """Words in the Latin alphabet (not parts of codes, addresses or numbers) that are not on the allow-list."""
    return [word for word in LATIN_WORD.findall(text) if word not in allowed]
