"""Votes (avstemninger) on a hearing response or any proposal: who may vote, casting, counting, the outcome.

Rules (issue "Avstemning", docs/domain.md §3.3, §10.2 — every number here is a setting with a default):

- **Entitled voters** are a snapshot taken when the vote opens: the holders of the MEMBER role; a member who
  has reported absence (forfall) is replaced by the deputy whose `deputy_for` is that member. A member
  without a deputy keeps the seat. Later role changes do not change an open vote.
- **Quorum** (default): more than half of the entitled have voted; an abstention counts as having voted.
- **Majority** (default "simple"): more Enig (+ Enig med merknader) than Uenig among the votes cast;
  abstentions do not count. "two_thirds": at least 2/3 of the non-abstaining votes are in favour.
- A voter may change their vote until the deadline; the deadline itself is already too late.

Secret mode (how storage keeps person and choice apart; see storage/votes.py):

- Who has voted is stored (for turnout, reminders and the audit trail) in a table without the choice.
- The choice is stored in a table without the person, keyed by an opaque token
  HMAC-SHA256(server ballot key, per-vote random salt, vote id, voter). Only the token lets a voter replace
  their own ballot; no read path takes or returns a token, and no view or export lists per-voter choices.
  The ballot rows hold no timestamp and no sequence number (and use a key-ordered table on SQLite), so they
  cannot be matched to the audit trail by time or order.
- While the vote is open the shared card shows turnout only (live counts would pair a count change with the
  person who just voted). When the vote closes, the counts are kept on the vote, the anonymous ballot rows
  are deleted and the salt is erased, so not even the server key can link a person to a choice afterwards.
- Limits, while a secret vote is open: someone holding both the database and the server ballot key could
  recompute tokens, and someone with raw PostgreSQL access could pair rows written by one transaction (system
  column xmin). Neither is reachable through the bot; both end when the vote closes and the rows are deleted
  (database backups taken while it was open still hold them).
"""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import Enum

from council.errors import Conflict, InvalidInput, NotAllowed
from council.members import Member, Role

MAX_QUESTION = 300
MAX_PROPOSAL = 20000
MAX_COMMENT = 2000
MAX_REASON = 500


class Choice(str, Enum):
    AGREE = "enig"  # Enig
    AGREE_WITH_REMARKS = "enig_med_merknader"  # Enig med merknader (a comment is required)
    DISAGREE = "uenig"  # Uenig
    ABSTAIN = "avstar"  # Avstår


DEFAULT_OPTIONS: tuple[Choice, ...] = tuple(Choice)
IN_FAVOUR = frozenset({Choice.AGREE, Choice.AGREE_WITH_REMARKS})
COMMENT_REQUIRED = frozenset({Choice.AGREE_WITH_REMARKS})


class VoteStatus(str, Enum):
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Quorum(str, Enum):
    MORE_THAN_HALF = "more_than_half"  # default: more than half of the entitled have voted
    TWO_THIRDS = "two_thirds"  # at least 2/3 of the entitled have voted
    NONE = "none"  # any turnout


class Majority(str, Enum):
    SIMPLE = "simple"  # in favour > against; abstentions ignored
    TWO_THIRDS = "two_thirds"  # in favour >= 2/3 of the non-abstaining votes


class Outcome(str, Enum):
    PASSED = "passed"
    NOT_PASSED = "not_passed"
    NO_QUORUM = "no_quorum"


class DeadlinePassed(InvalidInput):
    """A ballot or change that arrives at or after the deadline."""

    key = "votes.deadline_passed"


@dataclass(frozen=True)
class Tally:
    """Counts per choice, how many voted, and how many were entitled.

    `hidden` means the counts are withheld (secret vote still open, or live counts switched off): only the
    turnout may be shown. `comments` are the remarks without names, sorted (never in casting order).
    """

    counts: dict[Choice, int]
    voted: int
    entitled: int
    comments: tuple[tuple[Choice, str], ...] = ()
    hidden: bool = False

    def count(self, choice: Choice) -> int:
        return self.counts.get(choice, 0)

    @property
    def in_favour(self) -> int:
        return sum(self.count(c) for c in IN_FAVOUR)

    @property
    def against(self) -> int:
        return self.count(Choice.DISAGREE)

    @property
    def abstained(self) -> int:
        return self.count(Choice.ABSTAIN)

    @property
    def non_abstaining(self) -> int:
        return self.in_favour + self.against

    @property
    def everyone_voted(self) -> bool:
        return self.entitled > 0 and self.voted >= self.entitled

    def turnout_only(self) -> "Tally":
        return Tally({}, self.voted, self.entitled, (), hidden=True)

    def as_dict(self) -> dict:
        return {"counts": {c.value: self.count(c) for c in Choice}, "voted": self.voted, "entitled": self.entitled,
                "comments": [[c.value, text] for c, text in self.comments]}

    @classmethod
    def from_dict(cls, data: dict) -> "Tally":
        return cls({Choice(k): int(v) for k, v in data["counts"].items()}, int(data["voted"]), int(data["entitled"]),
                   tuple((Choice(c), str(text)) for c, text in data.get("comments") or ()))


@dataclass(frozen=True)
class Vote:
    id: int | None
    question: str
    proposal: str
    deadline: datetime  # aware
    created_by: str
    created_at: datetime
    entitled: tuple[str, ...]  # AAD object ids, snapshot at opening
    hearing_id: int | None = None
    options: tuple[Choice, ...] = DEFAULT_OPTIONS
    secret: bool = False
    live_tally: bool = True  # named votes only: show running counts on the shared card
    quorum: Quorum = Quorum.MORE_THAN_HALF
    majority: Majority = Majority.SIMPLE
    status: VoteStatus = VoteStatus.OPEN
    outcome: Outcome | None = None
    final: Tally | None = None  # the tally at closing
    closed_at: datetime | None = None
    closed_by: str | None = None  # AAD object id, or "system" at the deadline
    reason: str = ""  # why it was cancelled
    extensions: int = 0
    ballot_salt: str | None = field(default=None, repr=False)  # secret mode, while open
    version: int = 1

    @property
    def is_open(self) -> bool:
        return self.status is VoteStatus.OPEN

    def may_vote(self, voter: str) -> bool:
        return voter in self.entitled

    def snapshot(self) -> dict:
        """For the audit trail: settings and outcome, never the proposal text or any ballot."""
        return {"status": self.status.value, "hearing_id": self.hearing_id, "deadline": self.deadline.isoformat(),
                "secret": self.secret, "quorum": self.quorum.value, "majority": self.majority.value,
                "entitled": len(self.entitled), "outcome": self.outcome.value if self.outcome else None,
                "final": {"counts": self.final.as_dict()["counts"], "voted": self.final.voted} if self.final else None,
                "version": self.version}


@dataclass(frozen=True)
class Ballot:
    """One voter's current choice. `voter` is None for a ballot of a secret vote (it is never known)."""

    vote_id: int
    voter: str | None
    choice: Choice
    comment: str = ""
    cast_at: datetime | None = None  # None for secret ballots


@dataclass(frozen=True)
class VoterLine:
    """One entitled voter as a named vote may show them; `choice` is set only where choices may be shown."""

    aad_object_id: str
    name: str
    voted: bool
    choice: Choice | None = None
    comment: str = ""
    cast_at: datetime | None = None


# --- rules ---------------------------------------------------------------------------------------------------


def entitled_snapshot(members: Iterable[Member], absent_ids: Iterable[str] = ()) -> tuple[str, ...]:
    """MEMBER role holders; an absent member is replaced by the DEPUTY whose deputy_for is that member."""
    members = list(members)
    absent = set(absent_ids)
    deputies = {m.deputy_for: m.aad_object_id for m in members if m.has(Role.DEPUTY) and m.deputy_for}
    voters: list[str] = []
    for member in sorted((m for m in members if m.has(Role.MEMBER)), key=lambda m: (m.name, m.aad_object_id)):
        seat = member.aad_object_id
        if seat in absent and seat in deputies:
            seat = deputies[seat]
        voters.append(seat)
    return tuple(dict.fromkeys(voters))


def check_open(question: str, proposal: str, deadline: datetime, now: datetime, options: Sequence[Choice],
               entitled: Sequence[str]) -> None:
    if not question.strip():
        raise InvalidInput("votes.question_required")
    if len(question) > MAX_QUESTION:
        raise InvalidInput("votes.question_too_long")
    if not proposal.strip():
        raise InvalidInput("votes.proposal_required")
    if len(proposal) > MAX_PROPOSAL:
        raise InvalidInput("votes.proposal_too_long")
    if deadline.tzinfo is None:
        raise ValueError("a vote's deadline must be timezone-aware")
    if deadline <= now:
        raise InvalidInput("votes.deadline_in_past")
    if Choice.AGREE not in options or Choice.DISAGREE not in options or len(set(options)) != len(options):
        raise InvalidInput("votes.options_invalid")
    if not entitled:
        raise InvalidInput("votes.no_voters")


def check_cast(vote: Vote, voter: str, choice: Choice, comment: str, now: datetime) -> str:
    """Refuse a ballot that breaks a rule; return the comment as it is stored (trimmed)."""
    if not vote.may_vote(voter):
        raise NotAllowed("votes.not_entitled")
    if vote.status is not VoteStatus.OPEN:
        raise Conflict("votes.closed", status=vote.status.value)
    if now >= vote.deadline:
        raise DeadlinePassed()
    if choice not in vote.options:
        raise InvalidInput("votes.invalid_choice")
    comment = (comment or "").strip()
    if choice in COMMENT_REQUIRED and not comment:
        raise InvalidInput("votes.comment_required")
    if len(comment) > MAX_COMMENT:
        raise InvalidInput("votes.comment_too_long")
    return comment


def tally_groups(groups: Iterable[tuple[Choice, str, int]], vote: Vote, voted: int | None = None) -> Tally:
    """Count ballots summed as (choice, remark, how many), as the database groups them; `voted` (who has
    voted) defaults to the number of ballots."""
    counts = dict.fromkeys(vote.options, 0)
    comments: list[tuple[Choice, str]] = []
    total = 0
    for choice, comment, number in groups:
        counts[choice] = counts.get(choice, 0) + number
        total += number
        if comment:
            comments += [(choice, comment)] * number
    order = {c: n for n, c in enumerate(Choice)}
    comments.sort(key=lambda item: (order[item[0]], item[1]))
    return Tally(counts, total if voted is None else voted, len(vote.entitled), tuple(comments))


def has_quorum(vote: Vote, counted: Tally) -> bool:
    if counted.entitled <= 0:
        return False
    if vote.quorum is Quorum.MORE_THAN_HALF:
        return counted.voted * 2 > counted.entitled
    if vote.quorum is Quorum.TWO_THIRDS:
        return counted.voted * 3 >= counted.entitled * 2
    return True


def result(vote: Vote, counted: Tally) -> Outcome:
    if not has_quorum(vote, counted):
        return Outcome.NO_QUORUM
    if vote.majority is Majority.TWO_THIRDS:
        passed = counted.non_abstaining > 0 and counted.in_favour * 3 >= counted.non_abstaining * 2
    else:
        passed = counted.in_favour > counted.against
    return Outcome.PASSED if passed else Outcome.NOT_PASSED


def visible_tally(vote: Vote, counted: Tally) -> Tally:
    """What anyone may see now: the counts once the vote is over, live only for a named vote that shows them."""
    if vote.status is VoteStatus.CLOSED:
        return vote.final or counted
    if vote.status is VoteStatus.OPEN and vote.live_tally and not vote.secret:
        return counted
    return counted.turnout_only()


def reminder_due_at(vote: Vote, before: timedelta) -> datetime:
    """`before` the deadline, but not earlier than halfway through a short vote (no reminder at opening)."""
    return max(vote.deadline - before, vote.created_at + (vote.deadline - vote.created_at) / 2)


# --- transitions ---------------------------------------------------------------------------------------------


def may_manage(vote: Vote, actor: Member) -> bool:
    """The leader, or the organiser who opened the vote, may close early, extend or cancel it."""
    return actor.is_leader or (actor.is_organiser and actor.aad_object_id == vote.created_by)


def close(vote: Vote, counted: Tally, at: datetime, by: str) -> Vote:
    if vote.status is not VoteStatus.OPEN:
        raise Conflict("votes.closed", status=vote.status.value)
    final = replace(counted, hidden=False)
    return replace(vote, status=VoteStatus.CLOSED, outcome=result(vote, final), final=final, closed_at=at,
                   closed_by=by, ballot_salt=None, version=vote.version + 1)


def close_early(vote: Vote, counted: Tally, at: datetime, by: str) -> Vote:
    """Before the deadline only when every entitled voter has voted; after it, always."""
    if vote.status is VoteStatus.OPEN and at < vote.deadline and not counted.everyone_voted:
        raise Conflict("votes.not_everyone_voted", voted=counted.voted, entitled=counted.entitled)
    return close(vote, counted, at, by)


def extend(vote: Vote, new_deadline: datetime, now: datetime) -> Vote:
    if vote.status is not VoteStatus.OPEN:
        raise Conflict("votes.closed", status=vote.status.value)
    if now >= vote.deadline:
        raise DeadlinePassed()
    if new_deadline.tzinfo is None:
        raise ValueError("a vote's deadline must be timezone-aware")
    if new_deadline <= vote.deadline:
        raise InvalidInput("votes.deadline_not_later")
    return replace(vote, deadline=new_deadline, extensions=vote.extensions + 1, version=vote.version + 1)


def cancel(vote: Vote, at: datetime, by: str, reason: str) -> Vote:
    if vote.status is not VoteStatus.OPEN:
        raise Conflict("votes.closed", status=vote.status.value)
    if len(reason) > MAX_REASON:
        raise InvalidInput("votes.reason_too_long")
    return replace(vote, status=VoteStatus.CANCELLED, closed_at=at, closed_by=by, reason=reason.strip(),
                   ballot_salt=None, version=vote.version + 1)


def ballot_token(key: bytes, salt: str, vote_id: int, voter: str) -> str:
    """The opaque key of a secret ballot: the same voter gets the same token within one vote, nothing more."""
    if not key or not salt:
        raise ValueError("a secret ballot needs the server ballot key and the vote's salt")
    message = f"{salt}\x1f{vote_id}\x1f{voter}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
