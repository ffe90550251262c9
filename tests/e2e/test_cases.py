"""Cases end to end: submit, the patient-ID guard, triage from the channel, status notices, views."""
from __future__ import annotations

from tests.e2e.teams import (
    EMMA,
    KARI,
    OLA,
    SIGRID,
    TEAM_ID,
    card_of,
    execute,
    install_in_team,
    message,
    personal_conversation,
    sent_card,
    texts_in,
)
from tests.unit.test_pii import make_id

EMMA_CHAT = personal_conversation(EMMA)["id"]
FORM = {"title": "Felles rutine for fristbrudd", "description": "Klinikkene registrerer fristbrudd ulikt.",
        "unit": "Medisinsk klinikk", "case_type": "beslutning", "meeting": "first", "links": "",
        "urgent": "false", "urgent_reason": ""}


async def _council(bot) -> None:
    """The bot installed in the team, Sigrid made secretary, Emma has a personal chat."""
    await bot.post(install_in_team(bot.service_url))
    await bot.post(execute(bot.service_url, KARI, "roles.assign", {"person": SIGRID.aad, "roles": "secretary"}))
    await bot.post(message(bot.service_url, EMMA, "hjelp"))


async def _submit(bot, user=EMMA, key="k-1", **fields) -> dict:
    status, body = await bot.post(execute(bot.service_url, user, "case.submit",
                                          {**FORM, **fields, "submission_key": key}))
    assert status == 200
    return card_of(body)


def _triage_cards(bot) -> list[dict]:
    return [sent_card(a) for a in bot.connector.sent(TEAM_ID) if "Ny sak" in a.get("summary", "")]


async def _case(bot, number: int = 1):
    async with bot.container.uow() as uow:
        [case] = [c for c in await uow.cases.search(__import__("council.cases").cases.CaseFilter())
                  if c.number == number]
        return case


async def test_a_submission_from_a_personal_chat_reaches_the_channel_for_triage(bot):
    await _council(bot)
    await bot.post(message(bot.service_url, EMMA, "meld inn sak"))
    form = sent_card(bot.connector.sent(EMMA_CHAT)[-1])
    assert "Meld inn sak til Kontorfaglig råd" in texts_in(form)
    assert "Ikke skriv inn pasientopplysninger" in texts_in(form)
    key = form["actions"][0]["data"]["submission_key"]

    receipt = await _submit(bot, key=key)
    assert "Innmelding 001/26" in texts_in(receipt) and "Innmeldt – venter på behandling" in texts_in(receipt)
    await bot.deliver()
    [triage] = _triage_cards(bot)
    assert "Innmelding 001/26 – Felles rutine for fristbrudd" in texts_in(triage)
    assert "Sett på saksliste" in texts_in(triage)


async def test_a_double_clicked_submit_creates_one_case(bot):
    await _council(bot)
    await _submit(bot, key="same")
    receipt = await _submit(bot, key="same")
    assert "allerede mottatt" in texts_in(receipt)
    async with bot.container.uow() as uow:
        assert len(await uow.cases.by_submitter(EMMA.aad)) == 1


async def test_invalid_fields_come_back_with_the_values_kept_and_the_error_beside_the_field(bot):
    await _council(bot)
    form = await _submit(bot, title="", links="ikke-en-lenke", urgent="true")
    text = texts_in(form)
    assert "Skriv en tittel." in text and "Lenkene må begynne med https://" in text
    assert "Skriv hvorfor saken haster." in text
    description = next(e for e in form["body"] if e.get("id") == "description")
    assert description["value"] == FORM["description"]


async def test_the_patient_id_guard_warns_on_a_national_id_and_never_stores_it_unasked(bot, caplog):
    await _council(bot)
    number = make_id("010190")
    warning = await _submit(bot, description=f"Gjelder pasient {number} som fikk feil frist.")
    text = texts_in(warning)
    assert "Mulig fødselsnummer" in text and "«Beskrivelse»" in text and number not in text
    assert number not in caplog.text
    async with bot.container.uow() as uow:
        assert await uow.cases.by_submitter(EMMA.aad) == []
    buttons = [a["title"] for a in warning["actions"]]
    assert buttons == ["Rediger", "Dette er ikke et fødselsnummer – send likevel"]
    edit = warning["actions"][0]["data"]
    status, body = await bot.post(execute(bot.service_url, EMMA, "case.edit", edit))
    assert "Meld inn sak" in texts_in(card_of(body))
    anyway = warning["actions"][1]["data"]
    status, body = await bot.post(execute(bot.service_url, EMMA, "case.submit", anyway))
    assert "Innmelding 001/26" in texts_in(card_of(body))
    assert (await _case(bot)).pii_override is True


async def test_a_bank_account_number_does_not_trigger_the_guard(bot):
    await _council(bot)
    receipt = await _submit(bot, description="Refusjon til konto 1234 56 78903 og 12345678903.")
    assert "Takk! Saken er meldt inn" in texts_in(receipt)


async def test_triage_from_the_channel_card_tells_the_submitter_at_every_change(bot):
    await _council(bot)
    await _submit(bot)
    await bot.deliver()
    case = await _case(bot)
    base = {"case_id": str(case.id), "version": str(case.version)}

    _, body = await bot.post(execute(bot.service_url, SIGRID, "case.triage", {
        **base, "decision": "ask_info", "question": "Hvilke klinikker gjelder det?"}, channel=True))
    assert "Lagret: Venter på mer informasjon fra innmelder" in texts_in(card_of(body))
    await bot.deliver()
    question = sent_card(bot.connector.sent(EMMA_CHAT)[-1])
    assert "Rådet ber om mer informasjon: Hvilke klinikker gjelder det?" in texts_in(question)

    _, body = await bot.post(execute(bot.service_url, EMMA, "case.answer", {
        "case_id": str(case.id), "answer": "Kirurgi og medisin."}))
    assert "Svaret ditt på Innmelding 001/26 er sendt" in texts_in(card_of(body))
    await bot.deliver()
    updated = [r for r in bot.connector.requests if r.kind == "update"][-1]
    assert "Svar fra innmelder: Kirurgi og medisin." in texts_in(updated.body)

    case = await _case(bot)
    _, body = await bot.post(execute(bot.service_url, KARI, "case.triage", {
        "case_id": str(case.id), "version": str(case.version), "decision": "accept", "meeting_id": "",
        "final_type": "drofting"}, channel=True))
    assert "Satt på saksliste for første ledige møte som drøftingssak (ingen vedtak)" in texts_in(card_of(body))
    await bot.deliver()
    notices = [texts_in(sent_card(a)) for a in bot.connector.sent(EMMA_CHAT)]
    assert any("satt på sakslisten for første ledige møte som drøftingssak" in n for n in notices)
    async with bot.container.uow() as uow:
        actions = [e.action for e in await uow.audit.for_entity("case", str(case.id))]
    assert actions == ["submit", "ask_info", "answer", "accept"]


async def test_a_non_organiser_pressing_a_triage_button_changes_nothing(bot):
    await _council(bot)
    await _submit(bot)
    case = await _case(bot)
    _, body = await bot.post(execute(bot.service_url, OLA, "case.triage", {
        "case_id": str(case.id), "version": str(case.version), "decision": "reject", "reason": "nei"},
        channel=True))
    assert "Bare leder og sekretær kan gjøre dette." in texts_in(card_of(body))
    assert (await _case(bot)).status.value == "innmeldt"


async def test_two_organisers_triaging_at_once_one_wins_and_the_other_is_told(bot):
    await _council(bot)
    await _submit(bot)
    case = await _case(bot)
    base = {"case_id": str(case.id), "version": str(case.version)}
    _, first = await bot.post(execute(bot.service_url, KARI, "case.triage", {**base, "decision": "reject",
                                                                            "reason": "Hører hjemme i linjen."}))
    _, second = await bot.post(execute(bot.service_url, SIGRID, "case.triage", {**base, "decision": "accept"}))
    assert "Lagret: Avvist" in texts_in(card_of(first))
    assert "allerede behandlet av noen andre (status nå: Avvist)" in texts_in(card_of(second))
    assert (await _case(bot)).status.value == "avvist"


async def test_a_rejection_needs_a_reason(bot):
    await _council(bot)
    await _submit(bot)
    case = await _case(bot)
    _, body = await bot.post(execute(bot.service_url, KARI, "case.triage", {
        "case_id": str(case.id), "version": str(case.version), "decision": "reject", "reason": " "}))
    assert "Skriv en begrunnelse." in texts_in(card_of(body))
    assert (await _case(bot)).status.value == "innmeldt"


async def test_escalation_to_dlg_and_its_outcome_reach_the_submitter_and_the_channel(bot):
    await _council(bot)
    await _submit(bot)
    case = await _case(bot)
    await bot.post(execute(bot.service_url, KARI, "case.triage", {
        "case_id": str(case.id), "version": str(case.version), "decision": "escalate",
        "escalated_on": "2026-11-30", "reference": "2026/01234"}))
    _, body = await bot.post(execute(bot.service_url, KARI, "case.dlg_outcome", {
        "case_id": str(case.id), "outcome": "DLG vedtok felles rutine fra 1. januar."}))
    assert "Behandlet i DLG" in texts_in(card_of(body))
    await bot.deliver()
    notices = "\n".join(texts_in(sent_card(a)) for a in bot.connector.sent(EMMA_CHAT))
    assert "fremmet for direktørens ledergruppe (DLG) 30. november 2026, referanse 2026/01234" in notices
    assert "DLG har behandlet saken din. Utfall: DLG vedtok felles rutine fra 1. januar." in notices
    channel = "\n".join(a.get("summary", "") for a in bot.connector.sent(TEAM_ID))
    assert "DLG har behandlet Innmelding 001/26" in channel


async def test_the_submitter_sees_their_cases_and_can_withdraw_until_triaged(bot):
    await _council(bot)
    await _submit(bot, key="a")
    await _submit(bot, key="b", title="Opplæring i DIPS")
    await bot.post(message(bot.service_url, EMMA, "mine saker"))
    mine = texts_in(sent_card(bot.connector.sent(EMMA_CHAT)[-1]))
    assert "**Innmelding 001/26**" in mine and "**Innmelding 002/26** – Opplæring i DIPS" in mine
    first = await _case(bot, 1)
    _, body = await bot.post(execute(bot.service_url, EMMA, "case.withdraw", {"case_id": str(first.id)}))
    assert "Innmelding 001/26 er trukket." in texts_in(card_of(body))
    second = await _case(bot, 2)
    await bot.post(execute(bot.service_url, KARI, "case.triage", {
        "case_id": str(second.id), "version": str(second.version), "decision": "accept"}))
    _, body = await bot.post(execute(bot.service_url, EMMA, "case.withdraw", {"case_id": str(second.id)}))
    assert "kan ikke trekkes" in texts_in(card_of(body))
    _, body = await bot.post(execute(bot.service_url, OLA, "case.withdraw", {"case_id": str(second.id)}))
    assert "Dette er ikke din sak." in texts_in(card_of(body))


async def test_the_queue_lists_open_cases_oldest_first_and_flags_deferred_twice(bot):
    await _council(bot)
    await _submit(bot, key="a", title="Eldst")
    bot.clock.advance(days=1)
    await _submit(bot, key="b", title="Nyest")
    case = await _case(bot, 1)
    for _ in range(2):
        case = await _case(bot, 1)
        await bot.post(execute(bot.service_url, KARI, "case.triage", {
            "case_id": str(case.id), "version": str(case.version), "decision": "defer"}))
    await bot.post(message(bot.service_url, KARI, "sakskø"))
    queue = texts_in(sent_card(bot.connector.sent(personal_conversation(KARI)["id"])[-1]))
    assert queue.index("Eldst") < queue.index("Nyest")
    assert "[Se på] **Innmelding 001/26**" in queue and "utsatt 2 ganger" in queue
    await bot.post(message(bot.service_url, EMMA, "sakskø"))
    assert bot.connector.sent(EMMA_CHAT)[-1]["text"] == "Bare leder og sekretær kan gjøre dette."


async def test_the_message_extension_prefills_the_form_from_a_message_and_submits(bot):
    await _council(bot)
    fetch = execute(bot.service_url, EMMA, "unused", channel=True)
    fetch.update(name="composeExtension/fetchTask", value={
        "commandId": "meldInnSak", "commandContext": "message",
        "messagePayload": {"body": {"contentType": "html", "content": "<p>Ventelister &amp; fristbrudd</p>"}}})
    status, body = await bot.post(fetch)
    assert status == 200
    form = body["task"]["value"]["card"]["content"]
    description = next(e for e in form["body"] if e.get("id") == "description")
    assert description["value"] == "Ventelister & fristbrudd"
    submit = form["actions"][0]
    assert submit["type"] == "Action.Submit"
    action = execute(bot.service_url, EMMA, "unused", channel=True)
    action.update(name="composeExtension/submitAction", value={
        "commandId": "meldInnSak", "commandContext": "message",
        "data": {**FORM, **submit["data"], "description": "Ventelister & fristbrudd"}})
    status, body = await bot.post(action)
    assert status == 200 and "Innmelding 001/26" in body["task"]["value"]


async def test_the_form_offers_meetings_still_open_with_their_deadline_and_refuses_a_closed_one(bot):
    from datetime import date, time

    from council.meetings import Meeting
    await _council(bot)
    async with bot.container.uow() as uow:  # today is 26 November 2026
        closed = await uow.meetings.add(Meeting(None, date(2026, 12, 8), time(9), time(11)))
        open_ = await uow.meetings.add(Meeting(None, date(2027, 1, 12), time(9), time(11)))
        await uow.commit()
    _, body = await bot.post(execute(bot.service_url, EMMA, "case.form"))
    meeting = next(e for e in card_of(body)["body"] if e.get("id") == "meeting")
    assert meeting["value"] == str(open_.id)
    assert meeting["choices"][0]["title"] == "tirsdag 12. januar 2027 (frist for innmelding 29. desember 2026)"
    assert [c["value"] for c in meeting["choices"]] == [str(open_.id), "first"]
    form = await _submit(bot, meeting=str(closed.id))
    assert "Fristen for innmelding til dette møtet har gått ut" in texts_in(form)
    receipt = await _submit(bot, meeting=str(open_.id))
    assert "tirsdag 12. januar 2027" in texts_in(receipt)


async def test_suggested_topics_on_the_receipt_are_confirmed_from_the_channels_triage_card(bot):
    await _council(bot)
    receipt = await _submit(bot, deviation_ref="4711")
    suggested = "Fristbrudd, Registreringspraksis og kodeverk, Styrende dokumenter og opplæring"
    facts = {f["title"]: f["value"] for e in receipt["body"] if e.get("type") == "FactSet" for f in e["facts"]}
    assert facts["Foreslåtte emner"] == suggested and facts["Avviksnummer"] == "4711"
    assert "Leder eller sekretær i rådet bekrefter eller endrer dem" in texts_in(receipt)

    await bot.deliver()
    [triage] = _triage_cards(bot)
    [topics] = [e for e in triage["body"] if e.get("id") == "topics"]
    assert topics["value"] == "Fristbrudd,Registreringspraksis og kodeverk,Styrende dokumenter og opplæring"
    accept = next(a["card"]["actions"][0] for a in triage["actions"] if a["title"] == "Sett på saksliste")
    _, body = await bot.post(execute(bot.service_url, KARI, "case.triage", {
        **accept["data"], "meeting_id": "first", "final_type": "beslutning", "topics": "Fristbrudd,Avvik"},
        channel=True))
    answered = card_of(body)
    assert "Lagret: Satt på saksliste" in texts_in(answered)
    facts = {f["title"]: f["value"] for e in answered["body"] if e.get("type") == "FactSet" for f in e["facts"]}
    assert facts["Emner (bekreftet)"] == "Fristbrudd, Avvik"

    case = await _case(bot)
    assert case.topics == ("Fristbrudd", "Avvik") and case.topics_confirmed and case.deviation_ref == "4711"
    async with bot.container.uow() as uow:
        [_, accepted] = await uow.audit.for_entity("case", str(case.id))
    assert (accepted.action, accepted.actor, accepted.after["topics"]) == ("accept", KARI.aad, ["Fristbrudd", "Avvik"])


async def test_a_national_id_as_avviksnummer_is_refused_and_the_rest_of_the_form_is_kept(bot, caplog):
    await _council(bot)
    number = make_id("010190")
    form = await _submit(bot, deviation_ref=number, topics="DIPS")
    text = texts_in(form)
    assert "ligner et fødselsnummer eller D-nummer, og er ikke lagret" in text
    assert number not in str(form) and number not in caplog.text
    values = {e["id"]: e.get("value") for e in form["body"] if "id" in e}
    assert (values["title"], values["description"], values["topics"], values["deviation_ref"]) == (
        FORM["title"], FORM["description"], "DIPS", "")
    async with bot.container.uow() as uow:
        assert await uow.cases.by_submitter(EMMA.aad) == []
