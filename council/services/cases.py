"""Case use cases: submit, triage, answer, withdraw, record DLG's outcome — each stored before it is told."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from council.audit import AuditEntry
from council.cases import (
    OPEN,
    Case,
    CaseFilter,
    CaseStatus,
    CaseType,
    Escalation,
    Triage,
    answer_question,
    record_dlg_outcome,
    set_topics,
    triage,
    withdraw,
)
from council.clock import Clock
from council.errors import Conflict, InvalidInput, NotAllowed, NotFound
from council.forms import FormErrors, PiiWarning
from council.ids import stored_id
from council.members import Member, Role, require_organiser
from council.outbox import Operation
from council.services.dlg import add_dlg_feedback
from council.services.meetings import MeetingService
from council.services.outbox import queue
from council.services.placement import place_waiting_cases
from council.services.ports import CaseMessages, UnitOfWork, UnitOfWorkFactory
from council.submission import FIRST_AVAILABLE, Draft, parse_links, pii_fields, validate
from council.topics import DEFAULT_TOPICS, TopicsStatus, suggest

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Submitted:
    case: Case
    created: bool


@dataclass(frozen=True)
class TriageRequest:
    decision: Triage
    meeting_id: int | None = None
    final_type: CaseType | None = None
    reason: str | None = None
    duplicate_of: int | None = None
    question: str | None = None
    escalated_on: date | None = None
    reference: str | None = None
    topics: tuple[str, ...] | None = None  # None: the card did not show topics (left as they are)


class CaseService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, meetings: MeetingService, messages: CaseMessages,
                 units: tuple[str, ...], triage_to_channel: bool = True,
                 topics: tuple[str, ...] = DEFAULT_TOPICS) -> None:
        self._uow = uow
        self._clock = clock
        self._meetings = meetings
        self._messages = messages
        self._units = units
        self.topics = topics
        self._triage_to_channel = triage_to_channel
        self.wake: Callable[[], None] = lambda: None  # set by the app: deliver queued messages now

    async def submit(self, actor: Member, draft: Draft, pii_confirmed: bool = False
                     ) -> FormErrors | PiiWarning | Submitted:
        """Validate, guard against patient IDs, then store once per submission key."""
        if not draft.submission_key:
            raise InvalidInput("error.invalid_input")
        open_meetings = {stored_id(m.id) for m in await self._meetings.open_for_submissions()}
        errors = validate(draft, self._units, open_meetings, self.topics)
        if errors:
            return FormErrors(errors)
        hits = pii_fields(draft)
        if hits and not pii_confirmed:
            log.info("PII detector matched in fields %s", ",".join(hits))
            return PiiWarning(hits)
        async with self._uow() as uow:
            existing = await uow.cases.by_submission_key(draft.submission_key)
            if existing is not None:
                return Submitted(existing, created=False)
            case = await uow.cases.add(self._new_case(actor, draft, bool(hits), await self._number(uow)))
            await self._audit(uow, actor, case, "submit", None)
            await self._send_triage_cards(uow, case)
            await uow.commit()
        self.wake()
        return Submitted(case, created=True)

    def _new_case(self, actor: Member, draft: Draft, pii_override: bool, number: tuple[int, int]) -> Case:
        """Topics the submitter chose, else the ones suggested from the text (marked so until triage)."""
        now = self._clock.now()
        chosen = draft.chosen_topics
        topics = chosen or suggest(f"{draft.title}\n{draft.description}", self.topics)
        return Case(
            id=None, year=number[0], number=number[1], title=draft.title, description=draft.description,
            unit=draft.unit, requested_type=CaseType(draft.case_type), submitted_by=actor.aad_object_id,
            submitted_by_name=actor.name, submitted_at=now, submission_key=draft.submission_key,
            status_changed_at=now, links=tuple(parse_links(draft.links)), urgent=draft.urgent,
            urgent_reason=draft.urgent_reason or None, pii_override=pii_override,
            requested_meeting_id=None if draft.meeting == FIRST_AVAILABLE else int(draft.meeting),
            deviation_ref=draft.deviation_ref or None, topics=topics,
            topics_status=TopicsStatus.CHOSEN if chosen else TopicsStatus.SUGGESTED,
        )

    async def _number(self, uow: UnitOfWork) -> tuple[int, int]:
        year = self._meetings.today().year
        return year, await uow.counters.next(f"case:{year}")

    # --- triage ---------------------------------------------------------------------------------
    async def triage(self, actor: Member, case_id: int, version: int, request: TriageRequest) -> Case:
        """Leader or secretary only; the first decision wins, a second one is told it came too late."""
        require_organiser(actor)
        async with self._uow() as uow:
            case = await self._load(uow, case_id)
            if case.version != version:
                raise Conflict("cases.already_handled", status=case.status.value)
            await self._check_references(uow, case, request)
            escalation = (Escalation(request.escalated_on or self._meetings.today(), request.reference or "")
                          if request.decision is Triage.ESCALATE else None)
            updated = triage(case, request.decision, self._clock.now(), meeting_id=request.meeting_id,
                             final_type=request.final_type, reason=request.reason,
                             duplicate_of=request.duplicate_of, question=request.question, escalation=escalation)
            if request.topics is not None:
                updated = set_topics(updated, request.topics, self.topics)
            await self._store(uow, actor, case, updated, request.decision.value)
            if await place_waiting_cases(uow, self._meetings.today(), self._clock.now()):
                updated = await self._load(uow, case_id)  # placed on the first open meeting's agenda
            await uow.commit()
        self.wake()
        return updated

    async def _check_references(self, uow: UnitOfWork, case: Case, request: TriageRequest) -> None:
        if request.meeting_id is not None and await uow.meetings.get(request.meeting_id) is None:
            raise InvalidInput("cases.meeting_unknown")
        if request.decision is Triage.DUPLICATE and request.duplicate_of is not None:
            other = await uow.cases.get(request.duplicate_of)
            if other is None or other.id == case.id:
                raise InvalidInput("cases.duplicate_needs_case")

    async def answer(self, actor: Member, case_id: int, text: str) -> Case:
        async with self._uow() as uow:
            case = await self._own(uow, actor, case_id)
            updated = answer_question(case, text, self._clock.now())
            await self._store(uow, actor, case, updated, "answer", notify_submitter=False)
            await uow.commit()
        self.wake()
        return updated

    async def withdraw(self, actor: Member, case_id: int) -> Case:
        async with self._uow() as uow:
            case = await self._own(uow, actor, case_id)
            updated = withdraw(case, self._clock.now())
            await self._store(uow, actor, case, updated, "withdraw", notify_submitter=False)
            await uow.commit()
        self.wake()
        return updated

    async def record_outcome(self, actor: Member, case_id: int, outcome: str) -> Case:
        require_organiser(actor)
        async with self._uow() as uow:
            case = await self._load(uow, case_id)
            updated = record_dlg_outcome(case, outcome, self._clock.now())
            await self._store(uow, actor, case, updated, "dlg_outcome")
            await add_dlg_feedback(uow, updated, self._clock.now())
            channel = await uow.conversations.council_channel()
            if channel is not None:
                await queue(uow, self._clock, key=f"case:{case.id}:dlg:channel", operation=Operation.SEND,
                            target=channel.conversation_id, activity=self._messages.dlg_outcome_notice(updated))
            await uow.commit()
        self.wake()
        return updated

    # --- shared ---------------------------------------------------------------------------------
    async def _load(self, uow: UnitOfWork, case_id: int) -> Case:
        case = await uow.cases.get(case_id)
        if case is None:
            raise NotFound("cases.not_found")
        return case

    async def _own(self, uow: UnitOfWork, actor: Member, case_id: int) -> Case:
        case = await self._load(uow, case_id)
        if case.submitted_by != actor.aad_object_id:
            raise NotAllowed("cases.not_yours")
        return case

    async def _store(self, uow: UnitOfWork, actor: Member, before: Case, after: Case, action: str,
                     notify_submitter: bool = True) -> None:
        if not await uow.cases.save(after, before.version):
            raise Conflict("cases.already_handled", status=before.status.value)
        await self._audit(uow, actor, after, action, before)
        if notify_submitter:
            submitter = await uow.members.get(after.submitted_by)
            meeting = await uow.meetings.get(after.meeting_id) if after.meeting_id else None
            await queue(uow, self._clock, key=f"case:{after.id}:v{after.version}:submitter",
                        operation=Operation.SEND_PERSONAL, target=after.submitted_by,
                        activity=self._messages.status_notice(after, meeting, submitter.locale if submitter else None))
        await self._update_triage_cards(uow, after)

    async def _audit(self, uow: UnitOfWork, actor: Member, case: Case, action: str, before: Case | None) -> None:
        await uow.audit.add(AuditEntry(actor.aad_object_id, "case", str(case.id), action, self._clock.now(),
                                       before.snapshot() if before else None, case.snapshot()))

    async def _triage_targets(self, uow: UnitOfWork) -> list[tuple[Operation, str]]:
        if self._triage_to_channel:
            channel = await uow.conversations.council_channel()
            if channel is not None:
                return [(Operation.SEND, channel.conversation_id)]
        organisers = await uow.members.with_role(Role.LEADER) + await uow.members.with_role(Role.SECRETARY)
        return [(Operation.SEND_PERSONAL, aad) for aad in dict.fromkeys(m.aad_object_id for m in organisers)]

    async def _send_triage_cards(self, uow: UnitOfWork, case: Case) -> None:
        activity = self._messages.triage_card(case, await self.triage_options(uow, case))
        for operation, target in await self._triage_targets(uow):
            await queue(uow, self._clock, key=f"case:{case.id}:triage:{target}", operation=operation,
                        target=target, activity=activity)

    async def _update_triage_cards(self, uow: UnitOfWork, case: Case) -> None:
        activity = self._messages.triage_card(case, await self.triage_options(uow, case))
        for key, target in await uow.outbox.originals(f"case:{case.id}:triage:"):
            await queue(uow, self._clock, key=f"{key}:v{case.version}", operation=Operation.UPDATE,
                        target=target, activity=activity, update_of=key)

    async def triage_options(self, uow: UnitOfWork, case: Case) -> dict:
        """What a triage card offers: upcoming meetings and the other open cases (for duplicates)."""
        meetings = await uow.meetings.from_date(self._meetings.today())
        others = [c for c in await uow.cases.with_status(OPEN | {CaseStatus.ON_AGENDA}) if c.id != case.id]
        return {"meetings": meetings, "others": others, "rules": self._meetings.rules,
                "today": self._meetings.today(), "topics": self.topics}

    async def view(self, actor: Member, case_id: int) -> tuple[Case, dict]:
        require_organiser(actor)
        async with self._uow() as uow:
            case = await self._load(uow, case_id)
            return case, await self.triage_options(uow, case)

    async def mine(self, actor: Member) -> list[Case]:
        async with self._uow() as uow:
            return await uow.cases.by_submitter(actor.aad_object_id)

    async def queue_view(self, actor: Member) -> list[Case]:
        """Open cases, oldest first (the sakskø)."""
        require_organiser(actor)
        async with self._uow() as uow:
            return await uow.cases.with_status(OPEN | {CaseStatus.ESCALATED})

    async def register(self, actor: Member, filters: CaseFilter) -> list[Case]:
        """All cases matching the filters, newest first (leader and secretary)."""
        require_organiser(actor)
        async with self._uow() as uow:
            return await uow.cases.search(filters)
