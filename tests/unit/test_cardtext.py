"""Cards as the terminal chat prints them: inputs with their values, numbered buttons, ShowCard opening in place."""
from __future__ import annotations

from tools.cardtext import CardView

CARD = {"type": "AdaptiveCard", "version": "1.5", "body": [
    {"type": "TextBlock", "text": "Sak 3\\. desember", "size": "Medium", "weight": "Bolder"},
    {"type": "FactSet", "facts": [{"title": "Status", "value": "Innmeldt"}]},
    {"type": "Container", "items": [{"type": "Input.Toggle", "id": "urgent", "label": "Haster", "title": "Saken haster",
                                     "valueOn": "true", "valueOff": "false", "value": "true"}]},
    {"type": "TextBlock", "text": "skjult", "isVisible": False}],
    "actions": [{"type": "Action.ShowCard", "title": "Avvis", "card": {"type": "AdaptiveCard", "body": [
        {"type": "Input.ChoiceSet", "id": "why", "label": "Grunn", "isRequired": True, "value": "b",
         "choices": [{"title": "Alfa", "value": "a"}, {"title": "Beta", "value": "b"}]}],
        "actions": [{"type": "Action.Execute", "title": "Lagre", "verb": "x"}]}},
        {"type": "Action.OpenUrl", "title": "Last ned", "url": "https://example.org/x"}]}


def test_a_card_prints_its_text_facts_inputs_and_numbered_buttons_and_hides_the_invisible():
    assert CardView(CARD, "conv").lines() == [
        "  # Sak 3. desember", "  Status: Innmeldt", "  ▸ Haster: [x] Saken haster",
        "  [1] Avvis ▸   [2] Last ned ↗"]


def test_pressing_a_show_card_opens_its_inputs_under_the_card_with_their_values_and_buttons():
    view = CardView(CARD, "conv")
    view.show(view.actions()[0])
    assert view.lines()[-3:] == ["  ▾ Avvis", "  ▸ Grunn *: «Beta»  (valg: Alfa | Beta)",
                                 "  [1] Avvis ▾   [2] Last ned ↗   [3] Lagre"]
    assert view.values == {"urgent": "true", "why": "b"}
    view.show(view.actions()[0])
    assert [i["id"] for i in view.inputs()] == ["urgent"]
