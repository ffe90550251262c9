"""Vote use cases: open, cast, close (early, at the deadline, after downtime), extend, cancel, remind, results.

Every change runs in one transaction that first locks the vote (council.services.ports.VoteRepository.lock) and
counts a change on the vote. Two parts live beside this module: ballots are written in batches by
council/services/vote_batches.py (group commit), and the shared card is drawn after the commit, from what is
committed, by council/services/vote_cards.py (which also says what of a vote may be shown).
"""
from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo

from council.audit import SYSTEM, AuditEntry
from council.clock import Clock
from council.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from council.forms import PiiWarning
from council.hearings import VOTABLE, Hearing, HearingStatus, move
from council.ids import stored_id
from council.meetings import MeetingStatus
from council.members import Member, Role, require_organiser
from council.minutes import Attendance
from council.outbox import Operation
from council.pii import scan_fields
from council.reminders import DEFAULTS, Rule
from council.services.outbox import queue
from council.services.ports import UnitOfWork, UnitOfWorkFactory, VoteMessages
from council.services.vote_batches import CastBatches
from council.services.vote_cards import MyBallot, VoteCards, VoteExport, VoteView, card_key
from council.votes import (
    DEFAULT_OPTIONS,
    Choice,
    Majority,
    Outcome,
    Quorum,
    Vote,
    VoterLine,
    VoteStatus,
    cancel,
    check_open,
    close,
    close_early,
    entitled_snapshot,
    extend,
    may_manage,
    reminder_due_at,
    visible_tally,
)

__all__ = ["MyBallot", "VoteExport", "VoteRequest", "VoteService", "VoteView"]  # the views live in vote_cards

log = logging.getLogger(__name__)

COUNCIL_ROLES = (Role.LEADER, Role.SECRETARY, Role.MEMBER, Role.DEPUTY)


@dataclass(frozen=True)
class VoteRequest:
    """What the organiser's form sent. An empty proposal on a hearing vote means the hearing's draft."""

    question: str
    deadline: datetime  # aware
    proposal: str = ""
    hearing_id: int | None = None
    options: tuple[Choice, ...] = DEFAULT_OPTIONS
    secret: bool = False
    live_tally: bool = True  # ignored for a secret vote (turnout only until it closes)
    quorum: Quorum = Quorum.MORE_THAN_HALF
    majority: Majority = Majority.SIMPLE
    meeting_id: int | None = None  # whose forfall decides deputies; default: see VoteService._absent


class VoteService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, messages: VoteMessages, ballot_key: bytes, tz: tzinfo,
                 directory: Callable[[], Awaitable[dict[str, Member]]] | None = None) -> None:
        """`directory`: the members by AAD id for names and Teams ids on cards (MemberService.directory, which
        caches); by default read from the database each time."""
        if not ballot_key:
            raise ValueError("VoteService needs a ballot key, the same in every app process (secret ballots)")
        self._uow = uow
        self._clock = clock
        self._messages = messages
        self._tz = tz
        self.wake: Callable[[], None] = lambda: None  # set by the app: deliver queued messages now
        self._cards = VoteCards(uow, clock, messages, directory)
        self._batches = CastBatches(uow, clock, ballot_key, self._cards.tally, lambda: self.wake())

    # --- opening --------------------------------------------------------------------------------------------
    async def open_vote(self, actor: Member, request: VoteRequest, pii_confirmed: bool = False) -> Vote | PiiWarning:
        """Leader or secretary. Snapshots the entitled voters and posts the shared card to the channel."""
        require_organiser(actor)
        hits = scan_fields({"question": request.question, "proposal": request.proposal})
        if hits and not pii_confirmed:
            return PiiWarning([hit.field for hit in hits])
        now = self._clock.now()
        async with self._uow() as uow:
            hearing = await self._votable_hearing(uow, request.hearing_id)
            proposal = request.proposal.strip() or (hearing.draft if hearing else "")
            entitled = entitled_snapshot(await uow.members.all(), await self._absent(uow, request, hearing))
            check_open(request.question, proposal, request.deadline, now, request.options, entitled)
            channel = await uow.conversations.council_channel()
            if channel is None:
                raise InvalidInput("votes.no_channel")
            vote = await uow.votes.add(Vote(
                id=None, question=request.question.strip(), proposal=proposal, deadline=request.deadline,
                created_by=actor.aad_object_id, created_at=now, entitled=entitled, hearing_id=request.hearing_id,
                options=tuple(request.options), secret=request.secret,
                live_tally=request.live_tally and not request.secret, quorum=request.quorum,
                majority=request.majority, ballot_salt=secrets.token_hex(16) if request.secret else None))
            if hearing is not None:
                await self._save_hearing(uow, actor.aad_object_id, hearing, replace(
                    move(hearing, HearingStatus.TO_VOTE, now), vote_id=vote.id, vote_outcome=None,
                    version=hearing.version + 1), "vote_opened")
            await self._audit(uow, actor.aad_object_id, vote, "open", None)
            await queue(uow, self._clock, key=card_key(vote), operation=Operation.SEND, target=channel.conversation_id,
                        activity=await self._cards.first_card(uow, vote))
            await uow.commit()
        self.wake()
        return vote

    async def _votable_hearing(self, uow: UnitOfWork, hearing_id: int | None) -> Hearing | None:
        if hearing_id is None:
            return None
        hearing = await uow.hearings.get(hearing_id)
        if hearing is None:
            raise NotFound("hearings.not_found")
        if any(v.is_open for v in await uow.votes.for_hearing(hearing_id)):
            raise Conflict("votes.already_open")
        if hearing.status not in VOTABLE:
            raise Conflict("hearings.cannot_vote", status=hearing.status.value)
        return hearing

    async def _absent(self, uow: UnitOfWork, request: VoteRequest, hearing: Hearing | None) -> set[str]:
        """Forfall of the request's meeting, else the hearing's meeting, else the next planned meeting that
        falls before the deadline. Without such a meeting nobody is absent."""
        meeting_id = request.meeting_id or (hearing.meeting_id if hearing else None)
        if meeting_id is None:
            today = self._clock.now().astimezone(self._tz).date()
            upcoming = [m for m in await uow.meetings.from_date(today) if m.status is MeetingStatus.PLANNED]
            if upcoming and upcoming[0].date <= request.deadline.astimezone(self._tz).date():
                meeting_id = upcoming[0].id
        if meeting_id is None:
            return set()
        attendance = await uow.agenda.attendance(meeting_id)
        return {member for member, (status, _) in attendance.items() if status is Attendance.ABSENT}

    # --- casting --------------------------------------------------------------------------------------------
    async def cast(self, actor: Member, vote_id: int, choice: Choice, comment: str = "",
                   activity_key: str | None = None, pii_confirmed: bool = False) -> MyBallot | PiiWarning:
        """Record or change the actor's ballot. A redelivered invoke (same activity key) or the same choice again
        changes nothing; someone not entitled gets NotAllowed('votes.not_entitled') and nothing changes.

        Casts on one vote are written in batches (group commit, council/services/vote_batches.py)."""
        comment = (comment or "").strip()
        hits = scan_fields({"comment": comment})
        if hits and not pii_confirmed:
            return PiiWarning(["comment"])
        return await self._batches.cast(actor.aad_object_id, vote_id, choice, comment, activity_key)

    async def refresh_cards(self) -> int:
        """Redraw the shared cards of the votes changed since their last drawing (the outbox sweep's first step)."""
        return await self._cards.refresh_cards()

    # --- closing --------------------------------------------------------------------------------------------
    async def close(self, actor: Member, vote_id: int) -> Vote:
        """Early, by the leader (or the organiser who opened it), when every entitled voter has voted."""
        now = self._clock.now()
        async with self._uow() as uow:
            vote = await self._managed(uow, actor, vote_id)
            closed = close_early(vote, await self._cards.tally(uow, vote), now, actor.aad_object_id)
            await self._finish(uow, vote, closed, actor.aad_object_id, "close")
            await uow.commit()
        self.wake()
        return closed

    async def close_due(self) -> int:
        """The scheduler's job, also run at start: close every open vote whose deadline has passed. Idempotent:
        two processes running it close each vote once (row lock + compare-and-set, one result post)."""
        now = self._clock.now()
        async with self._uow() as uow:
            due = await uow.votes.due(now)
        closed = 0
        for candidate in due:
            try:
                async with self._uow() as uow:
                    vote = await uow.votes.lock(stored_id(candidate.id))
                    if vote is None or not vote.is_open or vote.deadline > now:
                        continue
                    done = close(vote, await self._cards.tally(uow, vote), vote.deadline, SYSTEM)
                    await self._finish(uow, vote, done, SYSTEM, "close_due")
                    await uow.commit()
                    closed += 1
            except DomainError as error:
                log.warning("votes: vote %s not closed this time (%s); retried on the next run",
                            candidate.id, error.key)
        if closed:
            self.wake()
        return closed

    async def _finish(self, uow: UnitOfWork, before: Vote, closed: Vote, actor_id: str, action: str) -> None:
        if not await uow.votes.save(closed, before.version):
            raise Conflict("votes.closed", status=before.status.value)
        if closed.secret:
            await uow.votes.forget_secret_ballots(stored_id(closed.id))
        await self._record_on_hearing(uow, closed, actor_id)
        await self._audit(uow, actor_id, closed, action, before)
        card = await uow.outbox.get_by_key(card_key(closed))
        channel = None if card else await uow.conversations.council_channel()
        target = card.target if card else channel.conversation_id if channel else None
        if target is not None:
            await queue(uow, self._clock, key=f"vote:{closed.id}:result", operation=Operation.SEND, target=target,
                        activity=await self._cards.result_post(uow, closed))

    async def _record_on_hearing(self, uow: UnitOfWork, vote: Vote, actor_id: str) -> None:
        """The result goes on the hearing: Vedtatt (with the proposal as decision) if passed, else back to work."""
        if vote.hearing_id is None:
            return
        hearing = await uow.hearings.get(vote.hearing_id)
        if hearing is None:
            return
        updated = hearing
        if hearing.status is HearingStatus.TO_VOTE:
            passed = vote.status is VoteStatus.CLOSED and vote.outcome is Outcome.PASSED
            target = HearingStatus.DECIDED if passed else HearingStatus.IN_PROGRESS
            updated = move(hearing, target, self._clock.now(), decision=vote.proposal if passed else None)
        updated = replace(updated, vote_id=vote.id, vote_outcome=vote.outcome.value if vote.outcome else None,
                          version=hearing.version + 1)
        await self._save_hearing(uow, actor_id, hearing, updated, f"vote_{vote.status.value}")

    # --- extending and cancelling ---------------------------------------------------------------------------
    async def extend(self, actor: Member, vote_id: int, new_deadline: datetime) -> Vote:
        """A later deadline; every entitled voter is told in a 1:1 message."""
        now = self._clock.now()
        async with self._uow() as uow:
            vote = await self._managed(uow, actor, vote_id)
            updated = extend(vote, new_deadline, now)
            if not await uow.votes.save(updated, vote.version):
                raise Conflict("votes.closed", status=vote.status.value)
            await self._audit(uow, actor.aad_object_id, updated, "extend", vote)
            for voter in updated.entitled:
                member = await uow.members.get(voter)
                await queue(uow, self._clock, key=f"vote:{vote.id}:extended:{updated.extensions}:{voter}",
                            operation=Operation.SEND_PERSONAL, target=voter,
                            activity=self._messages.extended(updated, member.locale if member else None))
            await uow.commit()
        self.wake()
        return updated

    async def cancel(self, actor: Member, vote_id: int, reason: str = "") -> Vote:
        """No result; a hearing goes back to Under arbeid; a secret vote's ballots are deleted."""
        now = self._clock.now()
        async with self._uow() as uow:
            vote = await self._managed(uow, actor, vote_id)
            cancelled = cancel(vote, now, actor.aad_object_id, reason)
            if not await uow.votes.save(cancelled, vote.version):
                raise Conflict("votes.closed", status=vote.status.value)
            if cancelled.secret:
                await uow.votes.forget_secret_ballots(stored_id(cancelled.id))
            await self._record_on_hearing(uow, cancelled, actor.aad_object_id)
            await self._audit(uow, actor.aad_object_id, cancelled, "cancel", vote)
            await uow.commit()
        self.wake()
        return cancelled

    # --- reminders ------------------------------------------------------------------------------------------
    async def remind_due(self, hours: float = DEFAULTS[Rule.VOTE_CLOSING].offset) -> int:
        """A 1:1 reminder, once, to each entitled voter who has not voted, `hours` before the deadline (never
        earlier than halfway through a short vote). Returns how many reminders were queued now. The reminder
        engine passes the leader's setting for the rule «vote closing» (council.reminders)."""
        before = timedelta(hours=hours)
        now = self._clock.now()
        sent = 0
        async with self._uow() as uow:
            for vote in await uow.votes.open_votes():
                if not reminder_due_at(vote, before) <= now < vote.deadline:
                    continue
                voted = await uow.votes.voters(stored_id(vote.id))
                for voter in vote.entitled:
                    if voter in voted or await uow.outbox.get_by_key(f"vote:{vote.id}:remind:{voter}"):
                        continue
                    member = await uow.members.get(voter)
                    if await queue(uow, self._clock, key=f"vote:{vote.id}:remind:{voter}",
                                   operation=Operation.SEND_PERSONAL, target=voter,
                                   activity=self._messages.reminder(vote, member.locale if member else None)):
                        sent += 1
            await uow.commit()
        if sent:
            self.wake()
        return sent

    # --- reading --------------------------------------------------------------------------------------------
    async def view(self, actor: Member, vote_id: int) -> VoteView:
        """The vote as the shared card shows it (counts only where they may be shown)."""
        async with self._uow() as uow:
            vote = await _load(uow, vote_id)
            _council(actor, vote)
            counted = await self._cards.tally(uow, vote, locked=False)
            return VoteView(vote, visible_tally(vote, counted), await self._cards.names(uow, vote, counted))

    async def mine(self, actor: Member, vote_id: int) -> MyBallot:
        """The actor's own standing (entitled, voted, and for named votes their current choice) with the vote as
        `view` shows it, read together: what a card refresh needs. Someone outside the council: NotAllowed."""
        async with self._uow() as uow:
            vote = await _load(uow, vote_id)
            _council(actor, vote)
            counted = await self._cards.tally(uow, vote, locked=False)
            shown = visible_tally(vote, counted)
            voted = actor.aad_object_id in await uow.votes.voters(stored_id(vote.id))
            ballot = None if vote.secret else await uow.votes.ballot(stored_id(vote.id), actor.aad_object_id)
            return MyBallot(vote, vote.may_vote(actor.aad_object_id), voted, ballot.choice if ballot else None,
                            ballot.comment if ballot else "", False, shown,
                            VoteView(vote, shown, await self._cards.names(uow, vote, counted)))

    async def open_votes(self) -> list[Vote]:
        async with self._uow() as uow:
            return await uow.votes.open_votes()

    async def for_hearing(self, hearing_id: int) -> list[Vote]:
        async with self._uow() as uow:
            return await uow.votes.for_hearing(hearing_id)

    async def export(self, actor: Member, vote_id: int) -> VoteExport:
        """A closed vote's result for CSV/PDF. Secret votes: counts and anonymous remarks, no person."""
        async with self._uow() as uow:
            vote = await _load(uow, vote_id)
            _council(actor, vote)
            if vote.status is not VoteStatus.CLOSED or vote.final is None:
                raise Conflict("votes.not_closed", status=vote.status.value)
            if vote.secret:
                return VoteExport(vote, vote.final, vote.outcome, (), ())
            names = await self._cards.names(uow, vote, vote.final) or ()
            people = {line.aad_object_id: line.name for line in names}
            history = tuple(VoterLine(b.voter or "", people.get(b.voter or "", b.voter or ""), True, b.choice,
                                      b.comment, b.cast_at) for b in await uow.votes.history(stored_id(vote.id)))
            return VoteExport(vote, vote.final, vote.outcome, names, history)

    async def closed_between(self, first: date, last: date) -> list[VoteView]:
        """Votes closed with a result from `first` to `last` (council dates, inclusive): for the minutes."""
        start = datetime.combine(first, time(0), self._tz)
        end = datetime.combine(last + timedelta(days=1), time(0), self._tz)
        async with self._uow() as uow:
            return [VoteView(v, v.final, await self._cards.names(uow, v, v.final))
                    for v in await uow.votes.closed_between(start, end) if v.final is not None]

    # --- shared ---------------------------------------------------------------------------------------------
    async def _managed(self, uow: UnitOfWork, actor: Member, vote_id: int) -> Vote:
        vote = await uow.votes.lock(vote_id)
        if vote is None:
            raise NotFound("votes.not_found")
        if not may_manage(vote, actor):
            raise NotAllowed("votes.leader_only")
        return vote

    async def _save_hearing(self, uow: UnitOfWork, actor_id: str, before: Hearing, after: Hearing,
                            action: str) -> None:
        if not await uow.hearings.save(after, before.version):
            raise Conflict("hearings.changed", status=before.status.value)
        await uow.audit.add(AuditEntry(actor_id, "hearing", str(after.id), action, self._clock.now(),
                                       before.snapshot(), after.snapshot()))

    async def _audit(self, uow: UnitOfWork, actor_id: str, vote: Vote, action: str, before: Vote | None) -> None:
        await uow.audit.add(AuditEntry(actor_id, "vote", str(vote.id), action, self._clock.now(),
                                       before.snapshot() if before else None, vote.snapshot()))


def _council(actor: Member, vote: Vote) -> None:
    if not (actor.has(*COUNCIL_ROLES) or vote.may_vote(actor.aad_object_id)):
        raise NotAllowed("votes.members_only")


async def _load(uow: UnitOfWork, vote_id: int) -> Vote:
    vote = await uow.votes.get(vote_id)
    if vote is None:
        raise NotFound("votes.not_found")
    return vote
