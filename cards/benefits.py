"""The «Innføring» card: the felles-praksis decisions not yet introduced everywhere, each with the viewer's unit
status and a form to set it (leader and secretary choose the unit)."""
from __future__ import annotations

from cards.actions import IMPLEMENTATION_SET, DecisionRef, execute
from cards.common import card, text
from cards.elements import action_set, choice_input, date_input, heading_blocks, shorten, show_card
from cards.texts import t
from cards.texts.format import format_date
from council.benefits import ImplementationStatus
from council.services.benefits import OpenDecision, UnitLine

TITLE_LIMIT = 120


def implementation_card(decisions: list[OpenDecision], units: tuple[str, ...], total: int, number_format: str,
                        locale: str | None, all_units: bool = False, message: str | None = None,
                        error: str | None = None) -> dict:
    """`units`: the units the viewer reports for (every unit for leader and secretary, `all_units`). At most
    OPEN_LIMIT decisions come (council/services/benefits.py), so the card stays within Teams' size limit."""
    body = heading_blocks(t("benefits.card_title", locale), message, error)
    if not units:
        body.append(text(t("benefits.card_no_unit", locale)))
        return card(body)
    body.append(text(t("benefits.card_intro_all", locale) if all_units
                     else t("benefits.card_intro_unit", locale, unit=", ".join(units)), isSubtle=True))
    if not decisions:
        body.append(text(t("benefits.card_none", locale)))
    for open_decision in decisions:
        body.append(_decision_block(open_decision, units, total, number_format, locale, all_units))
    return card(body)


def _decision_block(open_decision: OpenDecision, units: tuple[str, ...], total: int, number_format: str,
                    locale: str | None, all_units: bool) -> dict:
    d = open_decision.decision
    facts = [format_date(d.meeting_date, locale), t("benefits.summary", locale, done=d.implemented, total=total)]
    if d.number is not None and d.year is not None:
        facts.insert(0, number_format.format(nr=d.number, yy=d.year % 100, yyyy=d.year))
    items = [text(shorten(d.title, TITLE_LIMIT), weight="Bolder"),
             text(" · ".join(facts), isSubtle=True, spacing="None")]
    if not all_units:
        items += [text(_current(line, locale), spacing="None") for line in open_decision.mine]
    current = open_decision.mine[0].status if len(open_decision.mine) == 1 else None
    choices = [{"title": t(f"benefits.status.{s.value}", locale), "value": s.value} for s in ImplementationStatus]
    inputs = []
    if len(units) > 1:
        inputs.append(choice_input(f"unit_{d.item_id}", t("benefits.unit", locale),
                                   [{"title": unit, "value": unit} for unit in units], required=True))
    inputs += [choice_input(f"status_{d.item_id}", t("benefits.status", locale), choices,
                            current.status.value if current else ImplementationStatus.NOT_STARTED.value,
                            required=True, style="expanded"),
               date_input(f"on_{d.item_id}", t("benefits.card_date", locale), current.on if current else None, locale,
                          required=False)]
    items.append(action_set([show_card(t("benefits.change", locale), inputs,
                                       execute(t("benefits.save", locale), IMPLEMENTATION_SET,
                                               DecisionRef(d.item_id)))]))
    return {"type": "Container", "separator": True, "items": items}


def _current(line: UnitLine, locale: str | None) -> str:
    if line.status is None:
        return t("benefits.card_current", locale, unit=line.unit, status=t("benefits.not_reported", locale))
    status = t(f"benefits.status.{line.status.status.value}", locale)
    if line.status.on is None:
        return t("benefits.card_current", locale, unit=line.unit, status=status)
    return t("benefits.card_current_dated", locale, unit=line.unit, status=status,
             date=format_date(line.status.on, locale))


def status_label(raw: str, locale: str | None) -> str:
    try:
        return t(f"benefits.status.{ImplementationStatus(raw).value}", locale)
    except ValueError:
        return raw

