"""Minutes and follow-up: record outcomes and action items, post the draft, approve and lock."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from council.agenda import ItemKind
from council.audit import AuditEntry
from council.cases import CaseStatus, Escalation, conclude, escalate_decision
from council.clock import Clock
from council.dlg import decision_reference
from council.errors import Conflict, InvalidInput, NotAllowed, NotFound
from council.ids import stored_id
from council.meetings import Meeting
from council.members import Member, require_organiser
from council.minutes import (
    CASE_STATUS,
    ActionItem,
    ActionStatus,
    Attendance,
    ItemRecord,
    MinutesStatus,
    Outcome,
    check_action,
    check_record,
)
from council.outbox import Operation
from council.records import GUESTS_MAX, ApprovalRoute, AttendanceSheet, FrozenDocument, attendance_sheet, freeze
from council.services.agenda import AgendaService, AgendaView
from council.services.outbox import queue
from council.services.ports import CaseMessages, MeetingMessages, RecordRenderer, UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class MinutesView:
    agenda: AgendaView
    records: dict[int, ItemRecord]
    actions: list[ActionItem]
    votes: tuple = ()  # VoteViews of votes closed since the previous meeting (sirkulasjonsvedtak, hearings)
    sheet: AttendanceSheet | None = None  # attendance per seat, Møteleder and Referent
    next_meeting: Meeting | None = None
    digests: dict[str, str] = field(default_factory=dict)  # frozen documents (kind → SHA-256), once approved
    hearings: dict = field(default_factory=dict)  # agenda item id → Hearing (its vote's figures go under the item)


class MinutesService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, agenda: AgendaService, messages: MeetingMessages,
                 case_messages: CaseMessages, today: Callable[[], date],
                 votes_between: Callable[[date, date], Awaitable[Sequence[object]]] | None = None,
                 renderer: RecordRenderer | None = None) -> None:
        self._votes_between = votes_between  # async (first, last) -> closed votes, for the minutes
        self.renderer = renderer  # renders the referat's files; they are frozen at approval
        self._uow = uow
        self._clock = clock
        self._agenda = agenda
        self._messages = messages
        self._case_messages = case_messages
        self._today = today
        self.wake: Callable[[], None] = lambda: None

    async def view(self, meeting_id: int) -> MinutesView:
        return await self._agenda.read_placed(lambda uow: self._view(uow, meeting_id))

    async def _view(self, uow: UnitOfWork, meeting_id: int) -> MinutesView:
        agenda = await self._agenda.view_in(uow, meeting_id)
        meeting = agenda.meeting
        previous = await uow.meetings.previous(meeting)
        later = [m for m in await uow.meetings.from_date(meeting.date + timedelta(days=1)) if m.id != meeting.id]
        records = await uow.agenda.records(meeting_id)
        actions = await uow.agenda.actions(meeting_id=meeting_id)
        sheet = attendance_sheet(await uow.members.all(), agenda.attendance, meeting.chair, meeting.minute_taker,
                                 meeting.guests)
        digests = await uow.records.digests(meeting_id) if meeting.minutes_locked else {}
        votes: tuple[object, ...] = ()
        if self._votes_between is not None:
            first = previous.date + timedelta(days=1) if previous else meeting.date - timedelta(days=90)
            votes = tuple(await self._votes_between(first, meeting.date))
        hearings = {h.agenda_item_id: h for h in await uow.hearings.for_meeting(meeting_id)
                    if h.agenda_item_id is not None}
        return MinutesView(agenda, records, actions, votes, sheet, later[0] if later else None, digests, hearings)

    async def document(self, meeting_id: int, kind: str) -> bytes:
        """The referat as a file: approved minutes give the bytes frozen at approval, a draft is rendered now."""
        async with self._uow() as uow:
            meeting = await uow.meetings.get(meeting_id)
            if meeting is None:
                raise NotFound("meetings.not_found")
            if meeting.minutes_locked:
                frozen = await uow.records.get(meeting_id, kind)
                if frozen is not None:
                    return frozen.body
        rendered = await self._render(await self.view(meeting_id), frozenset({kind}))
        if kind not in rendered:
            raise NotFound("meetings.not_found")
        return rendered[kind]

    async def archive_parts(self, meeting_id: int) -> tuple[MinutesView, dict[str, FrozenDocument]]:
        """For the archive package: the approved minutes' view and their frozen documents."""
        async with self._uow() as uow:
            meeting = await uow.meetings.get(meeting_id)
            if meeting is None:
                raise NotFound("meetings.not_found")
            if not meeting.minutes_locked:
                raise InvalidInput("records.not_approved")
            frozen = {kind: doc for kind in ("minutes.pdf", "minutes.docx")
                      if (doc := await uow.records.get(meeting_id, kind)) is not None}
            view = await self._view(uow, meeting_id)
        if set(frozen) != {"minutes.pdf", "minutes.docx"}:  # approved before documents were frozen
            rendered = await self._render(view, frozenset({"minutes.pdf", "minutes.docx"}))
            approved_at = meeting.minutes_approved_at or self._clock.now()
            frozen = {kind: frozen.get(kind) or freeze(kind, rendered[kind], approved_at)
                      for kind in ("minutes.pdf", "minutes.docx")}
        return view, frozen

    async def _render(self, view: MinutesView, kinds: frozenset[str] | None = None) -> dict[str, bytes]:
        """Seconds of CPU for a PDF/A: on a worker thread, so the event loop goes on answering Teams meanwhile."""
        if self.renderer is None:
            raise RuntimeError("MinutesService needs a renderer for documents")
        return await asyncio.to_thread(self.renderer.minutes, view, kinds)

    async def record_item(self, actor: Member, item_id: int, outcome: Outcome, text: str, dissent: str = "",
                          protocol_entries: tuple[str, ...] = (), discussion: str | None = None,
                          to_dlg: bool = False) -> list[str]:
        """Store an item's outcome; a case moves with it (and its submitter is told), and a decided case may be
        fremmet for DLG (`to_dlg`). Returns warnings."""
        require_organiser(actor)
        async with self._uow() as uow:
            item = await uow.agenda.get(item_id)
            if item is None:
                raise NotFound("agenda.item_not_found")
            meeting = await self._unlocked(uow, item.meeting_id)
            if discussion is None:  # a form without the field keeps what was written
                known = (await uow.agenda.records(item.meeting_id)).get(item_id)
                discussion = known.discussion if known else ""
            record = ItemRecord(item_id, outcome, text.strip(), dissent.strip(),
                                tuple(p.strip() for p in protocol_entries if p.strip()), discussion.strip())
            warnings = check_record(item, record)
            await uow.agenda.save_record(record)
            if to_dlg and (item.case_id is None or outcome is not Outcome.DECIDED):
                raise InvalidInput("minutes.dlg_needs_decided_case")
            if item.case_id is not None:
                await self._conclude_case(uow, actor, item.case_id, outcome)
            if to_dlg and item.case_id is not None:
                reference = decision_reference(item.label(self._agenda.number_format), meeting.date)
                await self._escalate_case(uow, actor, item.case_id, Escalation(meeting.date, reference))
            if item.kind is ItemKind.APPROVE_MINUTES and outcome is Outcome.DECIDED:
                previous = await uow.meetings.previous(meeting)
                if previous is not None and previous.minutes_status == MinutesStatus.DRAFT.value:
                    label = item.label(self._agenda.number_format)
                    await self._approve(uow, actor, previous, ApprovalRoute.MEETING, label)
            await self._set_draft(uow, meeting)
            await uow.audit.add(AuditEntry(actor.aad_object_id, "minutes", str(item.meeting_id), "record_item",
                                           self._clock.now(), None, {"item": item_id, "outcome": outcome.value}))
            await uow.commit()
        self.wake()
        return warnings

    async def _conclude_case(self, uow: UnitOfWork, actor: Member, case_id: int, outcome: Outcome) -> None:
        case = await uow.cases.get(case_id)
        if case is None:
            raise NotFound("cases.not_found")
        if case.status in (CaseStatus.ESCALATED, CaseStatus.DLG_DECIDED) and outcome is Outcome.DECIDED:
            return  # fremmet for DLG from this decision: saving the form again keeps that
        updated = conclude(case, CASE_STATUS[outcome], self._clock.now())
        if updated is case:
            return
        if not await uow.cases.save(updated, case.version):
            raise Conflict("cases.already_handled", status=case.status.value)
        await uow.audit.add(AuditEntry(actor.aad_object_id, "case", str(case.id), "concluded", self._clock.now(),
                                       case.snapshot(), updated.snapshot()))
        submitter = await uow.members.get(updated.submitted_by)
        await queue(uow, self._clock, key=f"case:{case.id}:v{updated.version}:submitter",
                    operation=Operation.SEND_PERSONAL, target=updated.submitted_by,
                    activity=self._case_messages.status_notice(updated, None, submitter.locale if submitter else None))

    async def _escalate_case(self, uow: UnitOfWork, actor: Member, case_id: int, escalation: Escalation) -> None:
        case = await uow.cases.get(case_id)
        if case is None:
            raise NotFound("cases.not_found")
        updated = escalate_decision(case, escalation, self._clock.now())
        if updated is case:
            return
        if not await uow.cases.save(updated, case.version):
            raise Conflict("cases.already_handled", status=case.status.value)
        await uow.audit.add(AuditEntry(actor.aad_object_id, "case", str(case.id), "escalate_decision",
                                       self._clock.now(), case.snapshot(), updated.snapshot()))
        submitter = await uow.members.get(updated.submitted_by)
        await queue(uow, self._clock, key=f"case:{case.id}:v{updated.version}:submitter",
                    operation=Operation.SEND_PERSONAL, target=updated.submitted_by,
                    activity=self._case_messages.status_notice(updated, None, submitter.locale if submitter else None))

    async def add_action(self, actor: Member, item_id: int, what: str, owner_id: str, due: date) -> ActionItem:
        require_organiser(actor)
        check_action(what, due, self._today())
        async with self._uow() as uow:
            item = await uow.agenda.get(item_id)
            owner = await uow.members.get(owner_id)
            if item is None or owner is None:
                raise InvalidInput("minutes.action_owner_required")
            await self._unlocked(uow, item.meeting_id)
            action = await uow.agenda.add_action(ActionItem(None, item.meeting_id, item_id, what.strip(),
                                                            owner.aad_object_id, owner.name, due))
            await uow.audit.add(AuditEntry(actor.aad_object_id, "action_item", str(action.id), "add",
                                           self._clock.now(), None, {"owner": owner_id, "due": due.isoformat()}))
            await queue(uow, self._clock, key=f"action:{action.id}:assigned", operation=Operation.SEND_PERSONAL,
                        target=owner.aad_object_id, activity=self._messages.action_assigned(action, owner.locale))
            await uow.commit()
        self.wake()
        return action

    async def set_attendance(self, actor: Member, meeting_id: int, present: set[str], absent: set[str], *,
                             chair: str | None = None, minute_taker: str | None = None,
                             guests: str | None = None) -> None:
        """Who came; and, when given, Møteleder, Referent (AAD ids, "" = the default) and «Andre til stede»."""
        require_organiser(actor)
        async with self._uow() as uow:
            meeting = await self._unlocked(uow, meeting_id)
            for person in (chair, minute_taker):
                if person and await uow.members.get(person) is None:
                    raise InvalidInput("minutes.person_unknown")
            if guests is not None and len(guests) > GUESTS_MAX:
                raise InvalidInput("minutes.guests_too_long")
            changed = replace(meeting, chair=meeting.chair if chair is None else (chair or None),
                              minute_taker=meeting.minute_taker if minute_taker is None else (minute_taker or None),
                              guests=meeting.guests if guests is None else guests.strip())
            if changed != meeting:
                await uow.meetings.save(changed)
            for member_id in present:
                await uow.agenda.set_attendance(meeting_id, member_id, Attendance.PRESENT, self._clock.now())
            for member_id in absent - present:
                await uow.agenda.set_attendance(meeting_id, member_id, Attendance.ABSENT, self._clock.now())
            await uow.audit.add(AuditEntry(actor.aad_object_id, "attendance", str(meeting_id), "recorded",
                                           self._clock.now(), None, {"present": sorted(present)}))
            await uow.commit()

    async def publish_draft(self, actor: Member, meeting_id: int) -> MinutesView:
        """'Utkast til referat' in the channel; approved later at the next meeting or by circulation."""
        require_organiser(actor)
        view = await self.view(meeting_id)
        if not view.records:
            raise InvalidInput("minutes.nothing_recorded")
        async with self._uow() as uow:
            meeting = await self._unlocked(uow, meeting_id)
            await self._set_draft(uow, meeting)
            channel = await uow.conversations.council_channel()
            if channel is not None:
                stamp = self._clock.now().strftime("%Y%m%dT%H%M%S")
                await queue(uow, self._clock, key=f"meeting:{meeting_id}:minutes-draft:{stamp}",
                            operation=Operation.SEND, target=channel.conversation_id,
                            activity=self._messages.minutes_draft(view))
            await uow.audit.add(AuditEntry(actor.aad_object_id, "minutes", str(meeting_id), "publish_draft",
                                           self._clock.now()))
            await uow.commit()
        self.wake()
        return view

    async def approve(self, actor: Member, meeting_id: int) -> Meeting:
        """Approval by circulation (leader); approval at the next meeting goes through record_item."""
        if not actor.is_leader:
            raise NotAllowed("error.leader_only")
        async with self._uow() as uow:
            meeting = await self._unlocked(uow, meeting_id)
            if meeting.minutes_status != MinutesStatus.DRAFT.value:
                raise InvalidInput("minutes.no_draft")
            approved = await self._approve(uow, actor, meeting, ApprovalRoute.CIRCULATION)
            await uow.commit()
        self.wake()
        return approved

    async def _approve(self, uow: UnitOfWork, actor: Member, meeting: Meeting, route: ApprovalRoute,
                       item_label: str = "") -> Meeting:
        """Lock the minutes and freeze their documents in the same transaction: what is downloaded later is
        exactly what was approved, whatever happens to the follow-up list or the members afterwards."""
        now = self._clock.now()
        approved = replace(meeting, minutes_status=MinutesStatus.APPROVED.value, minutes_approved_at=now,
                           minutes_approved_via=route.value, minutes_approved_in=item_label)
        await uow.meetings.save(approved)
        meeting_id = stored_id(meeting.id)
        rendered = await self._render(await self._view(uow, meeting_id))
        for kind, body in sorted(rendered.items()):
            await uow.records.store(meeting_id, freeze(kind, body, now))
        await uow.audit.add(AuditEntry(actor.aad_object_id, "minutes", str(meeting.id), "approve", now, None,
                                       {"via": route.value, "in": item_label,
                                        "sha256": {k: freeze(k, b, now).sha256 for k, b in rendered.items()}}))
        channel = await uow.conversations.council_channel()
        if channel is not None:
            await queue(uow, self._clock, key=f"meeting:{meeting.id}:minutes-approved", operation=Operation.SEND,
                        target=channel.conversation_id, activity=self._messages.minutes_approved(approved))
        return approved

    async def _set_draft(self, uow: UnitOfWork, meeting: Meeting) -> None:
        if meeting.minutes_status == MinutesStatus.NONE.value:
            await uow.meetings.save(replace(meeting, minutes_status=MinutesStatus.DRAFT.value))

    async def _unlocked(self, uow: UnitOfWork, meeting_id: int) -> Meeting:
        meeting = await uow.meetings.get(meeting_id)
        if meeting is None:
            raise NotFound("meetings.not_found")
        if meeting.minutes_locked:
            raise Conflict("minutes.locked")
        return meeting

    # --- follow-up list -------------------------------------------------------------------------
    async def follow_up(self) -> list[ActionItem]:
        async with self._uow() as uow:
            return await uow.agenda.actions(open_only=True)

    async def update_action(self, actor: Member, action_id: int, status: ActionStatus) -> ActionItem:
        """The owner (or the leader/secretary) moves an action item along."""
        async with self._uow() as uow:
            action = await uow.agenda.action(action_id)
            if action is None:
                raise NotFound("followup.not_found")
            if action.owner != actor.aad_object_id and not actor.is_organiser:
                raise NotAllowed("followup.not_yours")
            updated = replace(action, status=status,
                              closed_at=self._clock.now() if status is ActionStatus.DONE else None)
            await uow.agenda.save_action(updated)
            await uow.audit.add(AuditEntry(actor.aad_object_id, "action_item", str(action_id), "status",
                                           self._clock.now(), {"status": action.status.value},
                                           {"status": status.value}))
            await uow.commit()
            return updated
