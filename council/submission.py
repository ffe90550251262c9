"""The 'Meld inn sak' form: server-side validation of every field, and the patient-ID guard."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse

from council.cases import CaseType
from council.pii import scan_fields
from council.topics import DEFAULT_TOPICS, deviation_ref_error, split_choices, unknown_topics

MAX_TITLE = 120
MAX_DESCRIPTION = 4000
MAX_REASON = 500
MAX_LINKS = 10
FIRST_AVAILABLE = "first"
FREE_TEXT = ("title", "description", "urgent_reason", "links")


@dataclass(frozen=True)
class Draft:
    """Exactly what the form sent (strings), so it can be shown again unchanged after an error."""

    title: str = ""
    description: str = ""
    unit: str = ""
    case_type: str = ""
    meeting: str = FIRST_AVAILABLE
    links: str = ""
    urgent: bool = False
    urgent_reason: str = ""
    topics: str = ""  # the multi-select's value: labels joined by commas
    deviation_ref: str = ""
    submission_key: str = ""

    @classmethod
    def from_data(cls, data: dict) -> "Draft":
        def text(key: str) -> str:
            return str(data.get(key) or "").strip()
        return cls(title=text("title"), description=text("description"), unit=text("unit"),
                   case_type=text("case_type"), meeting=text("meeting") or FIRST_AVAILABLE, links=text("links"),
                   urgent=text("urgent").lower() in ("true", "1", "on", "yes"),
                   urgent_reason=text("urgent_reason"), topics=text("topics"),
                   deviation_ref=text("deviation_ref"), submission_key=text("submission_key"))

    def as_data(self) -> dict:
        return {"title": self.title, "description": self.description, "unit": self.unit,
                "case_type": self.case_type, "meeting": self.meeting, "links": self.links,
                "urgent": "true" if self.urgent else "false", "urgent_reason": self.urgent_reason,
                "topics": self.topics, "deviation_ref": self.deviation_ref, "submission_key": self.submission_key}

    @property
    def chosen_topics(self) -> tuple[str, ...]:
        return split_choices(self.topics)

    def free_text(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FREE_TEXT}


def parse_links(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,]+", text) if part]


def _valid_url(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and " " not in url and len(url) <= 2000


def validate(draft: Draft, units: tuple[str, ...], meeting_ids: set[int],
             topics: tuple[str, ...] = DEFAULT_TOPICS) -> dict[str, str]:
    """Field name -> catalogue key of the error; empty when the draft can be stored."""
    errors: dict[str, str] = {}
    if not draft.title:
        errors["title"] = "submit.error.title_required"
    elif len(draft.title) > MAX_TITLE:
        errors["title"] = "submit.error.title_too_long"
    if not draft.description:
        errors["description"] = "submit.error.description_required"
    elif len(draft.description) > MAX_DESCRIPTION:
        errors["description"] = "submit.error.description_too_long"
    if draft.unit not in units:
        errors["unit"] = "submit.error.unit_required"
    if draft.case_type not in {t.value for t in CaseType}:
        errors["case_type"] = "submit.error.type_required"
    if draft.meeting != FIRST_AVAILABLE and not (draft.meeting.isdigit() and int(draft.meeting) in meeting_ids):
        errors["meeting"] = "submit.error.meeting_closed"
    links = parse_links(draft.links)
    if len(links) > MAX_LINKS or not all(_valid_url(link) for link in links):
        errors["links"] = "submit.error.links_invalid"
    if draft.urgent and not draft.urgent_reason:
        errors["urgent_reason"] = "submit.error.urgent_reason_required"
    elif len(draft.urgent_reason) > MAX_REASON:
        errors["urgent_reason"] = "submit.error.reason_too_long"
    if unknown_topics(draft.chosen_topics, topics):
        errors["topics"] = "submit.error.topics_unknown"
    if (problem := deviation_ref_error(draft.deviation_ref)) is not None:
        errors["deviation_ref"] = problem
    return errors


def pii_fields(draft: Draft) -> list[str]:
    """Names of the free-text fields that look like they hold a national ID number (never the value)."""
    return [hit.field for hit in scan_fields(draft.free_text())]
