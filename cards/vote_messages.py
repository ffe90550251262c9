"""What the vote service queues, as activities (the VoteMessages port, implemented with cards).

Channel posts are in bokmål; personal messages (reminder, extension) in the recipient's language.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from cards.case_messages import activity
from cards.texts import t
from cards.votes import (
    OSLO,
    deadline_text,
    extended_card,
    outcome_label,
    reminder_card,
    result_post_card,
    shared_vote_card,
    turnout_line,
)
from council.services.votes import VoteView
from council.votes import Outcome, Tally, Vote, VoterLine, VoteStatus


class CardVoteMessages:
    """The VoteMessages port.

    The shared card's `refresh.userIds` (Teams user ids, "29:…", at most 60) come from the `refresh_ids`
    keyword of `vote_card`, else from `refresh_ids_for(vote)` given to the constructor (a synchronous lookup,
    e.g. the entitled voters' Member.teams_user_id from a cache); with neither, the list is empty and Teams
    refreshes only when a user asks ("Refresh card")."""

    def __init__(self, tz: ZoneInfo = OSLO,
                 refresh_ids_for: Callable[[Vote], Sequence[str]] | None = None) -> None:
        self._tz = tz
        self._refresh_ids_for = refresh_ids_for

    def vote_card(self, vote: Vote, tally: Tally, names: tuple[VoterLine, ...] | None, *,
                  refresh_ids: tuple[str, ...] = ()) -> dict:
        ids = tuple(refresh_ids) or (tuple(self._refresh_ids_for(vote)) if self._refresh_ids_for else ())
        payload = shared_vote_card(VoteView(vote, tally, names), ids, None, tz=self._tz)
        return activity(payload, self._summary(vote, tally))

    def _summary(self, vote: Vote, tally: Tally) -> str:
        if vote.status is VoteStatus.CLOSED:
            return t("votes.summary_closed", None, question=vote.question, outcome=outcome_label(vote.outcome, None))
        if vote.status is VoteStatus.CANCELLED:
            return t("votes.summary_cancelled", None, question=vote.question)
        return t("votes.summary_open", None, question=vote.question,
                 deadline=deadline_text(vote.deadline, None, self._tz), turnout=turnout_line(tally, None))

    def result_post(self, vote: Vote, tally: Tally, outcome: Outcome,
                    names: tuple[VoterLine, ...] | None) -> dict:
        payload = result_post_card(vote, tally, outcome, names, None, tz=self._tz)
        return activity(payload, t("votes.summary_closed", None, question=vote.question,
                                   outcome=outcome_label(outcome, None)))

    def reminder(self, vote: Vote, locale: str | None) -> dict:
        summary = t("votes.reminder_body", locale, question=vote.question,
                    deadline=deadline_text(vote.deadline, locale, self._tz))
        return activity(reminder_card(vote, locale, tz=self._tz), summary)

    def extended(self, vote: Vote, locale: str | None) -> dict:
        summary = t("votes.extended_body", locale, question=vote.question,
                    deadline=deadline_text(vote.deadline, locale, self._tz))
        return activity(extended_card(vote, locale, tz=self._tz), summary)
