"""The høringssvar card: the letter as it will read (recipient, references, the decided text), downloads in
Word and PDF, and the leader's confirmation that it was sent, with the journal number."""
from __future__ import annotations

from cards.actions import HEARING_LETTER, HEARING_LIST, HEARING_SENT, execute
from cards.common import card, notice, text, title
from cards.texts import t
from cards.texts.format import format_date
from council.hearings import HearingStatus
from council.services.hearings_letter import HearingLetterView

PREVIEW = 600  # characters of the decided text on the card (the documents hold all of it)


def letter_button(hearing_id: int, locale: str | None) -> dict:
    return execute(t("letter.button", locale), HEARING_LETTER, {"hearing_id": str(hearing_id)}, validate=False)


def hearing_letter_card(view: HearingLetterView, locale: str | None, is_leader: bool, docx_url: str | None = None,
                        pdf_url: str | None = None, message: str | None = None, error: str | None = None) -> dict:
    hearing = view.hearing
    body = [title(t("letter.title", locale, title=hearing.title))]
    if message:
        body.append(notice(message))
    if error:
        body.append(notice(error, color="Attention"))
    facts = [{"title": t("letter.to", locale), "value": hearing.sender},
             {"title": t("records.our_ref", locale), "value": hearing.case_number or "–"},
             {"title": t("records.their_ref", locale), "value": hearing.their_reference or "–"},
             {"title": t("records.letter_date", locale), "value": format_date(view.letter_date, locale)},
             {"title": t("letter.signed_by", locale), "value": view.leader.name if view.leader else "–"}]
    body.append({"type": "FactSet", "facts": facts})
    decided = hearing.decision.strip()
    body.append(text(decided if len(decided) <= PREVIEW else decided[:PREVIEW - 1].rstrip() + "…"))
    if hearing.status is HearingStatus.SENT:
        body.append(notice(t("letter.sent", locale, reference=hearing.response_reference)))
    elif is_leader and hearing.id is not None:
        body.append(text(t("letter.confirm_hint", locale), size="Small", isSubtle=True))
    actions = []
    if docx_url:
        actions.append({"type": "Action.OpenUrl", "title": t("letter.docx", locale), "url": docx_url})
    if pdf_url:
        actions.append({"type": "Action.OpenUrl", "title": t("letter.pdf", locale), "url": pdf_url})
    if is_leader and hearing.id is not None and hearing.status is HearingStatus.DECIDED:
        hid = str(hearing.id)
        actions.append({"type": "Action.ShowCard", "title": t("letter.confirm", locale), "card": {
            "type": "AdaptiveCard", "body": [{
                "type": "Input.Text", "id": f"journal_{hid}", "label": t("letter.journal_label", locale),
                "isRequired": True, "errorMessage": t("hearings.response_reference_required", locale),
                "maxLength": 500, "value": hearing.response_reference}],
            "actions": [execute(t("letter.confirm_save", locale), HEARING_SENT,
                                {"hearing_id": hid, "version": str(hearing.version)})]}})
    actions.append(execute(t("letter.back", locale), HEARING_LIST, validate=False))
    return card(body, actions)
