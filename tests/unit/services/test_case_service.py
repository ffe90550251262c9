"""CaseService on the fake unit of work: submit, triage, answer, withdraw, DLG's outcome."""
from __future__ import annotations

from datetime import date

import pytest

from council.cases import CaseFilter, CaseStatus, Triage
from council.errors import Conflict, InvalidInput, NotAllowed, NotFound
from council.forms import FormErrors, PiiWarning
from council.outbox import Operation
from council.services.cases import Submitted, TriageRequest
from council.topics import TopicsStatus
from tests.unit.services.conftest import CHANNEL, LEADER, MEMBER, SECRETARY, SUBMITTER, Council
from tests.unit.test_pii import make_id


async def test_a_submission_is_stored_once_however_often_its_form_is_sent(council):
    first = await council.submit()
    again = await council.submit()

    assert isinstance(first, Submitted) and first.created
    assert isinstance(again, Submitted) and not again.created
    assert again.case == first.case
    assert await council.cases.mine(SUBMITTER) == [first.case]


async def test_submitted_cases_are_numbered_in_sequence_within_the_year(council):
    first = await council.submit("a")
    second = await council.submit("b")

    assert (first.case.year, first.case.number, second.case.number) == (2026, 1, 2)
    assert second.case.reference == "Innmelding 002/26"


async def test_a_draft_with_missing_fields_gets_field_errors_and_nothing_is_stored(council):
    result = await council.submit(title="", unit="")

    assert isinstance(result, FormErrors)
    assert set(result.errors) == {"title", "unit"}
    assert await council.cases.mine(SUBMITTER) == []


async def test_a_draft_without_a_submission_key_is_refused(council):
    with pytest.raises(InvalidInput):
        await council.submit(key="")


async def test_a_national_id_in_the_form_asks_for_confirmation_before_anything_is_stored(council):
    fnr = make_id("010190")

    warned = await council.submit(title=f"Gjelder {fnr}")
    assert isinstance(warned, PiiWarning) and warned.fields == ["title"]
    assert await council.cases.mine(SUBMITTER) == []

    confirmed = await council.submit(title=f"Gjelder {fnr}", pii_confirmed=True)
    assert isinstance(confirmed, Submitted) and confirmed.case.pii_override


async def test_a_new_case_sends_its_triage_card_to_the_council_channel(council):
    submitted = await council.submit()

    [card] = await council.queued("triage_card")
    assert (card.operation, card.target) == (Operation.SEND, CHANNEL.conversation_id)
    assert card.delivery_key == f"case:{submitted.case.id}:triage:{CHANNEL.conversation_id}"


async def test_without_a_channel_the_triage_card_goes_to_the_leader_and_the_secretary_in_person():
    council = Council(with_channel=False)
    await council.seed()

    await council.submit()

    cards = await council.queued("triage_card")
    assert {(c.operation, c.target) for c in cards} == {(Operation.SEND_PERSONAL, LEADER.aad_object_id),
                                                         (Operation.SEND_PERSONAL, SECRETARY.aad_object_id)}


async def test_accepting_a_case_puts_it_on_the_meeting_and_tells_the_submitter(council):
    meeting = await council.meeting()
    case = (await council.submit()).case

    accepted = await council.cases.triage(LEADER, case.id, case.version,
                                          TriageRequest(Triage.ACCEPT, meeting_id=meeting.id))

    assert (accepted.status, accepted.meeting_id, accepted.version) == (CaseStatus.ON_AGENDA, meeting.id, 2)
    [notice] = await council.queued("status_notice")
    assert (notice.operation, notice.target) == (Operation.SEND_PERSONAL, SUBMITTER.aad_object_id)
    assert notice.activity["meeting"] == meeting.id
    [update] = [m for m in await council.queued("triage_card") if m.operation is Operation.UPDATE]
    assert update.update_of == f"case:{case.id}:triage:{CHANNEL.conversation_id}"
    assert update.activity["version"] == 2


async def test_a_second_triage_of_the_same_version_is_told_it_came_too_late(council):
    case = (await council.submit()).case
    await council.cases.triage(LEADER, case.id, case.version, TriageRequest(Triage.DEFER, reason="Neste møte"))

    with pytest.raises(Conflict) as raised:
        await council.cases.triage(SECRETARY, case.id, case.version, TriageRequest(Triage.REJECT, reason="Nei"))

    assert raised.value.params == {"status": CaseStatus.DEFERRED.value}


async def test_a_member_cannot_triage_a_case(council):
    case = (await council.submit()).case

    with pytest.raises(NotAllowed):
        await council.cases.triage(MEMBER, case.id, case.version, TriageRequest(Triage.ACCEPT))


async def test_accepting_for_a_meeting_that_does_not_exist_changes_nothing(council):
    case = (await council.submit()).case

    with pytest.raises(InvalidInput):
        await council.cases.triage(LEADER, case.id, case.version, TriageRequest(Triage.ACCEPT, meeting_id=999))

    [unchanged] = await council.cases.queue_view(LEADER)
    assert unchanged == case


async def test_a_case_cannot_be_marked_a_duplicate_of_itself(council):
    case = (await council.submit()).case

    with pytest.raises(InvalidInput):
        await council.cases.triage(LEADER, case.id, case.version,
                                   TriageRequest(Triage.DUPLICATE, duplicate_of=case.id))


async def test_a_rejection_without_a_reason_is_refused_and_leaves_no_trace(council):
    case = (await council.submit()).case
    commits = council.db.commits

    with pytest.raises(InvalidInput):
        await council.cases.triage(LEADER, case.id, case.version, TriageRequest(Triage.REJECT, reason=" "))

    assert council.db.commits == commits
    assert await council.queued("status_notice") == []


async def test_the_submitter_answers_a_question_and_the_case_goes_back_to_the_queue(council):
    case = (await council.submit()).case
    asked = await council.cases.triage(LEADER, case.id, case.version,
                                       TriageRequest(Triage.ASK_INFO, question="Hvilke enheter?"))

    answered = await council.cases.answer(SUBMITTER, case.id, "Alle klinikkene")

    assert asked.status is CaseStatus.NEEDS_INFO
    assert (answered.status, answered.answer) == (CaseStatus.SUBMITTED, "Alle klinikkene")


async def test_only_the_submitter_may_answer_or_withdraw_a_case(council):
    case = (await council.submit()).case

    with pytest.raises(NotAllowed):
        await council.cases.withdraw(MEMBER, case.id)
    withdrawn = await council.cases.withdraw(SUBMITTER, case.id)

    assert withdrawn.status is CaseStatus.WITHDRAWN
    assert await council.cases.queue_view(LEADER) == []


async def test_an_unknown_case_is_not_found(council):
    with pytest.raises(NotFound):
        await council.cases.view(LEADER, 404)


async def test_dlg_outcome_of_an_escalated_case_is_recorded_and_posted_to_the_channel(council):
    case = (await council.submit()).case
    escalated = await council.cases.triage(LEADER, case.id, case.version, TriageRequest(
        Triage.ESCALATE, escalated_on=date(2026, 11, 30), reference="2026/123"))

    decided = await council.cases.record_outcome(LEADER, case.id, "DLG sluttet seg til forslaget")

    assert escalated.escalation.reference == "2026/123"
    assert decided.status is CaseStatus.DLG_DECIDED
    [post] = await council.queued("dlg_outcome_notice")
    assert (post.target, post.delivery_key) == (CHANNEL.conversation_id, f"case:{case.id}:dlg:channel")


async def test_every_change_to_a_case_is_audited_with_its_state_before_and_after(council):
    case = (await council.submit()).case
    await council.cases.triage(LEADER, case.id, case.version, TriageRequest(Triage.DEFER))

    async with council.db() as uow:
        entries = await uow.audit.for_entity("case", str(case.id))

    assert [(e.actor, e.action) for e in entries] == [(SUBMITTER.aad_object_id, "submit"),
                                                      (LEADER.aad_object_id, "defer")]
    assert entries[1].before["status"] == CaseStatus.SUBMITTED.value
    assert entries[1].after["status"] == CaseStatus.DEFERRED.value


async def test_the_register_filters_by_status_newest_first(council):
    first = (await council.submit("a")).case
    second = (await council.submit("b")).case
    await council.cases.withdraw(SUBMITTER, first.id)

    assert [c.id for c in await council.cases.register(LEADER, CaseFilter())] == [second.id, first.id]
    assert [c.id for c in await council.cases.register(LEADER, CaseFilter(status=CaseStatus.WITHDRAWN))] == [first.id]
    with pytest.raises(NotAllowed):
        await council.cases.register(SUBMITTER, CaseFilter())


# --- topics and the avviksnummer ------------------------------------------------------------------------------------


async def test_a_case_submitted_without_topics_gets_the_suggested_ones_marked_as_suggested(council):
    case = (await council.submit(title="Fristbrudd i poliklinikken",
                                 description="Timebøkene i DIPS settes opp for sent.")).case

    assert case.topics == ("Fristbrudd", "Kontakter/timebøker", "DIPS")
    assert case.topics_status is TopicsStatus.SUGGESTED and not case.topics_confirmed
    async with council.db() as uow:
        assert (await uow.cases.get(case.id)).topics == case.topics


async def test_topics_the_submitter_chose_are_kept_as_chosen_and_nothing_is_suggested(council):
    case = (await council.submit(title="Fristbrudd", topics="Public 360,Avvik")).case

    assert case.topics == ("Public 360", "Avvik") and case.topics_status is TopicsStatus.CHOSEN


async def test_a_topic_that_is_not_configured_is_a_field_error(council):
    result = await council.submit(topics="Fristbrudd,Noe annet")

    assert isinstance(result, FormErrors) and result.errors == {"topics": "submit.error.topics_unknown"}


async def test_the_deviation_number_is_stored_with_the_case(council):
    case = (await council.submit(deviation_ref="2026-4711")).case

    assert case.deviation_ref == "2026-4711"


async def test_a_national_id_as_deviation_number_is_refused_outright_and_nothing_is_stored(council):
    result = await council.submit(deviation_ref=make_id("010190"), pii_confirmed=True)

    assert isinstance(result, FormErrors)
    assert result.errors == {"deviation_ref": "submit.error.deviation_ref_pii"}
    assert await council.cases.mine(SUBMITTER) == []


async def test_the_leader_confirms_changed_topics_with_the_triage_decision_and_it_is_audited(council):
    case = (await council.submit(title="Fristbrudd i poliklinikken")).case

    decided = await council.cases.triage(LEADER, case.id, case.version,
                                         TriageRequest(Triage.DEFER, topics=("Fristbrudd", "NPR-validering")))

    assert decided.topics == ("Fristbrudd", "NPR-validering") and decided.topics_confirmed
    async with council.db() as uow:
        stored = await uow.cases.get(case.id)
        entries = await uow.audit.for_entity("case", str(case.id))
    assert stored.topics == decided.topics and stored.topics_status is TopicsStatus.CONFIRMED
    assert entries[-1].before["topics"] == ["Fristbrudd"] and entries[-1].before["topics_status"] == "foreslatt"
    assert entries[-1].after["topics"] == ["Fristbrudd", "NPR-validering"]
    assert entries[-1].after["topics_status"] == "bekreftet"


async def test_the_leader_may_confirm_that_a_case_has_no_topic(council):
    case = (await council.submit(title="Fristbrudd")).case

    decided = await council.cases.triage(LEADER, case.id, case.version, TriageRequest(Triage.DEFER, topics=()))

    assert decided.topics == () and decided.topics_confirmed


async def test_a_triage_card_without_topics_leaves_the_suggestion_unconfirmed(council):
    case = (await council.submit(title="Fristbrudd")).case

    decided = await council.cases.triage(LEADER, case.id, case.version, TriageRequest(Triage.DEFER))

    assert decided.topics == ("Fristbrudd",) and decided.topics_status is TopicsStatus.SUGGESTED


async def test_a_topic_no_longer_configured_stays_allowed_on_the_case_that_carries_it(council):
    case = (await council.submit(title="Fristbrudd")).case
    council.cases.topics = ("DIPS",)  # the operator changed COUNCIL_TOPICS since

    kept = await council.cases.triage(LEADER, case.id, case.version,
                                      TriageRequest(Triage.DEFER, topics=("Fristbrudd", "DIPS")))
    assert kept.topics == ("Fristbrudd", "DIPS")
    with pytest.raises(InvalidInput):
        await council.cases.triage(LEADER, case.id, kept.version, TriageRequest(Triage.DEFER, topics=("Avvik",)))
    async with council.db() as uow:
        assert (await uow.cases.get(case.id)).version == kept.version
