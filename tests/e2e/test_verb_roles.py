"""Every card verb pressed by every role: allowed or refused as the table says, and a refusal changes nothing.

One council world per database; each verb is pressed by the roles in the order below (the least entitled
first, so a refusal is checked before an allowed press changes the world), and the verbs that end things
(cancel, withdraw, close, approve) come last."""
from __future__ import annotations

from sqlalchemy import text

from cards.texts import t
from council.benefits import BenefitForm
from council.minutes import Outcome
from storage.tables import metadata
from tests.e2e.teams import (
    EMMA,
    KARI,
    LISE,
    OLA,
    SIGRID,
    TEAM_ID,
    User,
    install_in_team,
    message,
    texts_in,
)
from tests.e2e.test_cases import FORM

NILS = User("nils", "Nils Nettverk", "nils.nettverk@siv-demo.no")
PER = User("per", "Per Olsen", "per.olsen@siv-demo.no")
ROLES = {"none": EMMA, "network": NILS, "deputy": LISE, "member": OLA, "secretary": SIGRID, "leader": KARI}
REFUSALS = ("agenda.audience_only", "error.leader_only", "error.organiser_only", "error.not_allowed",
            "attendance.members_only", "cases.not_yours", "followup.not_yours", "hearings.members_only",
            "hearings.owner_or_organiser", "themes.network_only", "votes.leader_only", "votes.members_only",
            "votes.not_entitled", "hearings.sent_leader_only", "benefits.council_only", "benefits.own_unit_only")
TABLES = [name for name in metadata.tables if name != "processed_activities"]  # claims are turn bookkeeping

ALL = set(ROLES)
COUNCIL = {"leader", "secretary", "member", "deputy"}
ORGANISERS = {"leader", "secretary"}
LEADER = {"leader"}
SUBMITTER = {"none"}  # Emma submitted the world's cases; she has no council role
ACTION_OWNER = ORGANISERS | {"member"}  # the follow-up action is Ola's (a member)
VOTERS = {"member"}  # entitled to vote: the council's members (a deputy only in place of an absent member)
NETWORK = ORGANISERS | {"network"}  # the leadership network's theme meetings


class World:
    """Ids of the things the verbs act on."""

    meeting = other_meeting = item = case = case_version = asked_case = escalated_case = 0
    hearing = hearing_version = vote = theme = action = decision = 0


async def _world(bot) -> World:
    for user in (NILS, PER):
        bot.connector.add_member(TEAM_ID, user.roster_entry())
    await bot.post(install_in_team(bot.service_url))
    for user, data in ((SIGRID, {"roles": "secretary"}), (OLA, {"roles": "member", "unit": "Klinikk for kirurgi"}),
                       (LISE, {"roles": "deputy", "deputy_for": OLA.aad}), (NILS, {"roles": "network"})):
        await bot.press(KARI, "roles.assign", {"person": user.aad, **data})
    for user in (*ROLES.values(), PER):  # everyone has talked to the bot once: no first-contact writes later
        await bot.post(message(bot.service_url, user, "hjelp"))
    w = World()
    for day in ("2027-01-12", "2027-02-09"):
        await bot.press(KARI, "meeting.add", {"date": day, "start": "09:00", "end": "11:00", "place": "Teams"})
    w.meeting, w.other_meeting = [m.id for m in await bot.container.meetings.upcoming()][:2]
    await bot.press(KARI, "agenda.add_standing", {"meeting_id": str(w.meeting), "standing_title": "Orienteringer"})
    w.item = (await bot.container.agenda.view(w.meeting)).items[0].id
    w.decision = await _uniform_decision(bot, w.meeting)
    for key in ("k-1", "k-2", "k-3"):
        await bot.press(EMMA, "case.submit", {**FORM, "submission_key": key})
    async with bot.container.uow() as uow:
        cases = sorted(await uow.cases.by_submitter(EMMA.aad), key=lambda c: c.id)
    first, asked, escalated = cases
    w.case, w.case_version, w.asked_case, w.escalated_case = first.id, first.version, asked.id, escalated.id
    await bot.press(KARI, "case.triage", {"case_id": str(asked.id), "version": str(asked.version),
                                          "decision": "ask_info", "question": "Hvilke klinikker?"})
    await bot.press(KARI, "case.triage", {"case_id": str(escalated.id), "version": str(escalated.version),
                                          "decision": "escalate", "escalated_on": "2026-11-30",
                                          "reference": "2026/01234"})
    await bot.press(SIGRID, "hearing.save", _hearing_form())
    [line] = await bot.container.hearings.register_view(await bot.member(SIGRID))
    w.hearing, w.hearing_version = line.hearing.id, line.hearing.version
    await bot.press(KARI, "vote.open", _vote_form())
    w.vote = (await bot.container.votes.open_votes())[0].id
    await bot.press(KARI, "themes.plan", {"topic": "Ny henvisningsflyt", "date": "2027-02-17", "start": "13:00",
                                          "end": "15:00", "place": "Teams"})
    [(theme, _)] = await bot.container.themes.upcoming(await bot.member(KARI))
    w.theme = theme.id
    await bot.press(SIGRID, "minutes.action", {"item_id": str(w.item), f"what_{w.item}": "Lage malen",
                                               f"owner_{w.item}": OLA.aad, f"due_{w.item}": "2027-02-15"})
    w.action = (await bot.container.minutes.follow_up())[0].id
    return w


async def _uniform_decision(bot, meeting_id: int) -> int:
    """A decision about uniform practice, so that its units' implementation can be set."""
    kari = await bot.member(KARI)
    await bot.press(KARI, "agenda.add_standing", {"meeting_id": str(meeting_id), "standing_title": "Felles rutine"})
    item = next(i for i in (await bot.container.agenda.view(meeting_id)).items if i.title == "Felles rutine")
    await bot.container.minutes.record_item(kari, item.id, Outcome.DECIDED, "Alle enheter bruker den felles rutinen.")
    await bot.container.benefits.save_benefit(kari, item.id, BenefitForm(uniform_practice=True))
    return item.id


def _hearing_form() -> dict:
    return {"title": "Høring – ny forskrift", "sender": "Helsedirektoratet", "their_reference": "26/1",
            "our_reference": "2026/1", "received": "2026-11-20", "external_deadline": "2027-01-29",
            "links": "", "owner": SIGRID.aad, "draft_text": "Rådet støtter forslaget."}


def _vote_form() -> dict:
    return {"question": "Skal rådet støtte forslaget?", "proposal": "Rådet støtter forslaget.",
            "deadline_date": "2026-11-30", "deadline_time": "12:00", "secret": "false", "live_tally": "true",
            "quorum": "more_than_half", "majority": "simple"}


# verb -> (roles allowed, the press's data from the world); in the order they are pressed
TABLE: dict[str, tuple[set[str], object]] = {
    "help.show": (ALL, lambda w: {}),
    "roles.show": (LEADER, lambda w: {}),
    "roles.assign": (LEADER, lambda w: {"person": PER.aad, "roles": ""}),
    "roles.sync": (LEADER, lambda w: {}),
    "case.form": (ALL, lambda w: {}),
    "case.submit": (ALL, lambda w: {**FORM, "submission_key": "table"}),
    "case.edit": (ALL, lambda w: {**FORM, "submission_key": "table-edit"}),
    "case.view": (ORGANISERS, lambda w: {"case_id": str(w.case)}),
    "case.mine": (ALL, lambda w: {}),
    "case.queue": (ORGANISERS, lambda w: {}),
    "case.register": (ORGANISERS, lambda w: {}),
    "case.answer": (SUBMITTER, lambda w: {"case_id": str(w.asked_case), "answer": "Kirurgi."}),
    "case.dlg_outcome": (ORGANISERS, lambda w: {"case_id": str(w.escalated_case), "outcome": "DLG vedtok rutinen."}),
    "case.triage": (ORGANISERS, lambda w: {"case_id": str(w.case), "version": str(w.case_version), "decision": "accept",
                                    "meeting_id": str(w.meeting), "final_type": "beslutning"}),
    "meeting.list": (ALL, lambda w: {}),
    "meeting.plan": (ORGANISERS, lambda w: {"year": "2027"}),
    "meeting.plan_save": (ORGANISERS, lambda w: {"year": "2027", "count": "1", "date_0": "2027-03-09",
                                                 "start_0": "09:00", "end_0": "11:00", "place": "Teams"}),
    "meeting.add": (ORGANISERS, lambda w: {"date": "2027-04-13", "start": "09:00", "end": "11:00", "place": "Teams"}),
    "meeting.move": (ORGANISERS, lambda w: {"meeting_id": str(w.other_meeting), f"start_{w.other_meeting}": "10:00",
                                     f"end_{w.other_meeting}": "12:00"}),
    "agenda.show": (COUNCIL | {"network"}, lambda w: {"meeting_id": str(w.meeting)}),
    "agenda.move": (ORGANISERS, lambda w: {"item_id": str(w.item), "steps": "1"}),
    "agenda.set": (ORGANISERS, lambda w: {"item_id": str(w.item), f"presenter_{w.item}": "Ola Hansen",
                                   f"minutes_{w.item}": "20"}),
    "agenda.paper_show": (ORGANISERS, lambda w: {"item_id": str(w.item)}),
    "agenda.paper": (ORGANISERS, lambda w: {"item_id": str(w.item), f"background_{w.item}": "Bakgrunn for saken."}),
    "agenda.add_standing": (ORGANISERS, lambda w: {"meeting_id": str(w.meeting), "standing_title": "Eventuelt"}),
    "agenda.to_meeting": (ORGANISERS, lambda w: {"item_id": str(w.item), f"target_{w.item}": str(w.meeting)}),
    "notice.publish": (ORGANISERS, lambda w: {"meeting_id": str(w.meeting)}),
    "attendance.absent": (COUNCIL, lambda w: {"meeting_id": str(w.meeting)}),
    "attendance.present": (COUNCIL, lambda w: {"meeting_id": str(w.meeting)}),
    "minutes.show": (ORGANISERS, lambda w: {"meeting_id": str(w.meeting)}),
    "minutes.record": (ORGANISERS, lambda w: {"item_id": str(w.item), f"outcome_{w.item}": "vedtatt",
                                       f"text_{w.item}": "Tatt til orientering."}),
    "minutes.action": (ORGANISERS, lambda w: {"item_id": str(w.item), f"what_{w.item}": "Sende ut malen",
                                       f"owner_{w.item}": OLA.aad, f"due_{w.item}": "2027-03-01"}),
    "minutes.attendance": (ORGANISERS, lambda w: {"meeting_id": str(w.meeting), "present": f"{KARI.aad},{OLA.aad}"}),
    "minutes.publish": (ORGANISERS, lambda w: {"meeting_id": str(w.meeting)}),
    "followup.show": (COUNCIL | {"network"}, lambda w: {}),
    "followup.status": (ACTION_OWNER, lambda w: {"action_id": str(w.action), f"status_{w.action}": "pagar"}),
    "pask.sync": (ORGANISERS, lambda w: {}),
    "hearing.list": (COUNCIL, lambda w: {}),
    "hearing.form": (COUNCIL, lambda w: {"hearing_id": str(w.hearing)}),
    "hearing.save": (ORGANISERS, lambda w: _hearing_form()),
    "hearing.status": (ORGANISERS, lambda w: {"hearing_id": str(w.hearing), "version": str(w.hearing_version),
                                       f"status_{w.hearing}": "under_arbeid"}),
    "hearing.agenda": (ORGANISERS, lambda w: {"hearing_id": str(w.hearing), "version": str(w.hearing_version),
                                       f"meeting_{w.hearing}": str(w.meeting)}),
    "hearing.letter": (ORGANISERS, lambda w: {"hearing_id": str(w.hearing)}),
    "hearing.sent": (LEADER, lambda w: {"hearing_id": str(w.hearing), "version": str(w.hearing_version),
                                        f"journal_{w.hearing}": "26/00052-4"}),
    "vote.form": (ORGANISERS, lambda w: {}),
    "vote.open": (ORGANISERS, lambda w: _vote_form()),
    "vote.cast": (VOTERS, lambda w: {"vote_id": str(w.vote), "choice": "enig"}),
    "vote.refresh": (VOTERS, lambda w: {"vote_id": str(w.vote)}),
    "vote.export": (COUNCIL, lambda w: {"vote_id": str(w.vote)}),
    "vote.extend": (LEADER, lambda w: {"vote_id": str(w.vote), "extend_date": "2026-12-01", "extend_time": "12:00"}),
    "themes.show": (NETWORK, lambda w: {}),
    "themes.propose": (ORGANISERS, lambda w: {"year": "2027", "count": "2"}),
    "themes.plan": (ORGANISERS, lambda w: {"topic": "Digital post", "date": "2027-03-17", "start": "13:00",
                                    "end": "15:00", "place": "Teams"}),
    "themes.rsvp": ({"network"}, lambda w: {"theme_id": str(w.theme), "answer": "kommer"}),
    "themes.attendance": (ORGANISERS, lambda w: {"theme_id": str(w.theme)}),
    "themes.suggest": (NETWORK, lambda w: {"text": "Felles maler for brev"}),
    "themes.summary": (ORGANISERS, lambda w: {"theme_id": str(w.theme)}),
    "reminders.show": (LEADER, lambda w: {}),
    "reminders.save": (LEADER, lambda w: {}),
    "implementation.show": (COUNCIL, lambda w: {}),
    "implementation.set": (COUNCIL, lambda w: {"item_id": str(w.decision), f"status_{w.decision}": "pagar",
                                               f"unit_{w.decision}": "Klinikk for kirurgi"}),
    "outbox.undelivered": (LEADER, lambda w: {}),
    "outbox.resend": (LEADER, lambda w: {"message_id": "1"}),
    "outbox.dismiss": (LEADER, lambda w: {"message_id": "1"}),
    "minutes.approve": (LEADER, lambda w: {"meeting_id": str(w.meeting)}),
    "case.withdraw": (SUBMITTER, lambda w: {"case_id": str(w.case)}),
    "vote.close": (LEADER, lambda w: {"vote_id": str(w.vote)}),
    "vote.cancel": (LEADER, lambda w: {"vote_id": str(w.vote), "cancel_reason": "Feil spørsmål"}),
    "themes.cancel": (ORGANISERS, lambda w: {"theme_id": str(w.theme)}),
    "meeting.cancel": (ORGANISERS, lambda w: {"meeting_id": str(w.other_meeting)}),
}
PRESS_ORDER = ("none", "network", "deputy", "member", "secretary", "leader")


async def _snapshot(bot) -> dict[str, list]:
    """Every row of every table but the turn bookkeeping, as the database returns it."""
    async with bot.container.uow() as uow:
        return {name: sorted(map(repr, (await uow.session.execute(text(f'SELECT * FROM "{name}"'))).all()))
                for name in TABLES}


def _refused(card: dict) -> str | None:
    shown = texts_in(card)
    return next((key for key in REFUSALS if t(key, "nb-NO") in shown), None)


async def test_every_card_verb_is_allowed_or_refused_by_role_and_a_refusal_changes_nothing(bot):
    assert set(TABLE) == set(bot.container.handler.actions._handlers), "a verb without a row in the table"
    world = await _world(bot)
    mismatches = []
    before = None  # the rows before the next press, when a refusal is expected
    for verb, (allowed, data) in TABLE.items():
        for role in PRESS_ORDER:
            if role not in allowed and before is None:
                before = await _snapshot(bot)
            card = await bot.press(ROLES[role], verb, data(world), channel=verb.startswith("vote."))
            assert "Noe gikk galt" not in texts_in(card), f"{verb} by {role} failed: {texts_in(card)}"
            refusal = _refused(card)
            if (refusal is None) != (role in allowed):
                mismatches.append(f"{verb} by {role}: {'refused, ' + refusal if refusal else 'allowed'}")
            if role in allowed:
                before = None
                continue
            after = await _snapshot(bot)
            if after != before:
                mismatches.append(f"{verb} by {role} was refused but changed "
                                  f"{[name for name in after if after[name] != before[name]]}")
            before = after
    assert not mismatches, "\n".join(mismatches)
