"""Adaptive Cards: valid for Teams (1.5, size, labelled and unique inputs) and right for the user's roles."""
from __future__ import annotations

import json
import uuid

import pytest

import cards.actions as card_actions
from cards.actions import CASE_FORM, CASE_MINE, CASE_QUEUE, HELP_SHOW, ROLES_ASSIGN, ROLES_SHOW, ROLES_SYNC
from cards.common import SCHEMA, card, error_card, message_card, notice, privacy_notice
from cards.home import back_home, home_card
from cards.members import roles_card, roles_label
from cards.texts import t
from cards.welcome import greeting, welcome_card
from council.members import Member, Role
from council.settings import DEFAULT_UNITS
from tests.cards_walk import actions, elements, inputs, of_type

TEAMS_MAX_BYTES = 28 * 1024
KNOWN_VERBS = {v for k, v in vars(card_actions).items() if k.isupper() and isinstance(v, str)}

OLA = Member("ola-id", "Ola Hansen", roles=frozenset({Role.MEMBER}), unit="Medisinsk klinikk")
INGRID = Member("ingrid-id", "Ingrid Berg", roles=frozenset({Role.DEPUTY}), deputy_for="ola-id")
KARI = Member("kari-id", "Kari Nordmann", roles=frozenset({Role.LEADER}))
SIGRID = Member("sigrid-id", "Sigrid Sekretær", roles=frozenset({Role.SECRETARY}))
LISE = Member("lise-id", "Lise Nilsen")


def many_members(count: int = 60) -> list[Member]:
    """A heavy roster: long names, everyone member, deputy and network (longest facts and choice lists)."""
    ids = [str(uuid.UUID(int=i + 1)) for i in range(count)]
    return [
        Member(ids[i], f"Ingrid Marie Kristoffersen-Ødegård {i:02d}", upn=f"ingrid.{i}@siv.no",
               roles=frozenset({Role.MEMBER, Role.DEPUTY, Role.NETWORK}),
               unit=DEFAULT_UNITS[i % len(DEFAULT_UNITS)], deputy_for=ids[(i + 1) % count])
        for i in range(count)
    ]


def texts(payload: dict) -> str:
    return "\n".join(str(e.get("text", "")) for e in elements(payload) if e.get("type") == "TextBlock")


def size(payload: dict) -> int:
    """Bytes on the wire, whichever way the JSON is escaped."""
    return max(len(json.dumps(payload).encode()), len(json.dumps(payload, ensure_ascii=False).encode()))


ALL_CARDS = {
    "welcome_team_nb": lambda: welcome_card("nb-NO"),
    "home_personal_en": lambda: home_card(OLA, "en-US", greeting=greeting("en-US", "Ola")),
    "home_leader_nb": lambda: home_card(KARI, "nb-NO"),
    "home_member_en": lambda: home_card(OLA, "en-GB"),
    "home_secretary_nb": lambda: home_card(SIGRID, None),
    "home_leader_back_nb": lambda: back_home(home_card(KARI, "nb-NO"), "nb-NO"),
    "roles_empty": lambda: roles_card([], DEFAULT_UNITS, "nb-NO"),
    "roles_small": lambda: roles_card([KARI, OLA, INGRID, LISE], DEFAULT_UNITS, "nb-NO"),
    "roles_60_with_notices": lambda: roles_card(many_members(), DEFAULT_UNITS, "nb-NO",
                                                message=t("roles.synced", count=60),
                                                error=t("roles.unit_required"),
                                                values={"person": str(uuid.UUID(int=1)), "roles": "member,deputy",
                                                        "unit": DEFAULT_UNITS[0], "deputy_for": str(uuid.UUID(int=2))}),
    "roles_60_en": lambda: roles_card(many_members(), DEFAULT_UNITS, "en-US"),
    "error": lambda: error_card(t("error.conflict"), "nb-NO"),
    "message": lambda: message_card("Overskrift", "Tekst"),
}


# --- Every card -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("build", ALL_CARDS.values(), ids=ALL_CARDS.keys())
def test_every_card_is_an_adaptive_card_1_5(build):
    payload = build()

    assert payload["type"] == "AdaptiveCard"
    assert payload["version"] == "1.5"
    assert payload["$schema"] == SCHEMA
    assert payload["msteams"] == {"width": "Full"}
    assert payload["body"]


@pytest.mark.parametrize("build", ALL_CARDS.values(), ids=ALL_CARDS.keys())
def test_every_card_fits_in_a_teams_message(build):
    assert size(build()) < TEAMS_MAX_BYTES


@pytest.mark.parametrize("build", ALL_CARDS.values(), ids=ALL_CARDS.keys())
def test_every_input_has_a_label_and_required_inputs_explain_themselves(build):
    for element in inputs(build()):
        assert str(element.get("label", "")).strip(), element["id"]
        if element.get("isRequired"):
            assert str(element.get("errorMessage", "")).strip(), element["id"]


@pytest.mark.parametrize("build", ALL_CARDS.values(), ids=ALL_CARDS.keys())
def test_input_ids_are_unique_within_a_card(build):
    ids = [element["id"] for element in inputs(build())]

    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("build", ALL_CARDS.values(), ids=ALL_CARDS.keys())
def test_every_button_has_a_title_and_a_known_verb(build):
    for action in actions(build()):
        assert action["type"] == "Action.Execute"
        assert action["title"].strip()
        assert action["verb"] in KNOWN_VERBS


def test_the_sixty_member_card_really_is_the_big_one():
    # Guards the size test above against a roster that silently got small.
    payload = ALL_CARDS["roles_60_with_notices"]()

    by_id = {e["id"]: e for e in inputs(payload)}
    assert len(by_id["person"]["choices"]) == 60
    assert len(by_id["deputy_for"]["choices"]) == 60
    assert size(payload) > 20 * 1024


# --- common -----------------------------------------------------------------------------------------------------


def test_card_without_actions_has_no_actions_key():
    assert "actions" not in card([{"type": "TextBlock", "text": "x"}])
    assert "actions" not in card([{"type": "TextBlock", "text": "x"}], [])


def test_error_card_has_the_localised_title_and_an_attention_message():
    payload = error_card("Noe gikk galt", "en-US")

    assert payload["body"][0]["text"] == "That did not work"
    assert payload["body"][1] == {"type": "TextBlock", "text": "Noe gikk galt", "wrap": True, "color": "Attention"}


def test_notice_is_an_emphasised_container():
    block = notice("Lagret", color="Attention")

    assert block["type"] == "Container" and block["style"] == "emphasis"
    assert block["items"][0]["text"] == "Lagret"
    assert block["items"][0]["color"] == "Attention"


def test_privacy_notice_warns_in_the_users_language():
    assert "pasientopplysninger" in privacy_notice("nb-NO")["text"]
    assert "patient information" in privacy_notice("en-US")["text"]
    assert privacy_notice(None)["color"] == "Warning"


# --- roles_label ------------------------------------------------------------------------------------------------


def test_roles_label_shows_the_members_unit():
    assert roles_label(OLA, "nb-NO") == "Medlem (Medisinsk klinikk)"


def test_roles_label_shows_whom_a_deputy_stands_in_for():
    assert roles_label(INGRID, "nb-NO", {"ola-id": "Ola Hansen"}) == "Vara (vara for Ola Hansen)"
    assert roles_label(INGRID, "en-US", {"ola-id": "Ola Hansen"}) == "Deputy (deputy for Ola Hansen)"


def test_roles_label_lists_several_roles_in_a_fixed_order():
    member = Member("x", "X", roles=frozenset({Role.NETWORK, Role.MEMBER, Role.LEADER}), unit="E-helse")

    assert roles_label(member, "nb-NO") == "Leder, Medlem (E-helse), Ledernettverket"


def test_roles_label_without_roles_says_so():
    assert roles_label(LISE, "nb-NO") == "Ingen rolle i rådet"
    assert roles_label(LISE, "en-US") == "No role in the council"


def test_roles_label_of_a_member_without_unit_has_no_parentheses():
    assert roles_label(Member("x", "X", roles=frozenset({Role.MEMBER})), "nb-NO") == "Medlem"


# --- home_card --------------------------------------------------------------------------------------------------


def test_home_card_for_a_leader_offers_every_part_grouped_with_the_roles_command_and_button():
    payload = home_card(KARI, "nb-NO")

    assert t("cmd.roles", "nb-NO") in texts(payload)
    assert t("cmd.set_role", "nb-NO") in texts(payload)
    verbs = [a["verb"] for a in actions(payload)]
    assert verbs[:4] == [CASE_FORM, CASE_MINE, CASE_QUEUE, card_actions.CASE_REGISTER]
    assert {card_actions.MEETING_LIST, card_actions.AGENDA_SHOW, card_actions.MINUTES_SHOW,
            card_actions.FOLLOWUP_SHOW, card_actions.HEARING_LIST, card_actions.VOTE_FORM, card_actions.THEMES_SHOW,
            card_actions.REMINDERS_SHOW, ROLES_SHOW} <= set(verbs)
    groups = [e["text"] for e in elements(payload) if e.get("spacing") == "Medium"]
    assert groups == ["Saker", "Møter", "Høringer og avstemninger", "Temamøter", "Innstillinger"]


def test_home_card_for_someone_without_a_role_offers_cases_and_meetings_only():
    payload = home_card(LISE, "nb-NO")

    assert [e["text"] for e in elements(payload) if e.get("spacing") == "Medium"] == ["Saker", "Møter"]
    assert card_actions.HEARING_LIST not in [a["verb"] for a in actions(payload)]


def test_home_card_links_the_council_to_the_tab_in_the_browser_and_nobody_else():
    def tab_links(member) -> list[str]:
        payload = home_card(member, "nb-NO", tab_url="http://127.0.0.1:3978/tab/")
        return [n["url"] for n in of_type(payload, "Action.OpenUrl")]

    assert tab_links(KARI) == ["http://127.0.0.1:3978/tab/"]
    assert tab_links(LISE) == []  # no council role: the tab would refuse them
    assert of_type(home_card(KARI, "nb-NO"), "Action.OpenUrl") == []


def test_back_home_adds_the_button_last_and_keeps_the_card():
    payload = back_home(card([{"type": "TextBlock", "text": "x"}], [{"type": "Action.Execute", "verb": "a"}]), None)

    assert [a["verb"] for a in payload["actions"]] == ["a", HELP_SHOW]
    assert payload["actions"][-1]["title"] == "Tilbake til start"


@pytest.mark.parametrize("member", [OLA, INGRID, SIGRID, LISE], ids=["member", "deputy", "secretary", "nobody"])
def test_home_card_for_a_non_leader_does_not_offer_the_roles_command(member):
    payload = home_card(member, "nb-NO")

    assert t("cmd.roles", "nb-NO") not in texts(payload)
    assert "**roller**" not in texts(payload)
    assert ROLES_SHOW not in [a["verb"] for a in actions(payload)]
    assert t("cmd.help", "nb-NO") in texts(payload)


def test_home_card_states_the_users_roles():
    assert "Din rolle i rådet: Medlem (Medisinsk klinikk)" in texts(home_card(OLA, "nb-NO"))
    assert "Your role in the council: Leader" in texts(home_card(KARI, "en-US"))


def test_home_card_for_a_deputy_does_not_show_a_question_mark_for_the_principal():
    assert "vara for ?" not in texts(home_card(INGRID, "nb-NO"))


# --- welcome_card -----------------------------------------------------------------------------------------------


def test_welcome_card_in_a_team_introduces_the_bot_to_everyone():
    payload = welcome_card("nb-NO")

    assert t("welcome.team", "nb-NO") in texts(payload)
    assert [a["verb"] for a in actions(payload)] == [CASE_FORM, HELP_SHOW]


def test_home_card_in_a_new_chat_greets_the_person_by_name():
    assert "Hi, Ola!" in texts(home_card(OLA, "en-US", greeting=greeting("en-US", "Ola")))
    assert "Hei, Ola!" in texts(home_card(OLA, "nb-NO", greeting=greeting("nb-NO", "Ola")))


# --- roles_card -------------------------------------------------------------------------------------------------


def test_roles_card_without_members_shows_the_fetch_button_only():
    payload = roles_card([], DEFAULT_UNITS, "nb-NO")

    assert inputs(payload) == []
    assert [a["verb"] for a in actions(payload)] == [ROLES_SYNC]
    assert actions(payload)[0]["associatedInputs"] == "none"
    assert t("roles.empty", "nb-NO") in texts(payload)


def test_roles_card_lists_everyone_with_their_roles():
    payload = roles_card([KARI, OLA, INGRID], DEFAULT_UNITS, "nb-NO")

    [facts] = [e for e in elements(payload) if e.get("type") == "FactSet"]
    assert facts["facts"] == [
        {"title": "Kari Nordmann", "value": "Leder"},
        {"title": "Ola Hansen", "value": "Medlem (Medisinsk klinikk)"},
        {"title": "Ingrid Berg", "value": "Vara (vara for Ola Hansen)"},
    ]
    assert [a["verb"] for a in actions(payload)] == [ROLES_ASSIGN, ROLES_SYNC]
    assert "associatedInputs" not in actions(payload)[0]


def test_roles_card_form_offers_people_roles_units_and_only_members_as_principals():
    payload = roles_card([KARI, OLA, INGRID], ("Medisinsk klinikk", "E-helse"), "nb-NO")
    by_id = {e["id"]: e for e in inputs(payload)}

    assert [c["value"] for c in by_id["person"]["choices"]] == ["kari-id", "ola-id", "ingrid-id"]
    assert by_id["person"]["isRequired"] is True
    assert [c["value"] for c in by_id["roles"]["choices"]] == ["leader", "vice_leader", "secretary", "member", "deputy",
                                                               "network"]
    assert by_id["roles"]["isMultiSelect"] is True
    assert [c["value"] for c in by_id["unit"]["choices"]] == ["Medisinsk klinikk", "E-helse"]
    assert [c["value"] for c in by_id["deputy_for"]["choices"]] == ["ola-id"]


def test_roles_card_with_values_prefills_the_inputs():
    values = {"person": "ingrid-id", "roles": "member,deputy", "unit": "E-helse", "deputy_for": "ola-id"}
    payload = roles_card([KARI, OLA, INGRID], DEFAULT_UNITS, "nb-NO", error="Velg enhet.", values=values)

    assert {e["id"]: e.get("value") for e in inputs(payload)} == values
    assert "Velg enhet." in texts(payload)


def test_roles_card_without_values_leaves_the_inputs_empty():
    payload = roles_card([KARI, OLA], DEFAULT_UNITS, "nb-NO", values={"person": "", "unit": None})

    assert all("value" not in e for e in inputs(payload))


def test_roles_card_shows_a_saved_message_and_an_error_as_notices():
    payload = roles_card([KARI], DEFAULT_UNITS, "nb-NO", message="Lagret.", error="Feil.")
    containers = [e for e in payload["body"] if e.get("type") == "Container"]

    assert [(c["items"][0]["text"], c["items"][0]["color"]) for c in containers] == [("Lagret.", "Good"),
                                                                                       ("Feil.", "Attention")]
