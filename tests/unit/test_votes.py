"""Vote rules: entitlement, casting, quorum, majority, closing. (Hearing rules: test_hearings.py.)"""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from council.errors import Conflict, InvalidInput, NotAllowed
from council.members import Member, Role
from council.votes import (
    Choice,
    DeadlinePassed,
    Majority,
    Outcome,
    Quorum,
    Tally,
    Vote,
    VoteStatus,
    ballot_token,
    cancel,
    check_cast,
    check_open,
    close,
    close_early,
    entitled_snapshot,
    extend,
    has_quorum,
    may_manage,
    reminder_due_at,
    result,
    tally_groups,
    visible_tally,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DEADLINE = NOW + timedelta(days=3)
E, M, U, A = Choice.AGREE, Choice.AGREE_WITH_REMARKS, Choice.DISAGREE, Choice.ABSTAIN


def member(aad: str, *roles: Role, deputy_for: str | None = None) -> Member:
    return Member(aad, aad.title(), roles=frozenset(roles), deputy_for=deputy_for)


def a_vote(entitled: int = 5, **changes) -> Vote:
    vote = Vote(id=1, question="Støtter rådet høringssvaret?", proposal="Utkast", deadline=DEADLINE,
                created_by="leader", created_at=NOW, entitled=tuple(f"v{n}" for n in range(entitled)))
    return replace(vote, **changes)


def counted(vote: Vote, *choices: Choice) -> Tally:
    return tally_groups([(c, "merknad" if c is M else "", 1) for c in choices], vote)


# --- entitlement ----------------------------------------------------------------------------------------------


def test_the_entitled_are_the_members_and_an_absent_member_is_replaced_by_their_deputy():
    people = [member("anna", Role.MEMBER), member("bjorn", Role.MEMBER), member("cato", Role.MEMBER),
              member("dina", Role.DEPUTY, deputy_for="bjorn"), member("eva", Role.DEPUTY, deputy_for="anna"),
              member("leder", Role.LEADER), member("sekr", Role.SECRETARY), member("nett", Role.NETWORK)]

    assert entitled_snapshot(people) == ("anna", "bjorn", "cato")
    assert entitled_snapshot(people, {"bjorn"}) == ("anna", "dina", "cato")
    assert entitled_snapshot(people, {"cato"}) == ("anna", "bjorn", "cato")  # no deputy: the seat is kept
    assert entitled_snapshot(people, {"leder"}) == ("anna", "bjorn", "cato")


def test_a_leader_who_is_also_a_member_votes_and_nobody_gets_two_seats():
    people = [member("leder", Role.LEADER, Role.MEMBER), member("anna", Role.MEMBER),
              member("bjorn", Role.MEMBER, Role.DEPUTY, deputy_for="anna")]

    assert entitled_snapshot(people) == ("anna", "bjorn", "leder")
    assert entitled_snapshot(people, {"anna"}) == ("bjorn", "leder")


# --- casting ----------------------------------------------------------------------------------------------------


def test_someone_not_entitled_is_refused_whatever_the_state_of_the_vote():
    for vote in (a_vote(), a_vote(status=VoteStatus.CLOSED)):
        with pytest.raises(NotAllowed) as refused:
            check_cast(vote, "outsider", E, "", NOW)
        assert refused.value.key == "votes.not_entitled"


def test_a_ballot_at_or_after_the_deadline_is_refused_with_its_own_message():
    for at in (DEADLINE, DEADLINE + timedelta(seconds=1)):
        with pytest.raises(DeadlinePassed) as late:
            check_cast(a_vote(), "v0", E, "", at)
        assert late.value.key == "votes.deadline_passed" and isinstance(late.value, InvalidInput)
    assert check_cast(a_vote(), "v0", E, "", DEADLINE - timedelta(seconds=1)) == ""


def test_a_closed_or_cancelled_vote_takes_no_ballots():
    for status in (VoteStatus.CLOSED, VoteStatus.CANCELLED):
        with pytest.raises(Conflict) as closed:
            check_cast(a_vote(status=status), "v0", E, "", NOW)
        assert closed.value.key == "votes.closed"


def test_agree_with_remarks_needs_a_comment_and_comments_are_trimmed():
    with pytest.raises(InvalidInput) as missing:
        check_cast(a_vote(), "v0", M, "   ", NOW)
    assert missing.value.key == "votes.comment_required"
    assert check_cast(a_vote(), "v0", M, "  Punkt 3 bør strykes ", NOW) == "Punkt 3 bør strykes"
    with pytest.raises(InvalidInput) as long:
        check_cast(a_vote(), "v0", U, "x" * 2001, NOW)
    assert long.value.key == "votes.comment_too_long"


def test_only_the_offered_options_can_be_chosen():
    vote = a_vote(options=(E, U))
    with pytest.raises(InvalidInput) as invalid:
        check_cast(vote, "v0", A, "", NOW)
    assert invalid.value.key == "votes.invalid_choice"


# --- quorum and majority ----------------------------------------------------------------------------------------


def test_quorum_is_more_than_half_of_the_entitled_and_abstentions_count_as_voting():
    vote = a_vote(entitled=6)
    assert not has_quorum(vote, counted(vote, E, E, E))  # 3 of 6 is half, not more
    assert result(vote, counted(vote, E, E, E)) is Outcome.NO_QUORUM
    assert has_quorum(vote, counted(vote, E, A, A, A))
    assert result(vote, counted(vote, E, A, A, A)) is Outcome.PASSED


def test_other_quorum_rules_and_no_voters():
    two_thirds = a_vote(entitled=6, quorum=Quorum.TWO_THIRDS)
    assert not has_quorum(two_thirds, counted(two_thirds, E, E, E))
    assert has_quorum(two_thirds, counted(two_thirds, E, E, E, U))
    anyone = a_vote(entitled=6, quorum=Quorum.NONE)
    assert result(anyone, counted(anyone, E)) is Outcome.PASSED
    assert result(a_vote(entitled=0), counted(a_vote(entitled=0))) is Outcome.NO_QUORUM


def test_simple_majority_is_more_in_favour_than_against_with_abstentions_ignored():
    vote = a_vote(entitled=7)
    assert result(vote, counted(vote, E, M, U, A, A)) is Outcome.PASSED
    assert result(vote, counted(vote, E, U, A, A)) is Outcome.NOT_PASSED  # a tie does not pass
    assert result(vote, counted(vote, U, U, E, M)) is Outcome.NOT_PASSED
    assert result(vote, counted(vote, M, A, A, A)) is Outcome.PASSED
    assert result(vote, counted(vote, A, A, A, A)) is Outcome.NOT_PASSED


def test_two_thirds_majority_counts_only_the_non_abstaining_votes():
    vote = a_vote(entitled=7, majority=Majority.TWO_THIRDS)
    assert result(vote, counted(vote, E, M, U, A)) is Outcome.PASSED  # exactly 2/3
    assert result(vote, counted(vote, E, E, E, U, U)) is Outcome.NOT_PASSED  # 3/5
    assert result(vote, counted(vote, E, E, U, A, A, A)) is Outcome.PASSED
    assert result(vote, counted(vote, A, A, A, A)) is Outcome.NOT_PASSED


def test_tally_counts_each_choice_and_keeps_remarks_without_names_in_a_fixed_order():
    vote = a_vote(entitled=7)
    counted_ = tally_groups([(M, "b", 1), (U, "a", 1), (M, "a", 1), (E, "", 1), (U, "a", 2)], vote)
    assert counted_.counts == {E: 1, M: 2, U: 3, A: 0}
    assert (counted_.voted, counted_.entitled, counted_.in_favour, counted_.against) == (6, 7, 3, 3)
    assert counted_.comments == ((M, "a"), (M, "b"), (U, "a"), (U, "a"), (U, "a"))  # one line per ballot
    assert Tally.from_dict(counted_.as_dict()) == counted_


# --- what may be shown --------------------------------------------------------------------------------------------


def test_a_secret_vote_shows_turnout_only_until_it_closes():
    secret = a_vote(secret=True, live_tally=False)
    now = counted(secret, E, U)
    assert visible_tally(secret, now).hidden and visible_tally(secret, now).counts == {}
    assert visible_tally(secret, now).voted == 2
    done = close(secret, now, DEADLINE, "system")
    assert visible_tally(done, now).counts[E] == 1 and not visible_tally(done, now).hidden


def test_a_named_vote_shows_live_counts_only_when_asked():
    assert not visible_tally(a_vote(), counted(a_vote(), E)).hidden
    assert visible_tally(a_vote(live_tally=False), counted(a_vote(), E)).hidden


# --- opening, closing, extending, cancelling ------------------------------------------------------------------------


@pytest.mark.parametrize(("question", "proposal", "deadline", "options", "key"), [
    ("", "p", DEADLINE, (E, U), "votes.question_required"),
    ("q", " ", DEADLINE, (E, U), "votes.proposal_required"),
    ("q", "p", NOW, (E, U), "votes.deadline_in_past"),
    ("q", "p", DEADLINE, (E, A), "votes.options_invalid"),
    ("q", "p", DEADLINE, (E, U, U), "votes.options_invalid"),
])
def test_opening_checks_the_form(question, proposal, deadline, options, key):
    with pytest.raises(InvalidInput) as refused:
        check_open(question, proposal, deadline, NOW, options, ("v0",))
    assert refused.value.key == key


def test_opening_needs_voters():
    with pytest.raises(InvalidInput) as refused:
        check_open("q", "p", DEADLINE, NOW, (E, U), ())
    assert refused.value.key == "votes.no_voters"


def test_closing_early_needs_everyone_but_at_the_deadline_closes_whatever_the_turnout():
    vote = a_vote(entitled=3)
    with pytest.raises(Conflict) as early:
        close_early(vote, counted(vote, E, E), NOW, "leader")
    assert early.value.key == "votes.not_everyone_voted"
    done = close_early(vote, counted(vote, E, E, U), NOW, "leader")
    assert (done.status, done.outcome, done.final.voted, done.version) == (VoteStatus.CLOSED, Outcome.PASSED, 3, 2)
    assert close_early(vote, counted(vote, E), DEADLINE, "leader").outcome is Outcome.NO_QUORUM
    with pytest.raises(Conflict):
        close(done, counted(vote), NOW, "leader")


def test_closing_a_secret_vote_erases_its_salt():
    vote = a_vote(secret=True, ballot_salt="abc")
    assert close(vote, counted(vote), DEADLINE, "system").ballot_salt is None
    assert cancel(vote, NOW, "leader", "feil").ballot_salt is None


def test_extending_only_moves_a_running_deadline_later():
    later = DEADLINE + timedelta(days=1)
    assert extend(a_vote(), later, NOW).deadline == later
    assert extend(a_vote(), later, NOW).extensions == 1
    with pytest.raises(InvalidInput) as earlier:
        extend(a_vote(), DEADLINE - timedelta(hours=1), NOW)
    assert earlier.value.key == "votes.deadline_not_later"
    with pytest.raises(DeadlinePassed):
        extend(a_vote(), later, DEADLINE)
    with pytest.raises(Conflict):
        extend(a_vote(status=VoteStatus.CANCELLED), later, NOW)


def test_cancelling_keeps_no_result():
    cancelled = cancel(a_vote(), NOW, "leader", " Feil forslag ")
    assert (cancelled.status, cancelled.outcome, cancelled.reason) == (VoteStatus.CANCELLED, None, "Feil forslag")


def test_the_leader_or_the_organiser_who_opened_it_manages_a_vote():
    vote = a_vote(created_by="sekr")
    assert may_manage(vote, member("leder", Role.LEADER))
    assert may_manage(vote, member("sekr", Role.SECRETARY))
    assert not may_manage(vote, member("sekr2", Role.SECRETARY))
    assert not may_manage(vote, member("sekr", Role.MEMBER))


def test_reminders_are_due_a_day_before_but_not_before_halfway():
    assert reminder_due_at(a_vote(), timedelta(hours=24)) == DEADLINE - timedelta(hours=24)
    short = a_vote(deadline=NOW + timedelta(hours=10))
    assert reminder_due_at(short, timedelta(hours=24)) == NOW + timedelta(hours=5)


def test_a_ballot_token_is_stable_per_voter_and_vote_and_reveals_nothing_without_the_key():
    token = ballot_token(b"key", "salt", 1, "anna")
    assert token == ballot_token(b"key", "salt", 1, "anna") and len(token) == 64
    assert "anna" not in token
    others = {ballot_token(b"key", "salt", 1, "bjorn"), ballot_token(b"key", "salt", 2, "anna"),
              ballot_token(b"key", "other", 1, "anna"), ballot_token(b"other", "salt", 1, "anna")}
    assert token not in others and len(others) == 4
    with pytest.raises(ValueError):
        ballot_token(b"", "salt", 1, "anna")
