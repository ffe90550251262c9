"""Meeting cards: møteplan, saksliste, innkalling, referat, oppfølgingsliste, their channel messages and documents."""
from __future__ import annotations

import inspect
import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import cards.actions as card_actions
from cards.actions import (
    AGENDA_MOVE,
    AGENDA_SET,
    ATTENDANCE_ABSENT,
    FOLLOWUP_STATUS,
    MEETING_PLAN_SAVE,
    MINUTES_APPROVE,
    MINUTES_RECORD,
    NOTICE_PUBLISH,
)
from cards.agenda import agenda_card, deputy_invitation_card, notice_card, notice_update_card
from cards.case_messages import notice_text
from cards.case_papers import paper_card
from cards.meeting_messages import CardMeetingMessages, standing_titles
from cards.meetings import action_assigned_card, follow_up_card, meetings_card, plan_card, plan_note
from cards.minutes import minutes_approved_card, minutes_card, minutes_draft_card
from cards.record_models import minutes_model, notice_model
from cards.records_md import render_markdown
from cards.records_pdf import render_pdf
from cards.texts import CATALOGUES, nb_meetings, t
from council.agenda import AgendaItem, ItemKind, default_items
from council.cases import Case, CaseStatus, CaseType
from council.meetings import DeadlineRules, Meeting, MeetingStatus
from council.members import Member, Role
from council.minutes import ANY_OTHER_DECISION, ActionItem, ActionStatus, Attendance, ItemRecord, Outcome
from council.planning import ProposedMeeting
from council.records import attendance_sheet
from council.services.agenda import AgendaView
from council.services.minutes import MinutesView
from council.services.ports import MeetingMessages
from tests.cards_walk import elements, inputs

OSLO = ZoneInfo("Europe/Oslo")
RULES = DeadlineRules()
TEAMS_MAX_BYTES = 28 * 1024
TODAY = date(2027, 1, 5)
KNOWN_VERBS = {v for k, v in vars(card_actions).items() if k.isupper() and isinstance(v, str)}

KARI = Member("kari-id", "Kari Nordmann", roles=frozenset({Role.LEADER}))
SIGRID = Member("sigrid-id", "Sigrid Sæther", roles=frozenset({Role.SECRETARY}))
OLA = Member("ola-id", "Ola Hansen", roles=frozenset({Role.MEMBER}), unit="Medisinsk klinikk")
ASE = Member("ase-id", "Åse Bråten", roles=frozenset({Role.MEMBER}), unit="Kirurgisk klinikk")
INGRID = Member("ingrid-id", "Ingrid Berg", roles=frozenset({Role.DEPUTY}), deputy_for="ola-id")
MEMBERS = [KARI, SIGRID, OLA, ASE, INGRID]
NAMES = {m.aad_object_id: m.name for m in MEMBERS}


def roster(count: int = 25) -> list[Member]:
    """A full council: long names and real-looking AAD ids (the longest owner and attendance lists)."""
    return [Member(f"{i:08d}-0000-4000-8000-{i:012d}", f"Ingrid Marie Kristoffersen-Ødegård {i:02d}",
                   roles=frozenset({Role.MEMBER})) for i in range(count)]


# --- Fixtures built by hand -----------------------------------------------------------------------------------------


def meeting(**changes) -> Meeting:
    base = Meeting(1, date(2027, 1, 12), time(9, 0), time(11, 0), "Tønsberg, Fjordsalen",
                   notice_published_at=datetime(2027, 1, 5, 6, 0, tzinfo=UTC))
    return replace(base, **changes)


NEXT = Meeting(2, date(2027, 2, 9), time(9, 0), time(11, 0), "Teams")


def case(case_id: int, title: str, case_type: CaseType, links: tuple[str, ...] = ()) -> Case:
    return Case(case_id, 2026, case_id, title, "Beskrivelse", "Medisinsk klinikk", case_type, "ola-id", "Ola Hansen",
                datetime(2026, 12, 1, 9, tzinfo=UTC), f"key-{case_id}", status=CaseStatus.ON_AGENDA, meeting_id=1,
                final_type=case_type, links=links)


def agenda_items(cases: int = 2, numbered: bool = True) -> tuple[list[AgendaItem], dict[int, Case]]:
    """Opening items, `cases` cases of changing types, one added standing item, Eventuelt; Sak 01/27 onwards."""
    titles = standing_titles()
    items = [AgendaItem(10 + n, 1, n, kind, titles[kind]) for n, kind in enumerate(
        (ItemKind.APPROVE_NOTICE, ItemKind.APPROVE_MINUTES, ItemKind.FOLLOW_UP))]
    types = (CaseType.BESLUTNING, CaseType.DROFTING, CaseType.ORIENTERING, CaseType.HORING)
    found = {}
    for n in range(cases):
        kind = types[n % len(types)]
        found[100 + n] = case(100 + n, f"Økt bruk av digitale skjemaer i poliklinikkene, del {n + 1}", kind,
                              links=(f"https://intranett.example/saker/{n}",))
        items.append(AgendaItem(20 + n, 1, len(items), ItemKind.CASE, found[100 + n].title, case_id=100 + n,
                                case_type=kind, presenter="Åse Bråten", minutes=10))
    items.append(AgendaItem(90, 1, len(items), ItemKind.STANDING, "Oppfølging fra PASK"))
    items.append(AgendaItem(99, 1, len(items), ItemKind.ANY_OTHER, titles[ItemKind.ANY_OTHER]))
    if numbered:
        items = [replace(item, number=n + 1, year=2027) for n, item in enumerate(items)]
    return items, found


FOLLOW_UP = [ActionItem(7, 0, 3, "Lage plan for opplæring i DIPS", "ola-id", "Ola Hansen", date(2027, 1, 20)),
             ActionItem(8, 0, 4, "Sjekke rutine for ventelister", "ase-id", "Åse Bråten", date(2026, 12, 1),
                        ActionStatus.IN_PROGRESS)]


def agenda_view(cases: int = 2, numbered: bool = True, **meeting_changes) -> AgendaView:
    items, found = agenda_items(cases, numbered)
    attendance = {"kari-id": (Attendance.PRESENT, None), "sigrid-id": (Attendance.PRESENT, None),
                  "ase-id": (Attendance.PRESENT, None), "ola-id": (Attendance.ABSENT, "ingrid-id")}
    return AgendaView(meeting(**meeting_changes), items, found, list(FOLLOW_UP), attendance)


def filler(length: int) -> str:
    return ("Rådet ber sekretæren følge opp saken med klinikkene. " * (length // 40 + 1))[:length]


def minutes_view(cases: int = 2, text_length: int = 0, **meeting_changes) -> MinutesView:
    """Records for the first opening item, every case and Eventuelt; `text_length` more characters each."""
    agenda = agenda_view(cases, **meeting_changes)
    records = {10: ItemRecord(10, Outcome.DECIDED, "Innkalling og saksliste ble godkjent."),
               20: ItemRecord(20, Outcome.DECIDED, "Rådet slutter seg til forslaget. " + filler(text_length),
                              dissent="Åse Bråten mente at forslaget bør utsettes.",
                              protocol_entries=("Kjersti Ødegård ønsker protokollført at opplæring gis i "
                                                "arbeidstiden.",)),
               99: ItemRecord(99, Outcome.DECIDED, "Rådet vedtok å kjøpe kaffe.")}
    for item in agenda.items[4:-2]:
        records[item.id] = ItemRecord(item.id, Outcome.NOTED, "Rådet tar saken til orientering. " + filler(text_length))
    actions = [ActionItem(30, 1, 20, "Lage plan for opplæring", "ola-id", "Ola Hansen", date(2027, 6, 5))]
    return MinutesView(agenda, records, actions, sheet=attendance_sheet(MEMBERS, agenda.attendance))


PROPOSALS = [
    ProposedMeeting(date(2027, 1, 14), time(9, 0), time(11, 0), date(2027, 1, 11)),
    ProposedMeeting(date(2027, 3, 30), time(9, 0), time(11, 0), date(2027, 3, 23),
                    ("moved_past_holiday:Skjærtorsdag", "moved_past_blocked:2027-03-26")),
    ProposedMeeting(date(2027, 8, 12), time(9, 0), time(11, 0), None, ("no_pask_this_month",)),
    ProposedMeeting(date(2027, 12, 28), time(9, 0), time(11, 0), date(2027, 12, 21), ("moved_out_of_christmas",)),
]


# --- Card walking helpers -------------------------------------------------------------------------------------------


def input_ids(payload: dict) -> set[str]:
    return {e["id"] for e in inputs(payload)}


def executes(payload: dict) -> list[dict]:
    return [e for e in elements(payload) if e.get("type") == "Action.Execute"]


def all_text(payload: dict) -> str:
    """Every visible string, with the Markdown list escape ("5\\. juni") that cards.common may add undone."""
    return "\n".join(str(e.get(key, "")).replace("\\.", ".") for e in elements(payload)
                     for key in ("text", "title", "value") if isinstance(e.get(key), str))


def size(payload: dict) -> int:
    return max(len(json.dumps(payload).encode()), len(json.dumps(payload, ensure_ascii=False).encode()))


def documented() -> dict[str, tuple[set[str], list[str]]]:
    """verb → (data keys, input id patterns), read from the comments next to the verbs in cards/actions.py."""
    source = Path(card_actions.__file__).read_text(encoding="utf-8")
    result = {}
    for _name, verb, comment in re.findall(r'^([A-Z_]+) = "([^"]+)"(?:\s*#\s*(.*))?$', source, flags=re.M):
        data = re.match(r"\{([^}]*)\}", comment or "")
        keys = {k.split(":")[0].strip() for k in data.group(1).split(",")} if data else set()
        found = re.search(r"inputs? (.*)$", comment or "")
        patterns = [p.strip().split(" ")[0] for p in found.group(1).split(",")] if found else []
        result[verb] = (keys, patterns)
    return result


DOCUMENTED = documented()


# --- Every card -----------------------------------------------------------------------------------------------------

CARDS = {
    "plan": lambda: plan_card(2027, PROPOSALS, RULES, "nb-NO", skipped={7: "skip_month"}),
    "plan_empty_en": lambda: plan_card(2027, [], RULES, "en-US", error="x"),
    "plan_twelve": lambda: plan_card(2027, PROPOSALS * 3, RULES, "nb-NO"),
    "meetings_organiser": lambda: meetings_card([meeting(), NEXT, replace(NEXT, id=3, status=MeetingStatus.CANCELLED)],
                                                RULES, "nb-NO", True, message="Lagret", ics_url="https://x/ics"),
    "meetings_member_en": lambda: meetings_card([meeting(), NEXT], RULES, "en-US", False),
    "meetings_empty": lambda: meetings_card([], RULES, None, True, this_year=2026),
    "agenda_editable_15": lambda: agenda_card(agenda_view(10, numbered=False, notice_published_at=None), [NEXT],
                                              RULES, "nb-NO", True, pdf_url="https://x/n.pdf"),
    "agenda_published_en": lambda: agenda_card(agenda_view(), [NEXT], RULES, "en-GB", True),
    "agenda_readonly": lambda: agenda_card(agenda_view(), [NEXT], RULES, "nb-NO", False),
    "notice_15": lambda: notice_card(agenda_view(10), RULES, None, pdf_url="https://x/n.pdf"),
    "notice_update": lambda: notice_update_card(agenda_view(), [("date", "2027-01-19"), ("reordered", "")]),
    "deputy": lambda: deputy_invitation_card(agenda_view(), "Ola Hansen", "nb-NO"),
    "minutes_15_big_roster": lambda: minutes_card(minutes_view(10, text_length=400), roster(25), "nb-NO",
                                                  warnings=[ANY_OTHER_DECISION], pdf_url="https://x/m.pdf",
                                                  can_approve=True),
    "paper": lambda: paper_card(agenda_view(), agenda_view().items[3], "nb-NO", error="Feil"),
    "minutes_en": lambda: minutes_card(minutes_view(), MEMBERS, "en-US", message="Saved"),
    "minutes_locked": lambda: minutes_card(minutes_view(minutes_status="godkjent",
                                                        minutes_approved_at=datetime(2027, 2, 9, 12, tzinfo=UTC)),
                                           MEMBERS, "nb-NO"),
    "minutes_draft_15": lambda: minutes_draft_card(minutes_view(10, text_length=1500), None, "https://x/m.pdf"),
    "minutes_approved": lambda: minutes_approved_card(meeting(minutes_status="godkjent",
                                                              minutes_approved_at=datetime(2027, 2, 9, tzinfo=UTC))),
    "follow_up_owner": lambda: follow_up_card(FOLLOW_UP, TODAY, "nb-NO", OLA),
    "follow_up_empty_en": lambda: follow_up_card([], TODAY, "en-US", OLA),
    "action_assigned": lambda: action_assigned_card(FOLLOW_UP[0], "nb-NO"),
}


@pytest.mark.parametrize("build", CARDS.values(), ids=CARDS.keys())
def test_every_card_is_adaptive_card_1_5_and_fits_in_teams(build):
    payload = build()

    assert payload["type"] == "AdaptiveCard"
    assert payload["version"] == "1.5"
    assert payload["body"]
    assert size(payload) <= TEAMS_MAX_BYTES


@pytest.mark.parametrize("build", CARDS.values(), ids=CARDS.keys())
def test_inputs_have_labels_and_unique_ids(build):
    found = inputs(build())
    ids = [e["id"] for e in found]

    assert len(ids) == len(set(ids))
    for element in found:
        assert str(element.get("label", "")).strip(), element["id"]
        if element.get("isRequired"):
            assert str(element.get("errorMessage", "")).strip(), element["id"]


@pytest.mark.parametrize("build", CARDS.values(), ids=CARDS.keys())
def test_every_execute_uses_a_known_verb_with_its_documented_data_and_inputs(build):
    payload = build()
    ids = input_ids(payload)
    for action in executes(payload):
        assert action["title"].strip()
        assert action["verb"] in KNOWN_VERBS
        keys, patterns = DOCUMENTED[action["verb"]]
        assert set(action["data"]) == keys, action
        assert all(isinstance(v, str) for v in action["data"].values())
        own_id = next((action["data"][k] for k in ("item_id", "meeting_id", "action_id") if k in action["data"]), "")
        for pattern in patterns:
            assert pattern.replace("<id>", own_id).replace("<i>", "0") in ids, (action["verb"], pattern)


@pytest.mark.parametrize("build", CARDS.values(), ids=CARDS.keys())
def test_no_date_is_written_with_slashes(build):
    texts = [e["text"] for e in elements(build()) if e.get("type") == "TextBlock"]
    assert not any(re.search(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", value) for value in texts)


def test_the_big_cards_really_are_big():
    # Guards the size test against fixtures that silently got small.
    assert len(agenda_view(10).items) == 15
    assert size(CARDS["minutes_15_big_roster"]()) > 15 * 1024


# --- Møteplan -------------------------------------------------------------------------------------------------------


def test_plan_card_has_a_row_of_inputs_per_proposal_and_the_documented_save():
    payload = plan_card(2027, PROPOSALS, RULES, "nb-NO")
    by_id = {e["id"]: e for e in inputs(payload)}
    text = all_text(payload)

    assert "Møteplan 2027" in text
    assert by_id["date_1"]["value"] == "2027-03-30"
    assert by_id["start_1"]["value"] == "09:00" and by_id["end_1"]["value"] == "11:00"
    assert by_id["include_3"]["title"] == "Ta med" and by_id["include_3"]["value"] == "true"
    assert by_id["place"]["label"] == "Sted eller Teams-lenke"
    assert "flyttet forbi Skjærtorsdag" in text
    assert "flyttet forbi 26. mars 2027 (opptatt)" in text
    assert "PASK-møte 23. mars 2027" in text
    assert "Frist for innmelding av saker 16. mars 2027" in text
    assert "romjulen" in text  # plan_warnings for 28 December
    [save] = executes(payload)
    assert save["verb"] == MEETING_PLAN_SAVE and save["data"] == {"year": "2027", "count": "4"}


def test_an_empty_plan_says_how_to_fix_it():
    text = all_text(plan_card(2027, [], RULES, "nb-NO"))

    assert "ingen møter i 2027" in text and "hent PASK" in text and "nytt møte" in text


@pytest.mark.parametrize("code", ["no_pask_this_month", "moved_past_holiday:Langfredag", "moved_past_soft_day:24.12",
                                  "moved_past_blocked:2027-03-26", "moved_out_of_christmas",
                                  "moved_back_in_month:next_month"])
def test_every_plan_note_has_a_text(code):
    assert not plan_note(code, "nb-NO").startswith("plan.")
    assert not plan_note(code, "en-US").startswith("plan.")


def test_meetings_card_offers_organisers_move_cancel_agenda_and_members_only_the_list():
    organiser = meetings_card([meeting(), NEXT], RULES, "nb-NO", True, ics_url="https://x/ics")
    member = meetings_card([meeting(), NEXT], RULES, "nb-NO", False)

    assert {"date_1", "start_1", "end_1", "place_1", "date", "start", "end", "place"} <= input_ids(organiser)
    assert "Foreslå møteplan for 2028" in all_text(organiser)
    assert "Last ned møteplan (.ics)" in all_text(organiser)
    assert "Frist for innmelding av saker" in all_text(member) and "29. desember 2026" in all_text(member)
    assert inputs(member) == [] and executes(member) == []


# --- Saksliste and innkalling ---------------------------------------------------------------------------------------


def test_agenda_card_shows_provisional_numbers_follow_up_and_over_length():
    view = agenda_view(10, numbered=False, notice_published_at=None)
    payload = agenda_card(view, [NEXT], RULES, "nb-NO", True)
    text = all_text(payload)

    assert "Saksliste – tirsdag 12. januar 2027" in text
    assert "(nr. settes når innkallingen sendes)" in text
    assert "Lage plan for opplæring i DIPS – Ansvarlig: Ola Hansen, frist 20. januar 2027" in text
    assert "Planlagt tid 100 min er mer enn møtets lengde" not in text  # 100 min ≤ 120 min
    long = agenda_card(replace(view, items=[replace(i, minutes=30) for i in view.items]), [], RULES, "nb-NO", True)
    assert "er mer enn møtets lengde (120 min)" in all_text(long)
    verbs = [a["verb"] for a in executes(payload)]
    assert NOTICE_PUBLISH in verbs and AGENDA_MOVE in verbs and AGENDA_SET in verbs
    assert "target_20" in input_ids(payload) and "target_10" not in input_ids(payload)  # only movable items move
    assert "presenter_10" in input_ids(payload) and "minutes_20" in input_ids(payload)


def test_agenda_card_does_not_offer_publishing_twice_or_editing_when_read_only():
    published = agenda_card(agenda_view(), [NEXT], RULES, "nb-NO", True)
    readonly = agenda_card(agenda_view(), [NEXT], RULES, "nb-NO", False)

    assert NOTICE_PUBLISH not in [a["verb"] for a in executes(published)]
    assert executes(readonly) == [] and inputs(readonly) == []


def test_first_and_last_movable_items_only_move_one_way():
    payload = agenda_card(agenda_view(2), [], RULES, "nb-NO", True)
    moves = {(a["data"]["item_id"], a["data"]["steps"]) for a in executes(payload) if a["verb"] == AGENDA_MOVE}

    assert moves == {("20", "1"), ("21", "-1"), ("21", "1"), ("90", "-1")}


def heavy_agenda() -> AgendaView:
    """15 items, long presenters, ten long links on every case: the most a saksliste carries."""
    view = agenda_view(10, numbered=False, notice_published_at=None)
    links = tuple(f"https://sykehuset.sharepoint.com/sites/kontorfaglig-rad/Delte dokumenter/{n}/" + "x" * 150
                  for n in range(10))
    return replace(view, items=[replace(i, presenter="Ingrid Marie Kristoffersen-Ødegård", minutes=10)
                                for i in view.items],
                   cases={k: replace(c, links=links) for k, c in view.cases.items()})


YEAR = [replace(NEXT, id=30 + n, date=date(2027, 2, 9) + timedelta(weeks=4 * n)) for n in range(11)]


def test_a_heavy_agenda_sheds_links_and_targets_to_fit_but_keeps_its_tools():
    payload = agenda_card(heavy_agenda(), YEAR, RULES, "nb-NO", True, message="Lagret", error="Feil",
                          pdf_url="https://x/n.pdf")

    assert size(payload) <= TEAMS_MAX_BYTES
    assert {f"presenter_{i.id}" for i in heavy_agenda().items} <= input_ids(payload)
    assert NOTICE_PUBLISH in {a["verb"] for a in executes(payload)}
    assert len(agenda_card(agenda_view(), YEAR, RULES, "nb-NO", True)["body"]) > 0
    light = agenda_card(agenda_view(2), YEAR, RULES, "nb-NO", True)
    assert len(next(e for e in inputs(light) if e["id"] == "target_20")["choices"]) == 4  # the next four meetings


def test_a_heavy_notice_fits_and_says_how_many_links_were_left_out():
    payload = notice_card(replace(heavy_agenda(), meeting=meeting()), RULES, "nb-NO", pdf_url="https://x/n.pdf")

    assert size(payload) <= TEAMS_MAX_BYTES
    assert "lenker til" in all_text(payload) or "https://sykehuset.sharepoint.com" in all_text(payload)


def test_notice_card_numbers_the_items_and_offers_apologies():
    payload = notice_card(agenda_view(10), RULES, "nb-NO", pdf_url="https://x/n.pdf")
    text = all_text(payload)

    assert "Innkalling til møte i Kontorfaglig råd" in text
    assert "Sak 01/27 – Godkjenning av innkalling og saksliste" in text
    assert "Sak 04/27 – Økt bruk av digitale skjemaer i poliklinikkene, del 1" in text
    assert "Sak 15/27 – Eventuelt" in text
    assert "kl. 09.00–11.00" in text and "Frist for innmelding" not in text and "29. desember 2026" not in text
    assert "Drøftingssak (ingen vedtak)" in text
    assert "https://intranett.example/saker/0" in text
    assert "Meld forfall" in text and "Jeg kommer" in text and "Last ned innkalling (PDF)" in text
    absent = next(a for a in executes(payload) if a["verb"] == ATTENDANCE_ABSENT)
    assert absent["data"] == {"meeting_id": "1"}


def test_the_innmelding_reference_is_printed_under_its_sak_on_notice_and_agenda():
    view = agenda_view(1)
    notice = [e["text"] for e in elements(notice_card(view, RULES, "nb-NO")) if "text" in e]
    agenda = [e["text"] for e in elements(agenda_card(view, [], RULES, "nb-NO", editable=False)) if "text" in e]

    for texts in (notice, agenda):
        heading = next(i for i, x in enumerate(texts) if "Sak 04/27" in str(x))
        assert texts[heading + 1].startswith("Innmelding 100/26 · ")


def test_notice_update_lists_each_change_in_norwegian():
    view = agenda_view()
    view = replace(view, meeting=replace(view.meeting, date=date(2027, 1, 19), start=time(10), end=time(12)))
    changes = [("date", "2027-01-19"), ("start", "10:00"), ("end", "12:00"), ("place", "Larvik, møterom 2"),
               ("added", "Ny rutine for timebestilling"), ("removed", "Gammel sak"), ("reordered", "")]
    text = all_text(notice_update_card(view, changes, "nb-NO"))

    assert "Oppdatert innkalling – tirsdag 19. januar 2027" in text
    assert "Ny dato: tirsdag 19. januar 2027" in text
    assert text.count("Ny tid: kl. 10.00–12.00") == 1
    assert "Nytt sted: Larvik, møterom 2" in text
    assert "Ny sak: Ny rutine for timebestilling" in text
    assert "Fjernet: Gammel sak" in text
    assert "Rekkefølgen er endret" in text


def test_deputy_invitation_names_the_absent_member_and_the_meeting():
    text = all_text(deputy_invitation_card(agenda_view(), "Ola Hansen", "nb-NO"))

    assert "Ola Hansen har meldt forfall" in text and "tirsdag 12. januar 2027, kl. 09.00–11.00" in text


# --- Referat --------------------------------------------------------------------------------------------------------


def test_minutes_card_shows_the_any_other_rule_outcomes_and_defaults():
    view = minutes_view(4)
    view = replace(view, records={k: v for k, v in view.records.items() if k not in (21, 99)})
    payload = minutes_card(view, MEMBERS, "nb-NO", warnings=[ANY_OTHER_DECISION], can_approve=True)
    text = all_text(payload)
    by_id = {e["id"]: e for e in inputs(payload)}

    assert "Referat – tirsdag 12. januar 2027" in text
    assert "Under Eventuelt fattes det ikke vedtak" in text
    assert "Vedtak under eventuelt – bør settes opp som egen sak neste møte" in text
    assert "Rådet slutter seg til forslaget." in text and "Dissens: Åse Bråten" in text
    assert "Protokolltilførsel: Kjersti Ødegård" in text
    assert "Ansvarlig: Ola Hansen – frist 5. juni 2027: Lage plan for opplæring" in text
    assert by_id["outcome_99"]["value"] == "drøftet"  # Eventuelt
    assert by_id["outcome_21"]["value"] == "drøftet"  # Drøftingssak
    assert by_id["outcome_20"]["value"] == "vedtatt"  # recorded
    assert by_id["text_20"]["value"].startswith("Rådet slutter seg til")
    assert by_id["protocol_20"]["value"].startswith("Kjersti Ødegård")
    assert by_id["present"]["isMultiSelect"] and by_id["present"]["value"] == "kari-id,sigrid-id,ase-id"
    assert {c["value"] for c in by_id["owner_20"]["choices"]} == set(NAMES)
    assert by_id["due_20"]["type"] == "Input.Date"
    verbs = {a["verb"] for a in executes(payload)}
    assert {MINUTES_RECORD, MINUTES_APPROVE} <= verbs
    assert "Forfall:** Ola Hansen" in text and "- Medisinsk klinikk: Forfall" in text
    assert "Møteleder:** Kari Nordmann" in text and by_id["chair"]["choices"][0]["value"] == ""


def test_minutes_card_offers_approval_only_when_allowed():
    assert MINUTES_APPROVE not in {a["verb"] for a in executes(minutes_card(minutes_view(), MEMBERS, "nb-NO"))}


def test_locked_minutes_are_read_only():
    view = minutes_view(minutes_status="godkjent", minutes_approved_at=datetime(2027, 2, 9, 12, tzinfo=UTC),
                        minutes_approved_via="moete", minutes_approved_in="Sak 02/27")
    view = replace(view, digests={"minutes.pdf": "ab" * 32})
    payload = minutes_card(view, MEMBERS, "nb-NO", can_approve=True)

    assert "Godkjent i sak 02/27 den 9. februar 2027 kl. 13.00" in all_text(payload)
    assert f"SHA-256 (PDF): {'ab' * 32}" in all_text(payload)
    assert inputs(payload) == [] and executes(payload) == []


def owner_inputs(payload: dict) -> list[dict]:
    return [e for e in inputs(payload) if e["id"].startswith("owner_")]


def test_a_normal_meeting_gets_the_full_form_with_the_council_as_owner_list():
    payload = minutes_card(minutes_view(3), MEMBERS, "nb-NO")
    owners = owner_inputs(payload)

    assert owners and all({c["value"] for c in o["choices"]} == set(NAMES) for o in owners)
    assert not any("choices.data" in o for o in owners)
    assert "Legg til oppfølgingspunkt" in all_text(payload)  # a form of its own


def test_a_bigger_council_offers_those_present_and_the_organisers_as_owners():
    payload = minutes_card(minutes_view(3, text_length=300), MEMBERS + roster(20), "nb-NO")
    owners = owner_inputs(payload)

    assert owners and all({c["value"] for c in o["choices"]} == {"kari-id", "sigrid-id", "ase-id"} for o in owners)


def test_a_big_council_falls_back_to_the_people_picker_and_keeps_every_item_editable():
    view = minutes_view(5, text_length=300)
    payload = minutes_card(view, roster(25), "nb-NO")
    owners = owner_inputs(payload)

    assert size(payload) <= TEAMS_MAX_BYTES
    assert {f"text_{i.id}" for i in view.agenda.items} <= input_ids(payload)
    assert owners and all(o["choices.data"]["dataset"] == "graph.microsoft.com/users" for o in owners)


def test_a_long_agenda_keeps_forms_for_unwritten_items_and_for_the_last_written_ones_that_fit():
    view = minutes_view(10, text_length=1000)
    view = replace(view, records={k: v for k, v in view.records.items() if k != 99})
    payload = minutes_card(view, roster(60), "nb-NO")
    with_form = [a["data"]["item_id"] for a in executes(payload) if a["verb"] == MINUTES_RECORD]
    order = [str(i.id) for i in view.agenda.items]

    assert size(payload) <= TEAMS_MAX_BYTES
    assert {str(i.id) for i in view.agenda.items if i.id not in view.records} <= set(with_form)  # 11, 12, 90, 99
    written = [i for i in with_form if int(i) in view.records]
    assert written and written == order[order.index(written[0]):order.index("90")]  # a run up to the end
    assert "10" not in with_form and "20" not in with_form
    assert "saker som allerede har referat vises uten skjema" in all_text(payload)


def test_focus_limits_the_forms_to_the_chosen_items():
    payload = minutes_card(minutes_view(3), MEMBERS, "nb-NO", focus={21})

    assert {e["id"] for e in inputs(payload)} - {"present", "chair", "minute_taker", "guests"} == {
        "outcome_21", "discussion_21", "text_21", "dissent_21", "protocol_21", "what_21", "owner_21", "due_21"}


def test_the_draft_post_has_outcomes_dissent_and_follow_up_and_stays_small():
    payload = minutes_draft_card(minutes_view(10, text_length=3000), "nb-NO", "https://x/m.pdf")
    text = all_text(payload)

    assert "Utkast til referat – tirsdag 12. januar 2027" in text
    assert "Sak 04/27 – Økt bruk" in text and "Dissens: Åse Bråten" in text
    assert "Ansvarlig: Ola Hansen – frist 5. juni 2027" in text
    assert "Hele teksten står i referatet (PDF)." in text
    assert "Vedtak under eventuelt – bør settes opp som egen sak neste møte" in text  # Eventuelt was decided
    assert size(payload) <= TEAMS_MAX_BYTES


# --- Oppfølgingsliste -----------------------------------------------------------------------------------------------


def test_follow_up_card_flags_overdue_items_and_lets_only_the_owner_or_organisers_change_status():
    owner_view = follow_up_card(FOLLOW_UP, TODAY, "nb-NO", OLA)
    leader_view = follow_up_card(FOLLOW_UP, TODAY, "nb-NO", KARI)
    other_view = follow_up_card(FOLLOW_UP, TODAY, "nb-NO", INGRID)

    assert "1. desember 2026 – over fristen" in all_text(owner_view)
    assert "20. januar 2027 – over fristen" not in all_text(owner_view)
    overdue = next(e for e in elements(owner_view) if "over fristen" in str(e.get("text", "")))
    assert overdue["color"] == "Attention"
    assert input_ids(owner_view) == {"status_7"}
    assert input_ids(leader_view) == {"status_7", "status_8"}
    assert input_ids(other_view) == set()
    [save] = [a for a in executes(owner_view) if a["verb"] == FOLLOWUP_STATUS]
    assert save["data"] == {"action_id": "7"}
    choices = next(e for e in inputs(owner_view))["choices"]
    assert [c["title"] for c in choices] == ["Åpen", "Pågår", "Lukket"]


# --- The port -------------------------------------------------------------------------------------------------------


def protocol_methods() -> list[str]:
    return [name for name, value in vars(MeetingMessages).items() if inspect.isfunction(value) and
            not name.startswith("_")]


def arguments(method: str) -> dict:
    values = {"meetings": [meeting(), NEXT], "meeting": meeting(), "before": meeting(), "after": NEXT,
              "changes": [("place", "Larvik")], "member": OLA, "locale": "en-US", "action": FOLLOW_UP[0],
              "view": minutes_view() if method.startswith("minutes") else agenda_view()}
    params = [p for p in inspect.signature(getattr(MeetingMessages, method)).parameters if p != "self"]
    return {name: values[name] for name in params}


def test_the_protocol_has_the_methods_this_test_knows():
    assert set(protocol_methods()) == {"plan_posted", "meeting_added", "meeting_moved", "meeting_cancelled", "notice",
                                       "notice_update", "deputy_invitation", "minutes_draft", "minutes_approved",
                                       "action_assigned"}


@pytest.mark.parametrize("method", protocol_methods())
def test_card_meeting_messages_implements_every_protocol_method(method):
    urls = []
    messages = CardMeetingMessages(RULES, lambda kind, meeting_id: urls.append(kind) or f"https://x/{meeting_id}/{kind}")
    ours = inspect.signature(getattr(CardMeetingMessages, method))
    theirs = inspect.signature(getattr(MeetingMessages, method))
    assert list(ours.parameters) == list(theirs.parameters)

    result = getattr(messages, method)(**arguments(method))

    assert result["type"] == "message" and result["summary"].strip()
    [attachment] = result["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert attachment["content"]["version"] == "1.5"
    assert size(attachment["content"]) <= TEAMS_MAX_BYTES
    assert all(kind in ("notice.pdf", "minutes.pdf", "minutes.md") for kind in urls)
    for action in executes(attachment["content"]):
        assert action["verb"] in KNOWN_VERBS
        assert set(action["data"]) == DOCUMENTED[action["verb"]][0]


def test_without_document_urls_there_are_no_download_buttons():
    messages = CardMeetingMessages(RULES)
    for payload in (messages.notice(agenda_view()), messages.minutes_draft(minutes_view())):
        assert not [e for e in elements(payload) if e.get("type") == "Action.OpenUrl"]


def test_channel_messages_say_what_happened():
    messages = CardMeetingMessages(RULES)
    moved = all_text(messages.meeting_moved(meeting(), NEXT))
    plan = all_text(messages.plan_posted([meeting(), NEXT]))

    assert "er flyttet til tirsdag 9. februar 2027, kl. 09.00–11.00" in moved
    assert "Frist for innmelding av saker 29. desember 2026" in plan
    assert "Utkast til referat" in messages.minutes_draft(minutes_view())["summary"]


def test_standing_titles_cover_the_default_agenda():
    titles = standing_titles()

    assert titles[ItemKind.APPROVE_NOTICE] == "Godkjenning av innkalling og saksliste"
    assert titles[ItemKind.APPROVE_MINUTES] == "Godkjenning av referat fra forrige møte"
    assert titles[ItemKind.FOLLOW_UP] == "Oppfølgingsliste"
    assert titles[ItemKind.ANY_OTHER] == "Eventuelt"
    assert [i.title for i in default_items(1, titles)][-1] == "Eventuelt"
    assert standing_titles("en-US")[ItemKind.ANY_OTHER] == "Any other business"


# --- Texts ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [CaseStatus.DISCUSSED, CaseStatus.DECIDED, CaseStatus.NOTED])
def test_concluded_cases_have_status_and_notice_texts(status):
    concluded = replace(case(100, "Sak", CaseType.BESLUTNING), status=status)

    assert t(f"status.{status.value}") != f"status.{status.value}"
    assert "behandlet i møtet" in notice_text(concluded, None, "nb-NO")
    assert not notice_text(concluded, None, "en-US").startswith("notice.")


def test_every_meeting_error_the_domain_raises_has_a_text():
    root = Path(__file__).resolve().parents[2] / "council"
    raised = set(re.findall(r'(?:InvalidInput|NotAllowed|NotFound|Conflict)\("([a-z_.]+)"',
                            "\n".join(p.read_text(encoding="utf-8") for p in root.rglob("*.py"))))
    ours = {k for k in raised if k.split(".")[0] in ("meetings", "agenda", "attendance", "minutes", "followup")}

    assert ours and not ours - set(CATALOGUES["nb"]) and not ours - set(CATALOGUES["en"])
    assert "cases.not_on_agenda" in CATALOGUES["nb"]
    assert t("meetings.not_a_working_day") == ("Datoen er ikke en arbeidsdag (helg eller helligdag). "
                                               "Velg en annen dato.")
    assert t("minutes.locked") == "Referatet er godkjent og låst."


def test_meeting_keys_live_only_in_the_meeting_catalogues():
    from cards.texts import nb, nb_cases

    assert not set(nb_meetings.TEXTS) & (set(nb.TEXTS) | set(nb_cases.TEXTS))


# --- Documents ------------------------------------------------------------------------------------------------------


def test_minutes_markdown_has_the_archive_header_and_norwegian_letters():
    markdown = render_markdown(minutes_model(minutes_view(4), OSLO))

    head = markdown.split("---")[1]
    assert 'tittel: "Referat fra møte i Kontorfaglig råd – tirsdag 12. januar 2027"' in head
    assert 'råd: "Kontorfaglig råd"' in head
    assert 'organisasjon: "Sykehuset i Vestfold HF"' in head
    assert 'dato: "2027-01-12"' in head
    assert '"Sak 04/27"' in head and 'status: "Utkast – ikke godkjent"' in head
    assert "**Møteleder:** Kari Nordmann" in markdown and "**Referent:** Sigrid Sæther" in markdown
    assert ("**Til stede:**\n\n- Leder: Kari Nordmann\n- Kirurgisk klinikk: Åse Bråten\n"
            "- Medisinsk klinikk: Forfall") in markdown
    assert "**Forfall:** Ola Hansen" in markdown and "**Andre til stede:** Sigrid Sæther" in markdown
    assert "### Sak 04/27 – Økt bruk av digitale skjemaer i poliklinikkene, del 1" in markdown
    assert "**Dissens:** Åse Bråten mente" in markdown
    assert "**Protokolltilførsel:** Kjersti Ødegård ønsker protokollført" in markdown
    assert "- Oppfølging: Ansvarlig: Ola Hansen – frist 5. juni 2027: Lage plan for opplæring" in markdown
    assert "Vedtak under eventuelt – bør settes opp som egen sak neste møte" in markdown
    assert "**Lenker:**\n- <https://intranett.example/saker/0>" in markdown
    assert "æ" in markdown.lower() and "ø" in markdown and "å" in markdown


def test_minutes_model_has_the_header_each_sak_and_the_approval_line():
    approved = minutes_view(4, minutes_status="godkjent", minutes_approved_at=datetime(2027, 2, 9, 23, 30, tzinfo=UTC),
                            minutes_approved_via="sirkulasjon")
    document = minutes_model(approved, OSLO)
    facts = {f.label: f.value for f in document.facts}

    assert facts["Til stede"] == "Leder: Kari Nordmann\nKirurgisk klinikk: Åse Bråten\nMedisinsk klinikk: Forfall"
    assert facts["Forfall"] == "Ola Hansen" and facts["Andre til stede"] == "Sigrid Sæther"
    assert facts["Møteleder"] == "Kari Nordmann" and facts["Referent"] == "Sigrid Sæther"
    assert document.status == "Godkjent ved sirkulasjon den 10. februar 2027"  # 23:30 UTC is the next day in Oslo
    assert document.closing[-1] == document.status
    saker = document.groups[0].sections
    item = next(s for s in saker if s.heading.startswith("Sak 04/27"))
    assert (item.parts[0].label, item.parts[0].text) == ("Vedtak", "Rådet slutter seg til forslaget. ")
    assert ("Dissens", "Åse Bråten mente at forslaget bør utsettes.") in [(p.label, p.text) for p in item.parts]
    assert "Oppfølging: Ansvarlig: Ola Hansen – frist 5. juni 2027: Lage plan for opplæring" in item.bullets
    assert any("Sjekke rutine for ventelister" in line for line in document.groups[2].lines)
    assert render_pdf(document).startswith(b"%PDF-")


def test_the_notice_model_has_recipients_apologies_and_a_paper_per_case():
    from council.records import CasePaper
    from council.services.records import NoticeView

    agenda = agenda_view(10)
    case_item = agenda.items[3]
    view = NoticeView(agenda, tuple(MEMBERS), {case_item.id: CasePaper(case_item.id, "Bakgrunnen.", "Rådet vedtar.")},
                      apologies_by=date(2027, 1, 11))
    document = notice_model(view, OSLO)
    facts = {f.label: f.value for f in document.facts}

    assert facts["Tid"] == "kl. 09.00–11.00" and facts["Møtedato"] == "tirsdag 12. januar 2027"
    assert facts["Til"].splitlines()[0] == "Kari Nordmann (leder)" and "Ola Hansen (Medisinsk klinikk)" in facts["Til"]
    assert facts["Kopi"] == "Ingrid Berg (vara for Ola Hansen)"
    assert document.intro == ("Forfall meldes til Sigrid Sæther innen mandag 11. januar 2027.",)
    [paper] = document.groups[1].sections
    assert paper.heading.startswith("Sak 04/27")
    assert (paper.parts[0].label, paper.parts[0].text) == ("Bakgrunn", "Bakgrunnen.")
    assert render_pdf(document).startswith(b"%PDF-")
