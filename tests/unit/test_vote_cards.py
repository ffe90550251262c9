"""Vote and hearing cards: Teams limits, the refresh block, user-specific views, secrecy, CSV/PDF, the port."""
from __future__ import annotations

import csv
import inspect
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

import cards.actions as card_actions
from cards.actions import (
    HEARING_AGENDA,
    HEARING_SAVE,
    HEARING_STATUS,
    VOTE_CANCEL,
    VOTE_CAST,
    VOTE_CLOSE,
    VOTE_EXPORT,
    VOTE_EXTEND,
    VOTE_FORM,
    VOTE_OPEN,
    VOTE_REFRESH,
)
from cards.exports import vote_result_csv, vote_result_document, vote_result_pdf
from cards.hearings import hearing_form_card, hearings_card
from cards.vote_messages import CardVoteMessages
from cards.votes import (
    extended_card,
    manage_actions,
    my_vote_card,
    not_entitled_card,
    reminder_card,
    result_post_card,
    shared_vote_card,
    vote_admin_card,
    vote_form_card,
)
from council.hearings import Hearing, HearingStatus
from council.meetings import Meeting
from council.members import Member, Role
from council.services.hearings import HearingLine
from council.services.ports import VoteMessages
from council.services.votes import MyBallot, VoteExport, VoteView
from council.votes import Choice, Majority, Outcome, Quorum, Tally, Vote, VoterLine, VoteStatus
from tests.cards_walk import elements, of_type

OSLO = ZoneInfo("Europe/Oslo")
TEAMS_MAX_BYTES = 28 * 1024
KNOWN_VERBS = {v for k, v in vars(card_actions).items() if k.isupper() and isinstance(v, str)}

NOW = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
DEADLINE = datetime(2026, 12, 15, 11, 0, tzinfo=UTC)  # tirsdag 15. desember 2026 kl. 12.00 in Oslo
VOTER_IDS = tuple(f"{i:08d}-0000-4000-8000-{i:012d}" for i in range(60))
VOTER_NAMES = tuple(f"Ingrid Marie Kristoffersen-Ødegård {i:02d}" for i in range(60))
TEAMS_IDS = tuple(f"29:1{'x' * 60}{i:03d}" for i in range(70))
LONG_REMARK = "Vi ber om at punkt 3 om tilgang til journal utdypes nærmere før svaret sendes. " * 25  # ~2000


def vote(**changes) -> Vote:
    base = Vote(id=7, question="Skal rådet vedta høringssvaret om ny forskrift?", proposal="Rådet slutter seg til "
                "utkastet til høringssvar. " * 40, deadline=DEADLINE, created_by="kari-id", created_at=NOW,
                entitled=VOTER_IDS)
    return replace(base, **changes)


def counts(agree=20, remarks=10, against=15, abstain=5) -> dict[Choice, int]:
    return {Choice.AGREE: agree, Choice.AGREE_WITH_REMARKS: remarks, Choice.DISAGREE: against,
            Choice.ABSTAIN: abstain}


def lines(reveal: bool = True, voted: int = 50) -> tuple[VoterLine, ...]:
    """60 entitled voters, the first `voted` voted; every 'Enig med merknader' with a long remark."""
    choices = [Choice.AGREE] * 20 + [Choice.AGREE_WITH_REMARKS] * 10 + [Choice.DISAGREE] * 15 + [Choice.ABSTAIN] * 5
    result = []
    for i, (aad, name) in enumerate(zip(VOTER_IDS, VOTER_NAMES, strict=True)):
        has_voted = i < voted
        choice = choices[i] if has_voted and reveal else None
        remark = LONG_REMARK if choice is Choice.AGREE_WITH_REMARKS else ""
        result.append(VoterLine(aad, name, has_voted, choice, remark, NOW if choice else None))
    return tuple(result)


def final_tally(secret: bool = False) -> Tally:
    remarks = tuple((Choice.AGREE_WITH_REMARKS, LONG_REMARK + str(i)) for i in range(10))
    return Tally(counts(), 50, 60, remarks)


def closed(secret: bool = False, outcome: Outcome = Outcome.PASSED) -> Vote:
    return vote(secret=secret, live_tally=not secret, status=VoteStatus.CLOSED, outcome=outcome,
                final=final_tally(secret), closed_at=DEADLINE, closed_by="system", version=3)


def open_view(secret: bool = False, live: bool = True) -> VoteView:
    v = vote(secret=secret, live_tally=live and not secret)
    counted = Tally(counts(), 50, 60, final_tally().comments)
    visible = counted if (live and not secret) else counted.turnout_only()
    return VoteView(v, visible, None if secret else lines(reveal=not visible.hidden))


def closed_view(secret: bool = False) -> VoteView:
    v = closed(secret)
    return VoteView(v, v.final, None if secret else lines())


def cancelled_view() -> VoteView:
    v = vote(status=VoteStatus.CANCELLED, closed_at=NOW + timedelta(hours=2), closed_by="kari-id",
             reason="Feil forslag lagt ut.", version=2)
    return VoteView(v, Tally({}, 12, 60, hidden=True), lines(reveal=False, voted=12))


def ballot(view: VoteView, entitled: bool = True, voted: bool = True, choice: Choice | None = Choice.AGREE,
           comment: str = "") -> MyBallot:
    return MyBallot(view.vote, entitled, voted, choice, comment, False, view.tally)


def hearing(**changes) -> Hearing:
    base = Hearing(id=3, title="Høring – endring i forskrift om medisinsk utstyr", sender="Helsedirektoratet",
                   received=date(2026, 11, 2), external_deadline=date(2027, 1, 29),
                   internal_deadline=date(2027, 1, 15), created_by="sigrid-id", created_at=NOW,
                   their_reference="25/12345", case_number="2026/01234", journal_number="26/01234-1",
                   document_links=("https://www.helsedirektoratet.no/horinger/medisinsk-utstyr",),
                   owner=VOTER_IDS[0], owner_name=VOTER_NAMES[0], draft_text="Rådet støtter forslaget.",
                   status=HearingStatus.IN_PROGRESS, version=4)
    return replace(base, **changes)


MEMBERS = [Member(aad, name, roles=frozenset({Role.MEMBER})) for aad, name in zip(VOTER_IDS, VOTER_NAMES,
                                                                                    strict=True)]
MEETINGS = [Meeting(i + 1, date(2027, 1, 5) + timedelta(weeks=4 * i)) for i in range(8)]


def register(count: int = 40) -> list[HearingLine]:
    statuses = list(HearingStatus)
    return [HearingLine(hearing(id=i + 1, title=f"Høring nr. {i} om en lang og detaljert forskriftsendring " * 3,
                                status=statuses[i % len(statuses)],
                                document_links=tuple(f"https://example.org/dokument/{i}/{n}" for n in range(10))),
                        ("hearings.warn.internal_passed", "hearings.warn.external_passed") if i % 3 == 0 else (),
                        MEETINGS[0] if i % 4 == 0 else None)
            for i in range(count)]


# --- walking cards ---------------------------------------------------------------------------------------------------


def texts(payload: dict) -> str:
    parts = [str(e.get("text", "")) for e in elements(payload) if e.get("type") == "TextBlock"]
    parts += [f"{f.get('title')}: {f.get('value')}" for e in elements(payload) if e.get("type") == "FactSet"
              for f in e["facts"]]
    return "\n".join(parts)


def size(payload: dict) -> int:
    return max(len(json.dumps(payload).encode()), len(json.dumps(payload, ensure_ascii=False).encode()))


def casts(payload: dict) -> list[dict]:
    return [a for a in of_type(payload, "Action.Execute") if a["verb"] == VOTE_CAST]


ALL_CARDS = {
    "shared_open_named_live": lambda: shared_vote_card(open_view(), TEAMS_IDS),
    "shared_open_named_hidden": lambda: shared_vote_card(open_view(live=False), TEAMS_IDS),
    "shared_open_secret": lambda: shared_vote_card(open_view(secret=True), TEAMS_IDS),
    "shared_closed_named": lambda: shared_vote_card(closed_view()),
    "shared_closed_secret": lambda: shared_vote_card(closed_view(secret=True)),
    "shared_cancelled": lambda: shared_vote_card(cancelled_view()),
    "shared_closed_named_en": lambda: shared_vote_card(closed_view(), (), "en-US"),
    "mine_voter_manager": lambda: my_vote_card(ballot(open_view(), choice=Choice.AGREE_WITH_REMARKS,
                                                      comment=LONG_REMARK), open_view(), TEAMS_IDS,
                                               is_manager=True, error="Noe gikk galt"),
    "mine_closed_named": lambda: my_vote_card(ballot(closed_view()), closed_view(), TEAMS_IDS, is_manager=True),
    "mine_not_entitled": lambda: my_vote_card(ballot(open_view(), entitled=False, voted=False, choice=None),
                                              open_view(), TEAMS_IDS),
    "not_entitled": lambda: not_entitled_card(closed_view(), "nb-NO"),
    "result_named": lambda: result_post_card(closed(), final_tally(), Outcome.PASSED, lines()),
    "result_secret_en": lambda: result_post_card(closed(True), final_tally(True), Outcome.NO_QUORUM, None, "en-US"),
    "reminder": lambda: reminder_card(vote(), "nb-NO"),
    "extended_en": lambda: extended_card(vote(extensions=1), "en-US"),
    "form_plain": lambda: vote_form_card(None, DEADLINE, "nb-NO"),
    "form_hearing_long_draft": lambda: vote_form_card(hearing(draft_text="Utkast æøå " * 1900), DEADLINE, "nb-NO",
                                                      error="Fristen må være fram i tid.",
                                                      pii_fields=["proposal"]),
    "admin_open": lambda: vote_admin_card(open_view(), "nb-NO"),
    "admin_closed": lambda: vote_admin_card(closed_view(), "nb-NO", csv_url="https://bot/x.csv",
                                            pdf_url="https://bot/x.pdf"),
    "hearings_organiser_40": lambda: hearings_card(register(), "nb-NO", True, "Lagret", None, MEETINGS),
    "hearings_member": lambda: hearings_card(register(5), "en-US", False),
    "hearings_empty": lambda: hearings_card([], "nb-NO", True),
    "hearing_form_new_60": lambda: hearing_form_card(MEMBERS, "nb-NO"),
    "hearing_form_edit_long_draft": lambda: hearing_form_card(
        MEMBERS, "nb-NO", errors={"case_number": "hearings.error.too_long"},
        hearing=hearing(draft_text="Utkast æøå " * 1900), pii_fields=["draft_text"]),
}


# --- every card ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("build", ALL_CARDS.values(), ids=ALL_CARDS.keys())
def test_every_card_is_adaptive_card_1_5_within_teams_size(build):
    payload = build()

    assert payload["type"] == "AdaptiveCard" and payload["version"] == "1.5"
    assert size(payload) < TEAMS_MAX_BYTES


@pytest.mark.parametrize("build", ALL_CARDS.values(), ids=ALL_CARDS.keys())
def test_every_input_is_labelled_unique_and_explains_itself(build):
    payload = build()
    found = of_type(payload, "Input.")

    ids = [element["id"] for element in found]
    assert len(ids) == len(set(ids))
    for element in found:
        assert str(element.get("label", "")).strip(), element["id"]
        if element.get("isRequired"):
            assert str(element.get("errorMessage", "")).strip(), element["id"]


@pytest.mark.parametrize("build", ALL_CARDS.values(), ids=ALL_CARDS.keys())
def test_no_action_row_has_more_than_five_buttons(build):
    # Adaptive Cards hosts (Teams among them) show at most 5 actions in a row and drop the rest
    for element in elements(build()):
        if element.get("type") in ("AdaptiveCard", "ActionSet"):
            assert len(element.get("actions", [])) <= 5


@pytest.mark.parametrize("build", ALL_CARDS.values(), ids=ALL_CARDS.keys())
def test_every_execute_verb_exists_in_cards_actions(build):
    for action in of_type(build(), "Action.Execute"):
        assert action["verb"] in KNOWN_VERBS
        assert action["title"].strip()


def test_the_named_closed_card_with_sixty_voters_and_long_remarks_is_really_big_and_still_fits():
    view = closed_view()
    heavy = tuple(replace(line, voted=True, choice=line.choice or Choice.DISAGREE, comment=LONG_REMARK)
                  for line in lines())
    payload = shared_vote_card(VoteView(view.vote, view.tally, heavy))

    assert 15 * 1024 < size(payload) < TEAMS_MAX_BYTES
    assert "Vi ber om" in texts(payload)  # shortened remarks, not none
    assert texts(payload).count("Kristoffersen-Ødegård") == 60


# --- the shared card -------------------------------------------------------------------------------------------------


def test_open_named_vote_has_a_refresh_block_for_the_given_users():
    payload = shared_vote_card(open_view(), TEAMS_IDS[:5])

    assert payload["refresh"] == {
        "action": {"type": "Action.Execute", "title": "Oppdater", "verb": VOTE_REFRESH, "data": {"vote_id": "7"}},
        "userIds": list(TEAMS_IDS[:5])}


def test_refresh_lists_at_most_sixty_users():
    assert shared_vote_card(open_view(), TEAMS_IDS)["refresh"]["userIds"] == list(TEAMS_IDS[:60])


def test_open_vote_offers_every_option_as_a_cast_button():
    payload = shared_vote_card(open_view(), TEAMS_IDS)

    buttons = {a["title"]: a for a in payload["actions"]}
    assert list(buttons) == ["Enig", "Enig med merknader", "Uenig", "Avstår"]
    for label, choice in (("Enig", "enig"), ("Uenig", "uenig"), ("Avstår", "avstar")):
        assert buttons[label]["type"] == "Action.Execute"
        assert buttons[label]["verb"] == VOTE_CAST
        assert buttons[label]["data"] == {"vote_id": "7", "choice": choice}


def test_agree_with_remarks_asks_for_the_required_remark_first():
    show = next(a for a in shared_vote_card(open_view())["actions"] if a["title"] == "Enig med merknader")

    assert show["type"] == "Action.ShowCard"
    remark = show["card"]["body"][0]
    assert remark["type"] == "Input.Text" and remark["id"] == "comment_7" and remark["isRequired"]
    assert remark["label"] == "Skriv merknaden din" and remark["errorMessage"]
    send = show["card"]["actions"][0]
    assert send["verb"] == VOTE_CAST and send["data"] == {"vote_id": "7", "choice": "enig_med_merknader"}


def test_shared_card_shows_deadline_mode_and_turnout():
    shown = texts(shared_vote_card(open_view(live=False)))

    assert "Frist: tirsdag 15. desember 2026 kl. 12.00" in shown
    assert "Navngitt avstemning" in shown
    assert "Beslutningsdyktig når mer enn halvparten har stemt" in shown
    assert "Vedtatt med flere Enig enn Uenig (Avstår teller ikke)" in shown
    assert "50 av 60 har stemt" in shown


def test_shared_card_in_english_writes_the_deadline_the_english_way():
    assert "Deadline: Tuesday 15 December 2026 12:00" in texts(shared_vote_card(open_view(), (), "en-US"))


def test_named_live_vote_shows_counts_while_open_but_not_who_voted_what():
    payload = shared_vote_card(open_view())

    assert "Enig: 20" in texts(payload) and "Uenig: 15" in texts(payload)
    assert VOTER_NAMES[0] not in json.dumps(payload, ensure_ascii=False)


def test_named_vote_without_live_tally_shows_turnout_only_while_open():
    shown = texts(shared_vote_card(open_view(live=False)))

    assert "Enig: 20" not in shown
    assert "Stemmetallet vises når avstemningen er avsluttet." in shown


def test_closed_named_card_lists_who_voted_what_and_the_result_without_buttons():
    payload = shared_vote_card(closed_view(), TEAMS_IDS)
    shown = texts(payload)

    assert "actions" not in payload and "refresh" not in payload
    assert "Resultat: Vedtatt" in shown
    assert "Slik stemte medlemmene" in shown
    assert f"{VOTER_NAMES[0]}: Enig" in shown
    assert f"{VOTER_NAMES[25]}: Enig med merknader – «Vi ber om" in shown
    assert f"{VOTER_NAMES[40]}: Uenig" in shown
    assert f"{VOTER_NAMES[59]}: stemte ikke" in shown


@pytest.mark.parametrize(("outcome", "label"), [(Outcome.PASSED, "Vedtatt"), (Outcome.NOT_PASSED, "Ikke vedtatt"),
                                                (Outcome.NO_QUORUM, "Ikke beslutningsdyktig (for få stemte)")])
def test_result_post_states_the_outcome(outcome, label):
    payload = result_post_card(closed(outcome=outcome), final_tally(), outcome, lines())

    assert payload["body"][1]["text"] == label
    assert "50 av 60 har stemt" in texts(payload)


def test_cancelled_vote_says_so_without_buttons_or_refresh():
    payload = shared_vote_card(cancelled_view(), TEAMS_IDS)

    assert "actions" not in payload and "refresh" not in payload
    assert "Avstemningen er trukket" in texts(payload)
    assert "Begrunnelse: Feil forslag lagt ut." in texts(payload)


def test_long_proposal_is_shortened_on_the_card():
    payload = shared_vote_card(VoteView(vote(proposal="Langt forslag. " * 1500), Tally({}, 0, 60, hidden=True),
                                        None))

    assert size(payload) < 6 * 1024
    assert " …" in texts(payload)


# --- secret votes ----------------------------------------------------------------------------------------------------


def secret_outputs() -> list[str]:
    named_lines = lines()  # passed by mistake: a secret vote must ignore them
    open_secret = open_view(secret=True)
    closed_secret = closed_view(secret=True)
    export = VoteExport(closed(True), final_tally(True), Outcome.PASSED, named_lines, named_lines)
    document = vote_result_document(export, OSLO)
    payloads = [
        shared_vote_card(open_secret, TEAMS_IDS),
        shared_vote_card(VoteView(closed_secret.vote, closed_secret.tally, named_lines)),
        my_vote_card(ballot(open_secret, choice=None), open_secret, TEAMS_IDS, is_manager=True),
        my_vote_card(ballot(closed_secret, choice=None), VoteView(closed_secret.vote, closed_secret.tally,
                                                                  named_lines)),
        result_post_card(closed(True), final_tally(True), Outcome.PASSED, named_lines),
        vote_admin_card(closed_secret, "nb-NO"),
        CardVoteMessages().vote_card(closed(True), final_tally(True), named_lines),
        CardVoteMessages().result_post(closed(True), final_tally(True), Outcome.PASSED, named_lines),
    ]
    return ([json.dumps(p, ensure_ascii=False) for p in payloads]
            + [vote_result_csv(export, OSLO).decode("utf-8-sig"), repr(document)])


def test_secret_vote_never_shows_a_name_or_an_id_in_any_card_csv_or_document():
    for output in secret_outputs():
        for name, aad in zip(VOTER_NAMES, VOTER_IDS, strict=True):
            assert name not in output
            assert aad not in output
        assert "Kristoffersen" not in output


def test_secret_vote_shows_turnout_only_while_open():
    shown = texts(shared_vote_card(open_view(secret=True)))

    assert "Hemmelig avstemning" in shown
    assert "50 av 60 har stemt" in shown
    assert "Enig: 20" not in shown and "Vi ber om" not in shown


def test_closed_secret_vote_shows_counts_and_anonymous_remarks():
    shown = texts(shared_vote_card(closed_view(secret=True)))

    assert "Enig: 20" in shown and "Avstår: 5" in shown
    assert "Merknader (uten navn)" in shown
    assert "Slik stemte medlemmene" not in shown


def test_secret_csv_has_counts_and_no_voter_section():
    export = VoteExport(closed(True), final_tally(True), Outcome.PASSED, (), ())
    rows = list(csv.reader(io.StringIO(vote_result_csv(export, OSLO).decode("utf-8-sig")), delimiter=";"))

    assert ["Enig", "20"] in rows and ["Uenig", "15"] in rows
    assert not any(row and row[0] == "Navn" for row in rows)
    assert not any(row and row[0].startswith("Historikk") for row in rows)


# --- the user-specific view ------------------------------------------------------------------------------------------


def test_my_card_tells_a_voter_what_they_chose_and_keeps_the_refresh_block():
    view = open_view()
    payload = my_vote_card(ballot(view, choice=Choice.AGREE), view, TEAMS_IDS[:3])

    assert "Du har stemt Enig — endre" in texts(payload)
    assert payload["refresh"] == shared_vote_card(view, TEAMS_IDS[:3])["refresh"]
    assert [a["data"]["choice"] for a in casts(payload)] == ["enig", "enig_med_merknader", "uenig", "avstar"]
    assert payload["actions"][0]["title"] == "✓ Enig"


def test_my_card_before_voting_says_so():
    view = open_view()

    assert "Du har ikke stemt ennå" in texts(my_vote_card(ballot(view, voted=False, choice=None), view))


def test_my_card_keeps_my_remark_in_the_remark_form():
    view = open_view()
    payload = my_vote_card(ballot(view, choice=Choice.AGREE_WITH_REMARKS, comment="Husk punkt 3."), view)

    remark = next(e for e in of_type(payload, "Input.Text") if e["id"] == "comment_7")
    assert remark["value"] == "Husk punkt 3."
    assert "Du har stemt Enig med merknader — endre" in texts(payload)


def test_someone_not_entitled_gets_no_buttons_and_is_told_why():
    view = open_view()
    payload = my_vote_card(ballot(view, entitled=False, voted=False, choice=None), view, TEAMS_IDS[:2])

    assert "Du har ikke stemmerett i denne avstemningen" in texts(payload)
    assert casts(payload) == []
    assert payload["refresh"]["userIds"] == list(TEAMS_IDS[:2])


def test_not_entitled_card_has_no_buttons():
    payload = not_entitled_card(open_view(), "nb-NO")

    assert "Du har ikke stemmerett i denne avstemningen" in texts(payload)
    assert casts(payload) == [] and "actions" not in payload


def test_my_card_for_a_secret_vote_does_not_know_my_choice_afterwards():
    view = open_view(secret=True)

    shown = texts(my_vote_card(ballot(view, choice=None), view))
    assert "Du har stemt. Stemmen er hemmelig" in shown


def test_manager_gets_the_organiser_tools_in_their_own_view():
    view = open_view()
    payload = my_vote_card(ballot(view), view, is_manager=True)

    assert len(casts(payload)) == 4
    assert VOTE_CLOSE in [a["verb"] for a in of_type(payload, "Action.Execute")]
    assert VOTE_CLOSE not in [a.get("verb") for a in payload["actions"]]  # the options keep the card's buttons


# --- the organiser ---------------------------------------------------------------------------------------------------


def test_manage_actions_of_an_open_vote_close_extend_and_cancel():
    actions = manage_actions(vote())

    assert actions[0] == {"type": "Action.Execute", "title": "Avslutt nå", "verb": VOTE_CLOSE,
                          "data": {"vote_id": "7"}, "associatedInputs": "none"}
    extend, cancel = actions[1], actions[2]
    assert extend["title"] == "Forleng fristen" and extend["card"]["actions"][0]["verb"] == VOTE_EXTEND
    assert {e["id"] for e in of_type(extend, "Input.")} == {"extend_date", "extend_time"}
    assert next(e for e in of_type(extend, "Input.") if e["id"] == "extend_date")["value"] == "2026-12-16"
    assert cancel["title"] == "Trekk" and cancel["card"]["actions"][0]["verb"] == VOTE_CANCEL
    assert [e["id"] for e in of_type(cancel, "Input.")] == ["cancel_reason"]


def test_manage_actions_of_a_closed_vote_export_the_result():
    assert [(a["title"], a["verb"]) for a in manage_actions(closed())] == [("Eksporter resultat", VOTE_EXPORT)]
    assert manage_actions(cancelled_view().vote) == []


def test_admin_card_offers_downloads_when_given():
    payload = vote_admin_card(closed_view(), "nb-NO", csv_url="https://bot/r.csv", pdf_url="https://bot/r.pdf")

    assert [a["url"] for a in payload["actions"] if a["type"] == "Action.OpenUrl"] == ["https://bot/r.csv",
                                                                                      "https://bot/r.pdf"]


def test_vote_form_has_every_input():
    payload = vote_form_card(None, DEADLINE, "nb-NO")
    by_id = {e["id"]: e for e in of_type(payload, "Input.")}

    assert set(by_id) == {"question", "proposal", "deadline_date", "deadline_time", "secret", "live_tally", "quorum",
                          "majority"}
    assert by_id["deadline_date"]["type"] == "Input.Date" and by_id["deadline_date"]["value"] == "2026-12-15"
    assert by_id["deadline_time"]["type"] == "Input.Time" and by_id["deadline_time"]["value"] == "12:00"
    assert by_id["secret"]["valueOn"] == "true" and by_id["secret"]["valueOff"] == "false"
    assert by_id["secret"]["value"] == "false" and by_id["live_tally"]["value"] == "true"
    assert [c["value"] for c in by_id["quorum"]["choices"]] == [q.value for q in Quorum]
    assert [c["value"] for c in by_id["majority"]["choices"]] == [m.value for m in Majority]
    assert by_id["proposal"]["isRequired"]
    assert payload["actions"] == [{"type": "Action.Execute", "title": "Åpne avstemningen", "verb": VOTE_OPEN,
                                   "data": {}}]


def test_vote_form_for_a_hearing_is_prefilled_from_its_draft():
    payload = vote_form_card(hearing(), DEADLINE, "nb-NO")
    by_id = {e["id"]: e for e in of_type(payload, "Input.")}

    assert by_id["proposal"]["value"] == "Rådet støtter forslaget."
    assert not by_id["proposal"].get("isRequired")
    assert "«Høring – endring i forskrift om medisinsk utstyr»" in by_id["question"]["value"]
    assert payload["actions"][0]["data"] == {"hearing_id": "3"}


def test_vote_form_for_a_hearing_with_a_huge_draft_leaves_it_to_the_service():
    payload = vote_form_card(hearing(draft_text="Utkast æøå " * 1900), DEADLINE, "nb-NO")
    by_id = {e["id"]: e for e in of_type(payload, "Input.")}

    assert "value" not in by_id["proposal"]
    assert "La feltet stå tomt" in texts(payload)


def test_vote_form_keeps_what_was_sent_after_an_error():
    values = {"question": "Nytt spørsmål?", "proposal": "Tekst", "deadline_date": "2027-01-04",
              "deadline_time": "15:30", "secret": "true", "live_tally": "false", "quorum": "none",
              "majority": "two_thirds"}
    by_id = {e["id"]: e for e in of_type(vote_form_card(None, DEADLINE, "nb-NO", "Feil", values), "Input.")}

    assert {key: by_id[key]["value"] for key in values} == values


def test_reminder_names_the_deadline_and_offers_the_buttons():
    payload = reminder_card(vote(), "nb-NO")

    assert ("Avstemningen «Skal rådet vedta høringssvaret om ny forskrift?» avsluttes tirsdag 15. desember 2026 "
            "kl. 12.00. Du har ikke stemt ennå.") in texts(payload)
    assert len(casts(payload)) == 4


def test_extended_card_gives_the_new_deadline():
    assert "forlenget til tirsdag 15. desember 2026 kl. 12.00" in texts(extended_card(vote(), "nb-NO"))


# --- CSV and PDF ----------------------------------------------------------------------------------------------------


def named_export(**changes) -> VoteExport:
    v = closed(**changes)
    history = (VoterLine(VOTER_IDS[0], VOTER_NAMES[0], True, Choice.DISAGREE, "", NOW),
               VoterLine(VOTER_IDS[0], VOTER_NAMES[0], True, Choice.AGREE, "", NOW + timedelta(hours=1)))
    return VoteExport(v, v.final, v.outcome, lines(), history)


def test_csv_is_utf8_with_bom_and_semicolons_with_one_row_per_voter_and_the_history():
    data = vote_result_csv(named_export(), OSLO)

    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Spørsmål", "Skal rådet vedta høringssvaret om ny forskrift?"]
    assert ["Resultat", "Vedtatt"] in rows
    assert ["Enig", "20"] in rows
    voter_rows = [row for row in rows if row and row[0] in VOTER_NAMES and len(row) == 4]
    assert len(voter_rows) == 60
    assert voter_rows[0] == [VOTER_NAMES[0], "Enig", "", "10.12.2026 10:00"]
    assert [VOTER_NAMES[59], "Stemte ikke", "", ""] in voter_rows
    history_at = next(i for i, row in enumerate(rows) if row and row[0].startswith("Historikk"))
    assert rows[history_at + 2] == ["10.12.2026 10:00", VOTER_NAMES[0], "Uenig", ""]
    assert rows[history_at + 3] == ["10.12.2026 11:00", VOTER_NAMES[0], "Enig", ""]


def test_csv_cells_cannot_run_as_formulas():
    export = named_export()
    export = replace(export, vote=replace(export.vote, question="=HYPERLINK(\"http://x\")"))

    rows = list(csv.reader(io.StringIO(vote_result_csv(export, OSLO).decode("utf-8-sig")), delimiter=";"))
    assert rows[0][1].startswith("'=")


def test_result_document_for_the_archive():
    document = vote_result_document(named_export(), OSLO)

    assert document.title == "Resultat av avstemning – Skal rådet vedta høringssvaret om ny forskrift?"
    assert document.status == "Vedtatt"
    assert document.date_text == "tirsdag 15. desember 2026" and document.time_text == "kl. 12.00"
    titles = [item.title for item in document.items]
    assert titles == ["Forslag", "Stemmer", "Resultat", "Slik stemte medlemmene", "Historikk (alle stemmer og "
                      "endringer)"]
    assert "Enig: 20" in document.items[1].extra
    assert f"{VOTER_NAMES[40]}: Uenig" in document.items[3].extra


def test_result_pdf_is_rendered_by_cards_pdf():
    data = vote_result_pdf(named_export(), OSLO)

    assert data.startswith(b"%PDF-")
    assert vote_result_pdf(named_export(), OSLO) == data  # stable bytes for the archive
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Avstemningen" in text and "Saker" not in text and "Til stede" not in text  # not a meeting's minutes
    assert reader.metadata.subject.startswith("Resultat av avstemning")


# --- hearings ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "label"), [
    (HearingStatus.RECEIVED, "Mottatt"), (HearingStatus.IN_PROGRESS, "Under arbeid"),
    (HearingStatus.TO_VOTE, "Til avstemning"), (HearingStatus.TO_MEETING, "Til behandling i møte"),
    (HearingStatus.DECIDED, "Vedtatt"), (HearingStatus.SENT, "Sendt"), (HearingStatus.NO_COMMENTS, "Ingen merknader"),
    (HearingStatus.NOT_ANSWERED, "Ikke besvart")])
def test_register_shows_each_status_in_norwegian(status, label):
    payload = hearings_card([HearingLine(hearing(status=status), ())], "nb-NO", False)

    assert label in texts(payload)


def test_register_shows_deadlines_owner_and_warnings_in_attention():
    line = HearingLine(hearing(), ("hearings.warn.internal_passed",), MEETINGS[0])
    payload = hearings_card([line], "nb-NO", False)
    shown = texts(payload)

    assert "Høringsfrist: 29. januar 2027 · Intern frist: 15. januar 2027" in shown
    assert f"Ansvarlig: {VOTER_NAMES[0]}" in shown
    warning = next(e for e in elements(payload) if "Intern frist er passert" in str(e.get("text", "")))
    assert warning["color"] == "Attention"
    assert "Behandles i møte tirsdag 5. januar 2027" in shown


def test_register_for_organisers_changes_status_puts_on_agenda_and_opens_a_vote():
    payload = hearings_card([HearingLine(hearing(), ())], "nb-NO", True, meetings=MEETINGS[:2])
    verbs = {a["verb"]: a for a in of_type(payload, "Action.Execute")}

    assert verbs[HEARING_STATUS]["data"] == {"hearing_id": "3", "version": "4"}
    assert verbs[HEARING_AGENDA]["data"] == {"hearing_id": "3", "version": "4"}
    assert verbs[VOTE_FORM]["data"] == {"hearing_id": "3"}
    status = next(e for e in of_type(payload, "Input.") if e["id"] == "status_3")
    assert "til_avstemning" not in [c["value"] for c in status["choices"]]  # only by opening a vote
    assert [c["value"] for c in next(e for e in of_type(payload, "Input.") if e["id"] == "meeting_3")["choices"]] == [
        "1", "2"]
    assert any(a["title"] == "Sett på saksliste" for a in of_type(payload, "Action.ShowCard"))


def test_register_for_members_has_no_tools():
    payload = hearings_card([HearingLine(hearing(), ())], "nb-NO", False, meetings=MEETINGS)

    assert of_type(payload, "Input.") == []
    assert {a["verb"] for a in of_type(payload, "Action.Execute")} == {card_actions.HEARING_LIST}


def test_hearing_form_has_every_field_with_its_label():
    payload = hearing_form_card(MEMBERS, "nb-NO")
    labels = {e["id"]: e["label"] for e in of_type(payload, "Input.")}

    assert labels == {
        "title": "Tittel", "sender": "Avsender", "their_reference": "Deres referanse",
        "our_reference": "Vår referanse / saksnummer", "journal_number": "Journalpostnummer (innkommende)",
        "received": "Mottatt dato", "external_deadline": "Høringsfrist", "internal_deadline": "Intern frist",
        "links": "Lenke til høringsdokumenter", "owner": "Ansvarlig", "draft_text": "Utkast til høringssvar",
        "draft_link": "Lenke til utkast"}
    shown = texts(payload)
    assert "Standard: 10 arbeidsdager før høringsfristen" in shown
    assert "pasientopplysninger" in shown
    by_id = {e["id"]: e for e in of_type(payload, "Input.")}
    assert by_id["received"]["type"] == "Input.Date" and by_id["received"]["isRequired"]
    assert not by_id["internal_deadline"].get("isRequired")
    assert len(by_id["owner"]["choices"]) == 60
    assert payload["actions"][0]["verb"] == HEARING_SAVE and payload["actions"][0]["data"] == {}


def test_hearing_form_for_an_edit_is_prefilled_and_carries_id_and_version():
    payload = hearing_form_card(MEMBERS, "nb-NO", errors={"case_number": "hearings.error.too_long"},
                                hearing=hearing())
    by_id = {e["id"]: e for e in of_type(payload, "Input.")}

    assert by_id["our_reference"]["value"] == "2026/01234"
    assert by_id["external_deadline"]["value"] == "2027-01-29"
    assert by_id["owner"]["value"] == VOTER_IDS[0]
    assert payload["actions"][0]["data"] == {"hearing_id": "3", "version": "4"}
    body_ids = [e.get("id") or e.get("text") for e in payload["body"]]
    assert body_ids[body_ids.index("our_reference") + 1] == "Teksten er for lang (høyst 200 tegn)."


def test_hearing_form_keeps_a_draft_too_long_for_a_card():
    payload = hearing_form_card(MEMBERS, "nb-NO", hearing=hearing(draft_text="Utkast æøå " * 1900))

    assert "draft_text" not in {e["id"] for e in of_type(payload, "Input.")}
    assert payload["actions"][0]["data"]["keep_draft"] == "true"


# --- the port ---------------------------------------------------------------------------------------------------------


def port_methods() -> list[str]:
    return [name for name, _ in inspect.getmembers(VoteMessages, inspect.isfunction) if not name.startswith("_")]


def test_card_vote_messages_implements_every_method_of_the_port():
    messages = CardVoteMessages()

    assert port_methods()
    for name in port_methods():
        wanted = [p for p in inspect.signature(getattr(VoteMessages, name)).parameters if p != "self"]
        got = inspect.signature(getattr(messages, name)).parameters
        assert list(got)[:len(wanted)] == wanted, name


def test_card_vote_messages_give_activities_with_a_card_and_a_summary():
    messages = CardVoteMessages()
    produced = [messages.vote_card(vote(), Tally(counts(), 50, 60), lines(), refresh_ids=TEAMS_IDS[:2]),
                messages.result_post(closed(), final_tally(), Outcome.PASSED, lines()),
                messages.reminder(vote(), "en-US"), messages.extended(vote(), None)]

    for item in produced:
        assert item["type"] == "message" and item["summary"]
        assert item["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
        assert item["attachments"][0]["content"]["version"] == "1.5"
    assert produced[0]["attachments"][0]["content"]["refresh"]["userIds"] == list(TEAMS_IDS[:2])
    assert produced[2]["summary"].startswith("The vote «")


def test_card_vote_messages_can_look_up_refresh_ids_itself():
    messages = CardVoteMessages(refresh_ids_for=lambda v: TEAMS_IDS[:3])

    card = messages.vote_card(vote(), Tally(counts(), 50, 60), lines())["attachments"][0]["content"]
    assert card["refresh"]["userIds"] == list(TEAMS_IDS[:3])


def test_hearing_form_sent_again_after_an_error_stays_an_edit_and_keeps_the_long_draft():
    sent = {"hearing_id": "3", "version": "4", "keep_draft": "true", "title": "", "sender": "Hdir"}
    payload = hearing_form_card(MEMBERS, "nb-NO", values=sent, errors={"title": "hearings.error.title_required"})

    assert payload["actions"][0]["data"] == {"hearing_id": "3", "version": "4", "keep_draft": "true"}
    assert "draft_text" not in {e["id"] for e in of_type(payload, "Input.")}
    assert "Skriv tittelen på høringen." in texts(payload)
