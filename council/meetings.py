"""Council meetings and the deadlines that follow from a meeting's date."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum

Day = date  # for annotations inside classes whose field `date` hides the type


class MeetingStatus(str, Enum):
    PLANNED = "planlagt"
    CANCELLED = "avlyst"


@dataclass(frozen=True)
class DeadlineRules:
    """Days before/after the meeting (defaults from the domain guide: 14 / 7 / 7)."""

    submission_days_before: int = 14
    notice_days_before: int = 7
    minutes_days_after: int = 7


@dataclass(frozen=True)
class Meeting:
    id: int | None
    date: date
    start: time = time(9, 0)
    end: time = time(11, 0)
    place: str = ""
    status: MeetingStatus = MeetingStatus.PLANNED
    notice_published_at: datetime | None = None
    notice_changed_at: datetime | None = None  # a change after publishing, not yet announced
    minutes_status: str = "ingen"
    minutes_approved_at: datetime | None = None
    calendar_event_id: str | None = None  # the Outlook event, once written through Graph
    calendar_version: int = 1  # bumped when the meeting moves or is cancelled
    calendar_synced_version: int | None = None  # the calendar_version last written to Outlook
    chair: str | None = None  # Møteleder (AAD id); None = the leader
    minute_taker: str | None = None  # Referent (AAD id); None = the secretary
    guests: str = ""  # «Andre til stede» who are not in the member list (free text)
    minutes_approved_via: str | None = None  # council.records.ApprovalRoute value
    minutes_approved_in: str = ""  # the item that approved the minutes at the next meeting ("Sak 02/27")

    @property
    def notice_published(self) -> bool:
        return self.notice_published_at is not None

    @property
    def minutes_locked(self) -> bool:
        return self.minutes_status == "godkjent"

    def submission_deadline(self, rules: DeadlineRules) -> Day:
        return self.date - timedelta(days=rules.submission_days_before)

    def notice_date(self, rules: DeadlineRules) -> Day:
        return self.date - timedelta(days=rules.notice_days_before)

    def minutes_due(self, rules: DeadlineRules) -> Day:
        return self.date + timedelta(days=rules.minutes_days_after)

    def open_for_submissions(self, today: Day, rules: DeadlineRules) -> bool:
        return self.status is MeetingStatus.PLANNED and today <= self.submission_deadline(rules)
