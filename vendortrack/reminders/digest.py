"""The digest: every reminder owed to one person in one message, in their language, with a link
to the page where each can be acted on."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import force_locale, get_translations

from vendortrack.assurance.labels import KIND_LABELS as DOCUMENT_KINDS
from vendortrack.i18n import format_day
from vendortrack.reminders.models import Topic

# The order of the digest's sections, most urgent first.
SECTIONS = ("overdue", "upcoming", "notice", "condition", "change", "document")


@dataclass(frozen=True)
class Item:
    """One line of a digest."""

    topic: Topic
    kind: str
    due_on: date
    vendor_id: int
    vendor_name: str
    reason: str
    review_id: int | None = None  # for a condition: the review that set it
    condition_text: str | None = None
    document_kind: str | None = None  # for a document: its kind (assurance.models.DocumentKind)
    subject_id: int | None = None  # what the reminder is about (Reminder.subject_id)
    change_name: str | None = None  # for a sub-processor change: the sub-processor's name

    @property
    def section(self) -> str:
        if self.topic == Topic.REVIEW:
            return "upcoming" if self.kind.startswith("in_") else "overdue"
        return self.topic.value


@dataclass(frozen=True)
class Recipient:
    id: int
    name: str
    email: str
    language: str
    may_review: bool  # offered the review form rather than the vendor's page


@dataclass(frozen=True)
class Digest:
    subject: str
    text: str
    html: str


class Words:
    """gettext and ngettext bound to one language's catalogue, found once per digest:
    Flask-Babel finds it again at every call, which was a third of a digest's cost."""

    def __init__(self):
        self.catalogue = get_translations()

    def gettext(self, string: str, **values) -> str:
        text = self.catalogue.gettext(string)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, num: int, **values) -> str:
        return self.catalogue.ngettext(singular, plural, num) % {"num": num, **values}


def compose(items: Sequence[Item], recipient: Recipient, today: date, link) -> Digest:
    """Render the digest of `items` for `recipient`, in their language."""
    language = recipient.language
    with force_locale(language if language in current_app.config["LANGUAGES"] else "en"):
        words = Words()
        sections = {name: [] for name in SECTIONS}
        for item in sorted(items, key=lambda i: (i.due_on, i.vendor_name.casefold())):
            sections[item.section].append(_line(item, recipient, today, link, words))
        context = {
            "recipient": recipient,
            "sections": {name: lines for name, lines in sections.items() if lines},
            "titles": section_titles(words),
            "links": {"vendors": link("vendors.index"), "calendar": link("feeds.index")},
            "_": words.gettext,
            "gettext": words.gettext,
            "ngettext": words.ngettext,
        }
        # The environment's templates directly: render_template would run the request's
        # context processors (the signed-in user, CSRF) for every one of thousands of digests.
        templates = current_app.jinja_env
        return Digest(
            subject=_subject(sections, words),
            text=templates.get_template("emails/reminders.txt").render(context),
            html=templates.get_template("emails/reminders.html").render(context),
        )


def section_titles(words: Words) -> dict[str, str]:
    _ = words.gettext
    return {
        "overdue": _("Reviews due or overdue"),
        "upcoming": _("Reviews coming up"),
        "notice": _("Contract notice deadlines"),
        "condition": _("Review conditions due"),
        "change": _("Sub-processor changes awaiting your decision"),
        "document": _("Vendor documents expiring"),
    }


def _line(item: Item, recipient: Recipient, today: date, link, words: Words) -> dict:
    if item.topic == Topic.CONDITION:
        url = link("reviews.detail", review_id=item.review_id)
    elif item.topic == Topic.DOCUMENT:
        url = link("vendors.detail", vendor_id=item.vendor_id) + "#documents"
    elif item.topic == Topic.CHANGE:
        url = link("vendors.change_decide", vendor_id=item.vendor_id, change_id=item.subject_id)
    elif item.topic == Topic.REVIEW and recipient.may_review:
        url = link("reviews.create", vendor_id=item.vendor_id)
    else:
        url = link("vendors.detail", vendor_id=item.vendor_id)
    days = (item.due_on - today).days
    return {
        "item": item,
        "days": days,
        "url": url,
        "what": _what(item, days, words),
        "why": _why(item.reason, words),
    }


def _why(reason: str, words: Words) -> str:
    """Why someone other than the owner hears of a vendor."""
    _ = words.gettext
    if reason == "escalation":
        return _("You receive this as a manager: the review is more than 14 days overdue.")
    if reason == "no_owner":
        return _("You receive this as a manager: the vendor has no owner.")
    if reason == "owner_unreachable":
        return _("You receive this as a manager: the vendor's owner cannot be reached by email.")
    return ""


def _what(item: Item, days: int, words: Words) -> str:
    day = format_day(item.due_on, "long")
    if item.topic == Topic.NOTICE:
        return _notice_line(days, day, words)
    if item.topic == Topic.CONDITION:
        return words.gettext(
            "Condition of the last review, due %(day)s: %(text)s", day=day, text=item.condition_text
        )
    if item.topic == Topic.DOCUMENT:
        return _document_line(item, days, day, words)
    if item.topic == Topic.CHANGE:
        return words.gettext(
            "%(name)s, a new or dropped sub-processor: objections close %(day)s.",
            name=item.change_name,
            day=day,
        )
    return _review_line(days, day, words)


def _notice_line(days: int, day: str, words: Words) -> str:
    if days == 0:
        return words.gettext(
            "Today is the last day to give notice before the contract ends or renews."
        )
    return words.ngettext(
        "Last day to give notice before the contract ends or renews: %(day)s, in %(num)d day.",
        "Last day to give notice before the contract ends or renews: %(day)s, in %(num)d days.",
        days,
        day=day,
    )


def _review_line(days: int, day: str, words: Words) -> str:
    _, ngettext = words.gettext, words.ngettext
    if days > 0:
        return ngettext(
            "Review due %(day)s, in %(num)d day.",
            "Review due %(day)s, in %(num)d days.",
            days,
            day=day,
        )
    if days == 0:
        return _("Review due today.")
    return ngettext(
        "Review overdue since %(day)s (%(num)d day).",
        "Review overdue since %(day)s (%(num)d days).",
        -days,
        day=day,
    )


def _document_line(item: Item, days: int, day: str, words: Words) -> str:
    kind = str(DOCUMENT_KINDS.get(item.document_kind, item.document_kind))  # in the forced locale
    if days == 0:
        return words.gettext("%(kind)s: today is the last day it is good for.", kind=kind)
    return words.ngettext(
        "%(kind)s: good until %(day)s, %(num)d day from now.",
        "%(kind)s: good until %(day)s, %(num)d days from now.",
        days,
        kind=kind,
        day=day,
    )


def _subject(sections: dict[str, list], words: Words) -> str:
    ngettext = words.ngettext
    count = sum(len(lines) for lines in sections.values())
    overdue = sum(1 for line in sections["overdue"] if line["days"] < 0)
    subject = ngettext("VendorTrack: %(num)d reminder", "VendorTrack: %(num)d reminders", count)
    if overdue:
        subject += ngettext(", %(num)d review overdue", ", %(num)d reviews overdue", overdue)
    return subject
