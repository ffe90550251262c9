"""Group commit for ballots: casts on one vote that arrive while a batch is being written go together in the next.

While one batch's transaction runs, the casts that arrive queue up and go together in the next one, each answered
once its batch has committed. A burst of voters then costs one vote lock, one count and one commit per batch
instead of per ballot. Each transaction first locks the vote (council.services.ports.VoteRepository.lock), so
casts on one vote are serialised across processes.
"""
from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from council.audit import AuditEntry
from council.clock import Clock
from council.errors import DomainError, NotFound
from council.ids import stored_id
from council.services.ports import UnitOfWork, UnitOfWorkFactory
from council.services.vote_cards import MyBallot, VoteView
from council.votes import Ballot, Choice, Tally, Vote, ballot_token, check_cast, visible_tally

log = logging.getLogger(__name__)


@dataclass
class _Cast:
    """One cast waiting for its batch; `answer` gets the MyBallot or the error."""

    voter: str
    choice: Choice
    comment: str
    activity_key: str | None
    answer: asyncio.Future


class CastBatches:
    """Writes each vote's casts in batches, one writer task per vote with casts waiting."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, ballot_key: bytes,
                 tally: Callable[[UnitOfWork, Vote], Awaitable[Tally]], wake: Callable[[], None]) -> None:
        self._uow = uow
        self._clock = clock
        self._key = ballot_key
        self._tally = tally  # the counts in the batch's transaction, under the vote's lock
        self._wake = wake  # after a commit: the outbox sweep redraws the shared card
        self._queued: defaultdict[int, list[_Cast]] = defaultdict(list)  # per vote: casts waiting for a batch
        self._writers: dict[int, asyncio.Task[None]] = {}  # per vote: the task writing its batches
        self._known: dict[int, Vote] = {}  # the votes last cast on, as read (reused while their version holds)

    async def cast(self, voter: str, vote_id: int, choice: Choice, comment: str,
                   activity_key: str | None) -> MyBallot:
        """Queue the cast for the vote's next batch and wait for its answer (or its rule violation)."""
        cast = _Cast(voter, choice, comment, activity_key, asyncio.get_running_loop().create_future())
        self._queued[vote_id].append(cast)
        if vote_id not in self._writers:
            self._writers[vote_id] = asyncio.create_task(self._drain(vote_id))
        answer: MyBallot = await cast.answer
        return answer

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
            keys = {key for n, _ in accepted if (key := _activity_key(batch[n])) is not None}
            new_keys = await uow.activities.remember_all(sorted(keys), now) if keys else set()
            writes = []
            for n, comment in accepted:
                key = _activity_key(batch[n])
                if key is None or key in new_keys:
                    new_keys.discard(key)  # the same invoke twice in one batch counts once
                    writes.append((n, comment))
            for part in _distinct_voters(writes, batch):
                stored = await self._store(uow, vote, [(batch[n].voter, batch[n].choice, c) for n, c in part], now)
                for (n, comment), was_changed in zip(part, stored, strict=True):
                    outcomes[n] = (comment, was_changed)
            counted = await self._tally(uow, vote)
            if writes:  # a batch of refusals and redeliveries changes nothing, not even the card's count
                await uow.commit()
        shown = visible_tally(vote, counted)
        view = VoteView(vote, shown, None if vote.secret else ())  # who voted what shows only once it is closed
        if writes:
            self._wake()  # the shared card: VoteCards.refresh_cards
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
        vote_id = stored_id(vote.id)
        if vote.secret:
            await uow.votes.mark_voted(vote_id, [voter for voter, _, _ in ballots], now)
            salt = vote.ballot_salt or ""
            changed = await uow.votes.record_secret(vote_id, [
                (ballot_token(self._key, salt, vote_id, voter), choice, comment) for voter, choice, comment in ballots])
        else:
            named = [Ballot(vote_id, voter, choice, comment, now) for voter, choice, comment in ballots]
            written = await uow.votes.record(named)
            changed = [b.voter in written for b in named]
            await uow.votes.add_history([b for b, was in zip(named, changed, strict=True) if was])
        await uow.audit.add_all([
            AuditEntry(voter, "vote", str(vote.id), "cast", now, None,
                       {"secret": True} if vote.secret else {"choice": choice.value, "comment": bool(comment)})
            for (voter, choice, comment), was in zip(ballots, changed, strict=True) if was])
        return changed


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
