"""Presentation stand-ins for service tests: each message is a small dict naming what it is about."""
from __future__ import annotations

from typing import Any

from council.cases import Case
from council.meetings import Meeting
from council.members import Member


class RecordedMessages:
    """MeetingMessages and CaseMessages in one: what would be drawn, as ids the test can check."""

    def plan_posted(self, meetings: list[Meeting]) -> dict[str, Any]:
        return {"message": "plan_posted", "meetings": [m.id for m in meetings]}

    def meeting_added(self, meeting: Meeting) -> dict[str, Any]:
        return {"message": "meeting_added", "meeting": meeting.id}

    def meeting_moved(self, before: Meeting, after: Meeting) -> dict[str, Any]:
        return {"message": "meeting_moved", "meeting": after.id, "date": after.date.isoformat()}

    def meeting_cancelled(self, meeting: Meeting) -> dict[str, Any]:
        return {"message": "meeting_cancelled", "meeting": meeting.id}

    def notice(self, view: Any) -> dict[str, Any]:
        return {"message": "notice", "meeting": view.meeting.id, "items": [i.title for i in view.items]}

    def notice_update(self, view: Any, changes: list[tuple[str, str]]) -> dict[str, Any]:
        return {"message": "notice_update", "meeting": view.meeting.id, "changes": changes}

    def deputy_invitation(self, view: Any, member: Member, locale: str | None) -> dict[str, Any]:
        return {"message": "deputy_invitation", "meeting": view.meeting.id, "for": member.aad_object_id}

    def minutes_draft(self, view: Any) -> dict[str, Any]:
        return {"message": "minutes_draft", "meeting": view.agenda.meeting.id}

    def minutes_approved(self, meeting: Meeting) -> dict[str, Any]:
        return {"message": "minutes_approved", "meeting": meeting.id}

    def action_assigned(self, action: Any, locale: str | None) -> dict[str, Any]:
        return {"message": "action_assigned", "action": action.id}

    def status_notice(self, case: Case, meeting: Meeting | None, locale: str | None) -> dict[str, Any]:
        return {"message": "status_notice", "case": case.id, "status": case.status.value,
                "meeting": meeting.id if meeting else None}

    def triage_card(self, case: Case, options: dict[str, Any]) -> dict[str, Any]:
        return {"message": "triage_card", "case": case.id, "version": case.version,
                "others": [c.id for c in options["others"]]}

    def dlg_outcome_notice(self, case: Case) -> dict[str, Any]:
        return {"message": "dlg_outcome_notice", "case": case.id}
