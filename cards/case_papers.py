"""Saksframlegg on the agenda and notice cards: the background and «Forslag til vedtak» of an item (shortened to
fit), «Innmelding 014/26» under a submitted case, and the organisers' form to edit them."""
from __future__ import annotations

from typing import TYPE_CHECKING

from cards.actions import AGENDA_PAPER, AGENDA_PAPER_SHOW, AGENDA_SHOW, execute
from cards.common import card, notice, text, title
from cards.texts import t
from council.agenda import AgendaItem
from council.records import PAPER_MAX, needs_proposal, paper_for, submission_label

if TYPE_CHECKING:
    from council.services.agenda import AgendaView


def _short(value: str, limit: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[:limit - 1].rstrip() + "…"


def paper_blocks(view: AgendaView, item: AgendaItem, locale: str | None, limit: int) -> list[dict]:
    """«Innmelding 014/26», «Bakgrunn: …» and «Forslag til vedtak: …» under an item (nothing for standing items)."""
    case = view.cases.get(item.case_id) if item.case_id is not None else None
    stored = view.papers.get(item.id) if item.id is not None else None
    if case is None and stored is None:
        return []
    paper = paper_for(item, case, stored)
    lines = [submission_label(case)] if case else []
    if paper.background and limit:
        lines.append(f"**{t('records.background', locale)}:** {_short(paper.background, limit)}")
    if needs_proposal(item):
        proposal = paper.proposed_decision or t("records.no_proposal", locale)
        lines.append(f"**{t('records.proposal', locale)}:** {_short(proposal, max(limit, 120))}")
    return [text("\n\n".join(lines), size="Small", spacing="Small")] if lines else []


def paper_button(view: AgendaView, item: AgendaItem, locale: str | None) -> dict | None:
    """'Saksframlegg' on the agenda card (leader and secretary); it opens the form for that one item."""
    if item.id is None or (item.case_id is None and item.id not in view.papers and not needs_proposal(item)):
        return None
    return execute(t("records.paper", locale), AGENDA_PAPER_SHOW, {"item_id": str(item.id)}, validate=False)


def paper_card(view: AgendaView, item: AgendaItem, locale: str | None, error: str | None = None) -> dict:
    """'Saksframlegg – Sak 04/27 …': the background (the case's description until edited) and, for decision and
    hearing items, the «Forslag til vedtak»; saving returns to the agenda."""
    iid = str(item.id)
    case = view.cases.get(item.case_id) if item.case_id is not None else None
    paper = paper_for(item, case, view.papers.get(item.id))
    heading = f"{item.label()} – {item.title}" if item.label() else item.title
    body = [title(t("records.paper_title", locale, item=heading))]
    if error:
        body.append(notice(error, color="Attention"))
    if case is not None:
        body.append(text(submission_label(case), isSubtle=True, size="Small"))
    body.append(text(t("privacy.notice", locale), size="Small", isSubtle=True))
    body.append({"type": "Input.Text", "id": f"background_{iid}", "label": t("records.background_label", locale),
                 "value": paper.background, "isMultiline": True, "maxLength": PAPER_MAX})
    if needs_proposal(item):
        body.append({"type": "Input.Text", "id": f"proposal_{iid}", "label": t("records.proposal", locale),
                     "value": paper.proposed_decision, "isMultiline": True, "maxLength": PAPER_MAX})
    data = {"meeting_id": str(item.meeting_id)}
    return card(body, [execute(t("records.paper_save", locale), AGENDA_PAPER, {"item_id": iid}),
                       execute(t("records.back_to_agenda", locale), AGENDA_SHOW, data, validate=False)])
