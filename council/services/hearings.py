"""Hearing use cases: register, edit, draft, status, put on a meeting's agenda, and the register with warnings."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, tzinfo

from council.agenda import AgendaItem, ItemKind, ordered
from council.audit import AuditEntry
from council.cases import CaseType
from council.clock import Clock
from council.errors import Conflict, InvalidInput, NotAllowed, NotFound
from council.forms import FormErrors, PiiWarning
from council.hearings import (
    Hearing,
    HearingForm,
    HearingRules,
    HearingStatus,
    default_internal_deadline,
    move,
    set_draft,
    validate,
    warnings,
)
from council.ids import stored_id
from council.meetings import Meeting, MeetingStatus
from council.members import Member, Role, require_organiser
from council.pii import scan_fields
from council.planning import PlanRules, WorkingCalendar
from council.services.hearings_letter import require_leader_for_sent
from council.services.ports import UnitOfWork, UnitOfWorkFactory
from council.submission import parse_links

COUNCIL_ROLES = (Role.LEADER, Role.SECRETARY, Role.MEMBER, Role.DEPUTY)


@dataclass(frozen=True)
class HearingLine:
    """A hearing as the register shows it: warnings are catalogue keys (hearings.warn.*)."""

    hearing: Hearing
    warnings: tuple[str, ...]
    meeting: Meeting | None = None


class HearingService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, tz: tzinfo, rules: HearingRules | None = None,
                 plan_rules: PlanRules | None = None) -> None:
        self._uow = uow
        self._clock = clock
        self._tz = tz
        self.rules = rules or HearingRules()
        self._plan_rules = plan_rules or PlanRules()
        self._calendar: WorkingCalendar | None = None

    def today(self) -> date:
        return self._clock.now().astimezone(self._tz).date()

    @property
    def calendar(self) -> WorkingCalendar:
        if self._calendar is None:
            year = self.today().year
            self._calendar = WorkingCalendar(range(year - 1, year + 3), self._plan_rules)
        return self._calendar

    def default_internal_deadline(self, external: date) -> date:
        """What the form proposes for Intern frist (the configured working days before Høringsfrist)."""
        return default_internal_deadline(external, self.calendar, self.rules)

    # --- registering and editing ------------------------------------------------------------------------------
    async def register(self, actor: Member, form: HearingForm, pii_confirmed: bool = False
                       ) -> Hearing | FormErrors | PiiWarning:
        """Leader or secretary; Intern frist defaults to the configured working days before Høringsfrist."""
        require_organiser(actor)
        async with self._uow() as uow:
            checked = await self._check(uow, form, pii_confirmed)
            if not isinstance(checked, dict):
                return checked
            now = self._clock.now()
            hearing = await uow.hearings.add(Hearing(
                id=None, created_by=actor.aad_object_id, created_at=now, status_changed_at=now,
                status=HearingStatus.IN_PROGRESS if (form.draft_text.strip() or form.draft_link.strip())
                else HearingStatus.RECEIVED, **checked))
            await self._audit(uow, actor, hearing, "register", None)
            await uow.commit()
        return hearing

    async def update(self, actor: Member, hearing_id: int, version: int, form: HearingForm,
                     pii_confirmed: bool = False) -> Hearing | FormErrors | PiiWarning:
        """Correct the registration (not the status, not the draft: see set_draft); a stale form is refused."""
        require_organiser(actor)
        async with self._uow() as uow:
            hearing = await _load(uow, hearing_id)
            _current(hearing, version)
            checked = await self._check(uow, form, pii_confirmed)
            if not isinstance(checked, dict):
                return checked
            checked.pop("draft_text")
            checked.pop("draft_link")
            updated = replace(hearing, **checked, version=hearing.version + 1)
            await self._store(uow, actor, hearing, updated, "update")
            await uow.commit()
        return updated

    async def _check(self, uow: UnitOfWork, form: HearingForm, pii_confirmed: bool) -> dict | FormErrors | PiiWarning:
        errors = validate(form)
        owner = await uow.members.get(form.owner) if form.owner else None
        if form.owner and owner is None:
            errors["owner"] = "hearings.error.owner_unknown"
        if errors or form.external_deadline is None:  # validate() reports a missing deadline
            return FormErrors(errors)
        hits = scan_fields(form.free_text())
        if hits and not pii_confirmed:
            return PiiWarning([hit.field for hit in hits])
        return {
            "title": form.title.strip(), "sender": form.sender.strip(), "their_reference": form.their_reference.strip(),
            "case_number": form.case_number.strip(), "journal_number": form.journal_number.strip(),
            "received": form.received, "external_deadline": form.external_deadline,
            "internal_deadline": form.internal_deadline or self.default_internal_deadline(form.external_deadline),
            "document_links": tuple(parse_links(form.links)), "owner": form.owner,
            "owner_name": owner.name if owner else "", "draft_text": form.draft_text.strip(),
            "draft_link": form.draft_link.strip(),
        }

    async def set_draft(self, actor: Member, hearing_id: int, version: int, text: str, link: str = "",
                        pii_confirmed: bool = False) -> Hearing | PiiWarning:
        """The draft response (text or link): the owner, the leader or the secretary."""
        hits = scan_fields({"draft_text": text, "draft_link": link})
        if hits and not pii_confirmed:
            return PiiWarning([hit.field for hit in hits])
        async with self._uow() as uow:
            hearing = await _load(uow, hearing_id)
            if not (actor.is_organiser or actor.aad_object_id == hearing.owner):
                raise NotAllowed("hearings.owner_or_organiser")
            _current(hearing, version)
            updated = set_draft(hearing, text, link, self._clock.now())
            await self._store(uow, actor, hearing, updated, "draft")
            await uow.commit()
        return updated

    async def set_status(self, actor: Member, hearing_id: int, version: int, status: HearingStatus,
                         decision: str | None = None, response_reference: str | None = None) -> Hearing:
        """Move along the allowed transitions. Til avstemning comes from opening a vote, not from here."""
        require_organiser(actor)
        require_leader_for_sent(actor, status)
        if status is HearingStatus.TO_VOTE:
            raise InvalidInput("hearings.open_a_vote")
        async with self._uow() as uow:
            hearing = await _load(uow, hearing_id)
            _current(hearing, version)
            if hearing.status is HearingStatus.TO_VOTE and await _open_vote(uow, hearing):
                raise Conflict("hearings.vote_open")
            updated = move(hearing, status, self._clock.now(), decision=decision,
                           response_reference=response_reference)
            await self._store(uow, actor, hearing, updated, f"status:{status.value}")
            await uow.commit()
        return updated

    async def put_on_agenda(self, actor: Member, hearing_id: int, version: int, meeting_id: int) -> Hearing:
        """A Høringssak on the meeting's saksliste (numbered with the other items when the notice goes out)."""
        require_organiser(actor)
        async with self._uow() as uow:
            hearing = await _load(uow, hearing_id)
            _current(hearing, version)
            meeting = await uow.meetings.get(meeting_id)
            if meeting is None:
                raise NotFound("meetings.not_found")
            if meeting.status is not MeetingStatus.PLANNED or meeting.minutes_locked:
                raise InvalidInput("agenda.cannot_move")
            if hearing.status is HearingStatus.TO_VOTE and await _open_vote(uow, hearing):
                raise Conflict("hearings.vote_open")
            updated = move(hearing, HearingStatus.TO_MEETING, self._clock.now())
            item_id = await self._place(uow, hearing, meeting)
            updated = replace(updated, meeting_id=meeting.id, agenda_item_id=item_id,
                              version=hearing.version + 1)
            await self._store(uow, actor, hearing, updated, "put_on_agenda")
            await uow.commit()
        return updated

    async def _place(self, uow: UnitOfWork, hearing: Hearing, meeting: Meeting) -> int:
        items = await uow.agenda.items(stored_id(meeting.id))
        current = await uow.agenda.get(hearing.agenda_item_id) if hearing.agenda_item_id else None
        if current is not None and current.meeting_id == meeting.id:
            return stored_id(current.id)
        if current is not None:  # moving to another meeting: it is numbered there
            await uow.agenda.remove(stored_id(current.id))
            await self._mark_changed(uow, await uow.meetings.get(current.meeting_id))
        item = await uow.agenda.add(AgendaItem(None, stored_id(meeting.id), len(items) - 1, ItemKind.CASE,
                                               hearing.title[:300],
                                               case_type=CaseType.HORING))
        for placed in ordered([*items, item]):
            await uow.agenda.save(placed)
        await self._mark_changed(uow, meeting)
        return stored_id(item.id)

    async def _mark_changed(self, uow: UnitOfWork, meeting: Meeting | None) -> None:
        """As the agenda service does: a change after the notice is announced later as one update."""
        if meeting is not None and meeting.notice_published and meeting.notice_changed_at is None:
            await uow.meetings.save(replace(meeting, notice_changed_at=self._clock.now()))

    # --- reading --------------------------------------------------------------------------------------------
    async def register_view(self, actor: Member, include_closed: bool = False) -> list[HearingLine]:
        """The hearing register, nearest Intern frist first, each with today's warnings."""
        _council(actor)
        async with self._uow() as uow:
            hearings = await uow.hearings.search(include_closed)
            return [await self._line(uow, h) for h in hearings]

    async def get(self, actor: Member, hearing_id: int) -> HearingLine:
        _council(actor)
        async with self._uow() as uow:
            return await self._line(uow, await _load(uow, hearing_id))

    async def for_meeting(self, meeting_id: int) -> list[Hearing]:
        async with self._uow() as uow:
            return await uow.hearings.for_meeting(meeting_id)

    async def _line(self, uow: UnitOfWork, hearing: Hearing) -> HearingLine:
        meeting = await uow.meetings.get(hearing.meeting_id) if hearing.meeting_id else None
        return HearingLine(hearing, warnings(hearing, self.today(), self.calendar, self.rules), meeting)

    # --- shared ---------------------------------------------------------------------------------------------
    async def _store(self, uow: UnitOfWork, actor: Member, before: Hearing, after: Hearing, action: str) -> None:
        if not await uow.hearings.save(after, before.version):
            raise Conflict("hearings.changed", status=before.status.value)
        await self._audit(uow, actor, after, action, before)

    async def _audit(self, uow: UnitOfWork, actor: Member, hearing: Hearing, action: str,
                     before: Hearing | None) -> None:
        await uow.audit.add(AuditEntry(actor.aad_object_id, "hearing", str(hearing.id), action, self._clock.now(),
                                       before.snapshot() if before else None, hearing.snapshot()))


def _council(actor: Member) -> None:
    if not actor.has(*COUNCIL_ROLES):
        raise NotAllowed("hearings.members_only")


def _current(hearing: Hearing, version: int) -> None:
    if hearing.version != version:
        raise Conflict("hearings.changed", status=hearing.status.value)


async def _load(uow: UnitOfWork, hearing_id: int) -> Hearing:
    hearing = await uow.hearings.get(hearing_id)
    if hearing is None:
        raise NotFound("hearings.not_found")
    return hearing


async def _open_vote(uow: UnitOfWork, hearing: Hearing) -> bool:
    return any(v.is_open for v in await uow.votes.for_hearing(stored_id(hearing.id)))
