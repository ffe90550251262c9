"""Messages that may not have arrived: how the digest and the leader's card show them (pure, no database)."""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from cards.actions import OUTBOX_DISMISS, OUTBOX_RESEND, OUTBOX_UNDELIVERED
from cards.reminders import CardReminderMessages
from cards.undelivered import confirm_resend_card, undelivered_card
from council.meetings import DeadlineRules
from council.outbox import RecipientKind, Undelivered, summary_of
from council.reminders import build_digest
from tests.cards_walk import elements

OSLO = ZoneInfo("Europe/Oslo")
QUEUED = datetime(2026, 11, 26, 13, 5, tzinfo=UTC)


def _item(n: int, kind=RecipientKind.PERSON, name="Ola Hansen", summary="Møtet er flyttet") -> Undelivered:
    return Undelivered(id=n, summary=summary, recipient=kind, recipient_name=name, queued_at=QUEUED)


def _texts(card: dict) -> str:
    return "\n".join(str(node.get("text") or node.get("title") or "") for node in elements(card))


def _executes(card: dict) -> list[tuple[str, dict]]:
    return [(node["verb"], node["data"]) for node in elements(card) if node.get("type") == "Action.Execute"]


def test_the_preview_is_the_summary_else_the_text_on_one_line_and_shortened():
    assert summary_of({"summary": "Sak 01/26\n  er  flyttet", "text": "x"}) == "Sak 01/26 er flyttet"
    assert summary_of({"text": "Bare tekst"}) == "Bare tekst"
    assert summary_of({"type": "message"}) == ""
    long = summary_of({"text": "a" * 300})
    assert len(long) == 120 and long.endswith("…")


def test_the_digest_lists_undelivered_messages_with_time_recipient_and_a_button_to_the_card():
    digest = build_digest(date(2026, 11, 30), [], [], [], DeadlineRules(),
                          undelivered=[_item(7), _item(8, RecipientKind.CHANNEL, "Kontorfaglig råd", "Innkalling")],
                          undelivered_total=12)
    card = CardReminderMessages(OSLO).digest(digest, None)["attachments"][0]["content"]
    shown = _texts(card)
    assert "Meldinger som kanskje ikke kom fram: 12" in shown
    assert "26. november 2026 kl. 14.05 til Ola Hansen: «Møtet er flyttet»" in shown  # council time (UTC+1)
    assert "til kanalen i Kontorfaglig råd: «Innkalling»" in shown
    assert _executes(card) == [(OUTBOX_UNDELIVERED, {})]


def test_a_digest_without_undelivered_messages_has_no_such_section_and_no_button():
    card = CardReminderMessages(OSLO).digest(build_digest(date(2026, 11, 30), [], [], [], DeadlineRules()),
                                             None)["attachments"][0]["content"]
    assert "kanskje ikke kom fram" not in _texts(card) and "actions" not in card


def test_each_listed_message_can_be_resent_after_a_question_or_marked_as_handled():
    card = undelivered_card([_item(3), _item(4, RecipientKind.GROUP, "")], 2, OSLO, None)
    assert _executes(card) == [(OUTBOX_RESEND, {"message_id": "3"}), (OUTBOX_DISMISS, {"message_id": "3"}),
                               (OUTBOX_RESEND, {"message_id": "4"}), (OUTBOX_DISMISS, {"message_id": "4"})]
    assert "til en gruppechat" in _texts(card)
    confirm = confirm_resend_card(_item(3), OSLO, "en-US")
    assert "may already have this message" in _texts(confirm)
    assert _executes(confirm) == [(OUTBOX_RESEND, {"message_id": "3", "confirmed": "true"}),
                                  (OUTBOX_UNDELIVERED, {})]


def test_the_card_says_when_it_shows_only_the_oldest_and_when_there_is_nothing():
    assert "Viser de 1 eldste av 60." in _texts(undelivered_card([_item(1)], 60, OSLO, None))
    assert "Ingen meldinger venter" in _texts(undelivered_card([], 0, OSLO, None))
