"""What the meeting services queue, as activities (the MeetingMessages port, implemented with cards)."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from cards.actions import AGENDA_SHOW, MEETING_LIST, MeetingRef, execute
from cards.agenda import (
    STANDING_KEYS,
    deadline_facts,
    deputy_invitation_card,
    meeting_facts,
    meeting_when,
    notice_card,
    notice_update_card,
    time_range,
)
from cards.case_messages import activity
from cards.common import card, text, title
from cards.meetings import action_assigned_card
from cards.minutes import minutes_approved_card, minutes_draft_card
from cards.texts import t
from cards.texts.format import format_date
from council.agenda import ItemKind
from council.meetings import DeadlineRules, Meeting, MeetingStatus
from council.members import Member
from council.minutes import ActionItem

if TYPE_CHECKING:
    from council.services.agenda import AgendaView
    from council.services.minutes import MinutesView

DOCUMENT_KINDS = ("notice.pdf", "minutes.pdf", "minutes.md")


def standing_titles(locale: str | None = None) -> dict[ItemKind, str]:
    """Titles of the fixed agenda items, for MeetingService(standing_titles=...)."""
    return {kind: t(key, locale) for kind, key in STANDING_KEYS.items()}


class CardMeetingMessages:
    """The MeetingMessages port. Channel posts are in bokmål; personal ones in the recipient's language.

    `document_url(kind, meeting_id)` gives a download link for kind in DOCUMENT_KINDS; without it no
    download buttons are shown.
    """

    def __init__(self, rules: DeadlineRules, document_url: Callable[[str, int], str] | None = None) -> None:
        self.rules = rules
        self._document_url = document_url

    def _url(self, kind: str, meeting_id: int | None) -> str | None:
        if self._document_url is None or meeting_id is None:
            return None
        return self._document_url(kind, meeting_id)

    # --- the meeting plan -------------------------------------------------------------------------------------
    def plan_posted(self, meetings: list[Meeting]) -> dict:
        planned = sorted((m for m in meetings if m.status is MeetingStatus.PLANNED), key=lambda m: m.date)
        lines = [f"- **{meeting_when(m, None)}** · {t('meeting.submission_deadline', None)} "
                 f"{format_date(m.submission_deadline(self.rules), None)}" for m in planned]
        body = [title(t("meetings.plan_posted_title", None)), text(t("meetings.plan_posted_intro", None)),
                text("\n".join(lines))]
        summary = f"{t('meetings.plan_posted_title', None)}: {len(planned)}"
        return activity(card(body, [execute(t("meetings.title", None), MEETING_LIST, validate=False)]), summary)

    def meeting_added(self, meeting: Meeting) -> dict:
        heading = t("meetings.added_title", None)
        return activity(self._meeting_card(heading, None, meeting), f"{heading}: {meeting_when(meeting, None)}")

    def meeting_moved(self, before: Meeting, after: Meeting) -> dict:
        message = t("meetings.moved_body", None, before=meeting_when(before, None), after=meeting_when(after, None))
        return activity(self._meeting_card(t("meetings.moved_title", None), message, after), message)

    def meeting_cancelled(self, meeting: Meeting) -> dict:
        message = t("meetings.cancelled_body", None, date=format_date(meeting.date, None, weekday=True))
        body = [title(t("meetings.cancelled_title", None)), text(message)]
        return activity(card(body, [execute(t("meetings.title", None), MEETING_LIST, validate=False)]), message)

    def _meeting_card(self, heading: str, message: str | None, meeting: Meeting) -> dict:
        body = [title(heading)]
        if message:
            body.append(text(message))
        body.append({"type": "FactSet", "facts": meeting_facts(meeting, None) + deadline_facts(meeting, self.rules,
                                                                                              None)})
        actions = [execute(t("meetings.title", None), MEETING_LIST, validate=False)]
        if meeting.id is not None:
            actions.append(execute(t("meetings.agenda", None), AGENDA_SHOW, MeetingRef(meeting.id),
                                   validate=False))
        return card(body, actions)

    # --- notice and attendance --------------------------------------------------------------------------------
    def notice(self, view: AgendaView) -> dict:
        meeting = view.meeting
        payload = notice_card(view, self.rules, None, pdf_url=self._url("notice.pdf", meeting.id))
        return activity(payload, t("invite.summary", None, date=format_date(meeting.date, None, weekday=True)))

    def notice_update(self, view: AgendaView, changes: list[tuple[str, str]]) -> dict:
        meeting = view.meeting
        payload = notice_update_card(view, changes, None, rules=self.rules,
                                     pdf_url=self._url("notice.pdf", meeting.id))
        return activity(payload, t("invite.update_title", None, date=format_date(meeting.date, None, weekday=True)))

    def deputy_invitation(self, view: AgendaView, member: Member, locale: str | None) -> dict:
        meeting = view.meeting
        payload = deputy_invitation_card(view, member.name, locale, pdf_url=self._url("notice.pdf", meeting.id))
        summary = t("deputy.summary", locale, date=f"{format_date(meeting.date, locale, weekday=True)}, "
                                                   f"{time_range(meeting.start, meeting.end, locale)}")
        return activity(payload, summary)

    # --- minutes and follow-up ---------------------------------------------------------------------------------
    def minutes_draft(self, view: MinutesView) -> dict:
        meeting = view.agenda.meeting
        payload = minutes_draft_card(view, None, pdf_url=self._url("minutes.pdf", meeting.id))
        return activity(payload, t("minutes.draft_title", None, date=format_date(meeting.date, None, weekday=True)))

    def minutes_approved(self, meeting: Meeting) -> dict:
        payload = minutes_approved_card(meeting, None, pdf_url=self._url("minutes.pdf", meeting.id))
        return activity(payload, t("minutes.approved_body", None,
                                   date=format_date(meeting.date, None, weekday=True)))

    def action_assigned(self, action: ActionItem, locale: str | None) -> dict:
        summary = t("followup.assigned_summary", locale, due=format_date(action.due, locale), what=action.what)
        return activity(action_assigned_card(action, locale), summary)
