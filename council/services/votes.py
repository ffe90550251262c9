"""Vote use cases: open, cast, close (early, at the deadline, after downtime), extend, cancel, remind, results.

Every change runs in one transaction that first locks the vote (council.services.ports.VoteRepository.lock), so
casts on one vote are serialised across processes, and counts a change on the vote. The shared card is not drawn
in that transaction: `refresh_cards` (run by the outbox sweep, which every change wakes) redraws each changed
vote's card from what is committed and queues one UPDATE under a per-vote version counter (the newest content
wins), so a burst of ballots costs one card update and the ballot's own transaction stays short.
"""
from __future__ import annotations

import asyncio
import logging
import secrets
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from council.audit import SYSTEM, AuditEntry
from council.clock import Clock
from council.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from council.hearings import VOTABLE, Hearing, HearingStatus, move
from council.meetings import MeetingStatus
from council.members import Member, Role, require_organiser
from council.minutes import Attendance
from council.outbox import Operation
from council.pii import scan_fields
from council.services.cases import PiiWarning
from council.services.outbox import queue
from council.services.ports import UnitOfWork, UnitOfWorkFactory, VoteMessages
from council.votes import (DEFAULT_OPTIONS, Ballot, Choice, Majority, Outcome, Quorum, Tally, Vote, VoterLine,
                           VoteStatus, ballot_token, cancel, check_cast, check_open, close, close_early,
                           entitled_snapshot, extend, may_manage, reminder_due_at, tally_groups, visible_tally)

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


@dataclass(frozen=True)
class VoteView:
    """What anyone in the council may see of a vote now. `names` is None for a secret vote; empty in a cast's
    answer (who voted what is shown only once the vote is closed)."""

    vote: Vote
    tally: Tally
    names: tuple[VoterLine, ...] | None


@dataclass(frozen=True)
class MyBallot:
    """A voter's own view: `choice` is what they chose (in a secret vote only in the answer to their cast)."""

    vote: Vote
    entitled: bool
    voted: bool
    choice: Choice | None
    comment: str
    changed: bool  # False for a redelivery or the same choice again
    tally: Tally
    view: VoteView | None = None  # the vote as read with this ballot (saves the caller a second read)


@dataclass(frozen=True)
class VoteExport:
    """Results for CSV/PDF: a named vote lists each voter and every change; a secret vote only counts."""

    vote: Vote
    tally: Tally
    outcome: Outcome | None
    ballots: tuple[VoterLine, ...]
    history: tuple[VoterLine, ...]


@dataclass
class _Cast:
    """One cast waiting for its batch; `answer` gets the MyBallot or the error."""

    voter: str
    choice: Choice
    comment: str
    activity_key: str | None
    answer: asyncio.Future


class VoteService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, messages: VoteMessages, ballot_key: bytes, tz,
                 reminder_hours: float = 24,
                 directory: Callable[[], Awaitable[dict[str, Member]]] | None = None) -> None:
        """`directory`: the members by AAD id for names and Teams ids on cards (MemberService.directory, which
        caches); by default read from the database each time."""
        if not ballot_key:
            raise ValueError("VoteService needs a ballot key, the same in every app process (secret ballots)")
        self._uow = uow
        self._clock = clock
        self._messages = messages
        self._key = ballot_key
        self._tz = tz
        self._reminder = timedelta(hours=reminder_hours)
        self._directory = directory or self._read_members
        self.wake = lambda: None  # set by the app: deliver queued messages now
        self._queued: defaultdict[int, list[_Cast]] = defaultdict(list)  # per vote: casts waiting for a batch
        self._writers: dict[int, asyncio.Task] = {}  # per vote: the task writing its batches
        self._known: dict[int, Vote] = {}  # the votes last cast on, as read (reused while their version holds)

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
            counted = Tally(dict.fromkeys(vote.options, 0), 0, len(entitled))
            await queue(uow, self._clock, key=_card(vote), operation=Operation.SEND, target=channel.conversation_id,
                        activity=self._messages.vote_card(vote, visible_tally(vote, counted),
                                                          await self._names(uow, vote, counted),
                                                          refresh_ids=await self._refresh_ids(vote)))
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

        Casts on one vote are written in batches (group commit): while one batch's transaction runs, the casts
        that arrive queue up and go together in the next one, each answered once its batch has committed. A
        burst of voters then costs one vote lock, one count and one commit per batch instead of per ballot."""
        comment = (comment or "").strip()
        hits = scan_fields({"comment": comment})
        if hits and not pii_confirmed:
            return PiiWarning(["comment"])
        cast = _Cast(actor.aad_object_id, choice, comment, activity_key, asyncio.get_running_loop().create_future())
        self._queued[vote_id].append(cast)
        if vote_id not in self._writers:
            self._writers[vote_id] = asyncio.create_task(self._drain(vote_id))
        return await cast.answer

    async def _drain(self, vote_id: int) -> None:
        """Write the vote's queued casts, one batch per transaction, until none are left."""
        try:
            while batch := self._queued.pop(vote_id, None):
                await self._write(vote_id, batch)
        finally:
            del self._writers[vote_id]
            for cast in self._queued.pop(vote_id, ()):  # only if cancelled (shutdown): nobody will write these
                cast.answer.cancel()

    async def _write(self, vote_id: int, batch: list[_Cast], retry: bool = True) -> None:
        """Answer every cast of the batch: its ballot, its rule violation, or the failure of its transaction.
        A batch whose transaction fails is written again one cast at a time: one bad cast cannot fail the rest,
        and a passing failure (a connection the database dropped when it restarted) costs no answer."""
        try:
            answers = await self._record_batch(vote_id, batch)
        except DomainError as error:  # the vote is gone: the same answer for all
            answers = [error] * len(batch)
        except Exception as error:
            if retry:
                log.warning("votes: a batch of %d cast(s) on vote %s failed (%s); writing them one by one",
                            len(batch), vote_id, type(error).__name__)
                for cast in batch:
                    await self._write(vote_id, [cast], retry=False)
                return
            answers = [error]
        except BaseException:
            for cast in batch:
                cast.answer.cancel()
            raise
        for cast, answer in zip(batch, answers, strict=True):
            if cast.answer.done():  # the caller went away; the ballot stands
                continue
            if isinstance(answer, BaseException):
                cast.answer.set_exception(answer)
            else:
                cast.answer.set_result(answer)

    async def _record_batch(self, vote_id: int, batch: list[_Cast]) -> list[MyBallot | Exception]:
        """One transaction for the batch: lock the vote, check each cast, store the new ones (one statement per
        kind for all of them), count."""
        now = self._clock.now()
        async with self._uow() as uow:
            vote = await uow.votes.lock(vote_id, known=self._known.get(vote_id))
            if vote is None:
                raise NotFound("votes.not_found")
            self._known[vote_id] = vote
            outcomes: list[tuple[str, bool] | DomainError | None] = [None] * len(batch)  # None: redelivered
            accepted: list[tuple[int, str]] = []  # (index in batch, checked comment)
            for n, cast in enumerate(batch):
                try:
                    accepted.append((n, check_cast(vote, cast.voter, cast.choice, cast.comment, now)))
                except DomainError as error:
                    outcomes[n] = error
            keys = {_activity_key(batch[n]) for n, _ in accepted} - {None}
            new_keys = await uow.activities.remember_all(sorted(keys), now) if keys else set()
            writes = []
            for n, comment in accepted:
                key = _activity_key(batch[n])
                if key is None or key in new_keys:
                    new_keys.discard(key)  # the same invoke twice in one batch counts once
                    writes.append((n, comment))
            for part in _distinct_voters(writes, batch):
                changed = await self._store(uow, vote, [(batch[n].voter, batch[n].choice, c) for n, c in part], now)
                for (n, comment), was_changed in zip(part, changed, strict=True):
                    outcomes[n] = (comment, was_changed)
            counted = await self._tally(uow, vote)
            if writes:  # a batch of refusals and redeliveries changes nothing, not even the card's count
                await uow.commit()
        shown = visible_tally(vote, counted)
        view = VoteView(vote, shown, None if vote.secret else ())  # who voted what shows only once it is closed
        if writes:
            self.wake()  # the shared card: refresh_cards
        answers: list[MyBallot | Exception] = []
        for cast, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, DomainError):
                answers.append(outcome)
            elif outcome is None:
                answers.append(MyBallot(vote, True, True, cast.choice, cast.comment, False, shown))
            else:
                comment, changed = outcome
                answers.append(MyBallot(vote, True, True, cast.choice, comment, changed, shown, view))
        return answers

    async def _store(self, uow: UnitOfWork, vote: Vote, ballots: list[tuple[str, Choice, str]],
                     now: datetime) -> list[bool]:
        """Store ballots of distinct voters (and, where one changed, its history and audit entry); for each,
        whether it changed."""
        if vote.secret:
            await uow.votes.mark_voted(vote.id, [voter for voter, _, _ in ballots], now)
            salt = vote.ballot_salt or ""
            changed = await uow.votes.record_secret(vote.id, [
                (ballot_token(self._key, salt, vote.id, voter), choice, comment) for voter, choice, comment in ballots])
        else:
            named = [Ballot(vote.id, voter, choice, comment, now) for voter, choice, comment in ballots]
            written = await uow.votes.record(named)
            changed = [b.voter in written for b in named]
            await uow.votes.add_history([b for b, was in zip(named, changed, strict=True) if was])
        await uow.audit.add_all([
            AuditEntry(voter, "vote", str(vote.id), "cast", now, None,
                       {"secret": True} if vote.secret else {"choice": choice.value, "comment": bool(comment)})
            for (voter, choice, comment), was in zip(ballots, changed, strict=True) if was])
        return changed

    async def refresh_cards(self) -> int:
        """Redraw the shared card of every vote changed since its card was last queued, from what is committed
        (the outbox sweep runs this before delivering). Returns how many card updates were queued.

        A card whose previous drawing is still waiting to go out (Teams' per-conversation pacing) is drawn
        again only once that one has gone, so there is never more than one drawing in the queue and no work
        drawn to be superseded. The card is drawn before anything is written and queued under a compare-and-set
        on `card_shown` as the last statement, which keeps an older drawing from another process from
        replacing a newer one and holds the vote's row only for the commit."""
        async with self._uow() as uow:
            stale = await uow.votes.stale_cards()
        queued = 0
        for vote_id in stale:
            try:
                queued += await self._refresh_card(vote_id)
            except Exception:  # one vote's card must not hold up the others or the outbox after it
                log.exception("votes: the card of vote %s was not redrawn; tried again on the next sweep", vote_id)
        return queued

    async def _refresh_card(self, vote_id: int) -> int:
        async with self._uow() as uow:
            read = await uow.votes.get_with_changes(vote_id)
            if read is None:
                return 0
            vote, changes = read
            if await uow.outbox.has_pending(_card(vote)):
                return 0  # the next sweep after it has gone
            original = await uow.outbox.get_by_key(_card(vote))  # gone only if pruned long ago
            if original is not None:
                card = await self._draw(uow, vote)
                version = await uow.counters.next(_card(vote))
                await queue(uow, self._clock, key=f"{_card(vote)}:v{version}", operation=Operation.UPDATE,
                            target=original.target, update_of=_card(vote), activity=card)
            # last, so the vote's row is held only until the commit that follows: casts wait on it
            if not await uow.votes.card_shown(vote_id, changes):
                return 0  # someone queued this drawing, or a newer one, meanwhile: ours is rolled back
            await uow.commit()
            return int(original is not None)

    async def _draw(self, uow: UnitOfWork, vote: Vote) -> dict:
        """The shared card as of now; who voted what only on a closed named vote."""
        counted = await self._tally(uow, vote, locked=False)
        names = await self._names(uow, vote, counted) if vote.status is VoteStatus.CLOSED else None
        return self._messages.vote_card(vote, visible_tally(vote, counted), names,
                                        refresh_ids=await self._refresh_ids(vote))

    # --- closing --------------------------------------------------------------------------------------------
    async def close(self, actor: Member, vote_id: int) -> Vote:
        """Early, by the leader (or the organiser who opened it), when every entitled voter has voted."""
        now = self._clock.now()
        async with self._uow() as uow:
            vote = await self._managed(uow, actor, vote_id)
            closed = close_early(vote, await self._tally(uow, vote), now, actor.aad_object_id)
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
                    vote = await uow.votes.lock(candidate.id)
                    if vote is None or not vote.is_open or vote.deadline > now:
                        continue
                    done = close(vote, await self._tally(uow, vote), vote.deadline, SYSTEM)
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
            await uow.votes.forget_secret_ballots(closed.id)
        await self._record_on_hearing(uow, closed, actor_id)
        await self._audit(uow, actor_id, closed, action, before)
        card = await uow.outbox.get_by_key(_card(closed))
        channel = None if card else await uow.conversations.council_channel()
        target = card.target if card else channel.conversation_id if channel else None
        if target is not None:
            await queue(uow, self._clock, key=f"vote:{closed.id}:result", operation=Operation.SEND, target=target,
                        activity=self._messages.result_post(closed, closed.final, closed.outcome,
                                                            await self._names(uow, closed, closed.final)))

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
                await uow.votes.forget_secret_ballots(cancelled.id)
            await self._record_on_hearing(uow, cancelled, actor.aad_object_id)
            await self._audit(uow, actor.aad_object_id, cancelled, "cancel", vote)
            await uow.commit()
        self.wake()
        return cancelled

    # --- reminders ------------------------------------------------------------------------------------------
    async def remind_due(self, hours: float | None = None) -> int:
        """A 1:1 reminder, once, to each entitled voter who has not voted, `hours` before the deadline (never
        earlier than halfway through a short vote). Returns how many reminders were queued now."""
        before = timedelta(hours=hours) if hours is not None else self._reminder
        now = self._clock.now()
        sent = 0
        async with self._uow() as uow:
            for vote in await uow.votes.open_votes():
                if not reminder_due_at(vote, before) <= now < vote.deadline:
                    continue
                voted = await uow.votes.voters(vote.id)
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
            counted = await self._tally(uow, vote, locked=False)
            return VoteView(vote, visible_tally(vote, counted), await self._names(uow, vote, counted))

    async def mine(self, actor: Member, vote_id: int) -> MyBallot:
        """The actor's own standing (entitled, voted, and for named votes their current choice) with the vote as
        `view` shows it, read together: what a card refresh needs. Someone outside the council: NotAllowed."""
        async with self._uow() as uow:
            vote = await _load(uow, vote_id)
            _council(actor, vote)
            counted = await self._tally(uow, vote, locked=False)
            shown = visible_tally(vote, counted)
            voted = actor.aad_object_id in await uow.votes.voters(vote.id)
            ballot = None if vote.secret else await uow.votes.ballot(vote.id, actor.aad_object_id)
            return MyBallot(vote, vote.may_vote(actor.aad_object_id), voted, ballot.choice if ballot else None,
                            ballot.comment if ballot else "", False, shown,
                            VoteView(vote, shown, await self._names(uow, vote, counted)))

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
            names = await self._names(uow, vote, vote.final) or ()
            people = {line.aad_object_id: line.name for line in names}
            history = tuple(VoterLine(b.voter or "", people.get(b.voter or "", b.voter or ""), True, b.choice,
                                      b.comment, b.cast_at) for b in await uow.votes.history(vote.id))
            return VoteExport(vote, vote.final, vote.outcome, names, history)

    async def closed_between(self, first: date, last: date) -> list[VoteView]:
        """Votes closed with a result from `first` to `last` (council dates, inclusive): for the minutes."""
        start = datetime.combine(first, time(0), self._tz)
        end = datetime.combine(last + timedelta(days=1), time(0), self._tz)
        async with self._uow() as uow:
            return [VoteView(v, v.final, await self._names(uow, v, v.final))
                    for v in await uow.votes.closed_between(start, end)]

    # --- shared ---------------------------------------------------------------------------------------------
    async def _managed(self, uow: UnitOfWork, actor: Member, vote_id: int) -> Vote:
        vote = await uow.votes.lock(vote_id)
        if vote is None:
            raise NotFound("votes.not_found")
        if not may_manage(vote, actor):
            raise NotAllowed("votes.leader_only")
        return vote

    async def _tally(self, uow: UnitOfWork, vote: Vote, locked: bool = True) -> Tally:
        """The counts now, read in the caller's transaction (after its own ballot, under the vote's lock).

        Without the lock, an open secret vote gives turnout only: its counts are not shown anyway, and two
        reads without the lock may straddle another voter's commit."""
        if vote.final is not None:
            return vote.final
        if vote.status is not VoteStatus.OPEN or (vote.secret and not locked):
            return Tally({}, await uow.votes.voted_count(vote.id), len(vote.entitled), hidden=True)
        if not vote.secret:
            return tally_groups(await uow.votes.counts(vote.id), vote)
        counted = tally_groups(await uow.votes.anonymous_counts(vote.id), vote,
                               voted=await uow.votes.voted_count(vote.id))
        if sum(counted.counts.values()) != counted.voted:
            raise RuntimeError(f"vote {vote.id}: secret ballots and voters disagree; every process must use the "
                               "same ballot key")
        return counted

    async def _names(self, uow: UnitOfWork, vote: Vote, counted: Tally | None) -> tuple[VoterLine, ...] | None:
        """Named votes: every entitled voter, whether they voted, and their choice where counts may be shown."""
        if vote.secret:
            return None
        reveal = counted is not None and not visible_tally(vote, counted).hidden
        ballots = {b.voter: b for b in await uow.votes.ballots(vote.id)}
        members = await self._directory()
        lines = []
        for voter in vote.entitled:
            ballot = ballots.get(voter)
            name = members[voter].name if voter in members else voter
            lines.append(VoterLine(voter, name, ballot is not None,
                                   ballot.choice if ballot and reveal else None,
                                   ballot.comment if ballot and reveal else "",
                                   ballot.cast_at if ballot and reveal else None))
        return tuple(lines)

    async def _refresh_ids(self, vote: Vote) -> tuple[str, ...]:
        """Teams user ids of the entitled voters: Teams refreshes the card for them (their own view)."""
        if not vote.is_open:
            return ()
        members = await self._directory()
        return tuple(members[voter].teams_user_id for voter in vote.entitled
                     if voter in members and members[voter].teams_user_id)

    async def _read_members(self) -> dict[str, Member]:
        async with self._uow() as uow:
            return {m.aad_object_id: m for m in await uow.members.all()}

    async def _save_hearing(self, uow: UnitOfWork, actor_id: str, before: Hearing, after: Hearing,
                            action: str) -> None:
        if not await uow.hearings.save(after, before.version):
            raise Conflict("hearings.changed", status=before.status.value)
        await uow.audit.add(AuditEntry(actor_id, "hearing", str(after.id), action, self._clock.now(),
                                       before.snapshot(), after.snapshot()))

    async def _audit(self, uow: UnitOfWork, actor_id: str, vote: Vote, action: str, before: Vote | None) -> None:
        await uow.audit.add(AuditEntry(actor_id, "vote", str(vote.id), action, self._clock.now(),
                                       before.snapshot() if before else None, vote.snapshot()))


def _activity_key(cast: _Cast) -> str | None:
    return f"vote-cast:{cast.activity_key}" if cast.activity_key else None


def _distinct_voters(writes: list[tuple[int, str]], batch: list[_Cast]) -> list[list[tuple[int, str]]]:
    """Split the writes, in order, into parts without a voter twice (one statement may not update a row
    twice); a voter's later cast lands in a later part."""
    parts: list[list[tuple[int, str]]] = []
    last: dict[str, int] = {}  # voter -> the part holding their latest cast
    for n, comment in writes:
        at = last.get(batch[n].voter, -1) + 1
        if at == len(parts):
            parts.append([])
        parts[at].append((n, comment))
        last[batch[n].voter] = at
    return parts


def _card(vote: Vote) -> str:
    return f"vote:{vote.id}:card"


def _council(actor: Member, vote: Vote) -> None:
    if not (actor.has(*COUNCIL_ROLES) or vote.may_vote(actor.aad_object_id)):
        raise NotAllowed("votes.members_only")


async def _load(uow: UnitOfWork, vote_id: int) -> Vote:
    vote = await uow.votes.get(vote_id)
    if vote is None:
        raise NotFound("votes.not_found")
    return vote
