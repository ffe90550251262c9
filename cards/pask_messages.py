"""What the leader is told when the PASK calendar cannot be read."""
from __future__ import annotations

from cards.actions import PASK_SYNC, execute
from cards.case_messages import activity
from cards.common import card, notice, text, title
from cards.texts import t
from cards.texts.format import format_date
from council.pask import reason_code


class CardPaskMessages:
    def sync_failed(self, source: str, code: str, locale: str | None) -> dict:
        message = t("pask.sync_failed", locale, source=t(f"pask.source.{source}", locale),
                    reason=t(f"pask.reason.{code}", locale))
        return activity(card([title(t("pask.title", locale)), text(message)]), message)


def sync_summary(results: dict[str, str], locale: str | None) -> str:
    """PaskService.sync's answer ('ok: 21' or 'timeout: …' per source) as the leader reads it."""
    parts = []
    for source, result in results.items():
        count = result.removeprefix("ok:").strip()
        outcome = (t("pask.sync_count", locale, count=int(count)) if result.startswith("ok:") and count.isdigit()
                   else t(f"pask.reason.{reason_code(result)}", locale))
        parts.append(f"{t(f'pask.source.{source}', locale)}: {outcome}")
    return ", ".join(parts)


def pask_card(status: list[dict], configured: list[str], locale: str | None, message: str | None = None) -> dict:
    """Where the PASK dates come from, how the last sync went, and a box for typing dates in."""
    body = [title(t("pask.title", locale))]
    if message:
        body.append(notice(message))
    for row in status:
        source = t(f"pask.source.{row['source']}", locale)
        if row.get("last_error"):
            reason = t(f"pask.reason.{reason_code(row['last_error'])}", locale)
            body.append(text(t("pask.status_error", locale, source=source, reason=reason),
                             color="Attention"))
        if row.get("last_success_at"):
            body.append(text(t("pask.status_line", locale, source=source, count=row.get("count", 0),
                               when=format_date(row["last_success_at"].date(), locale)), isSubtle=True))
    if not configured:
        body.append(text(t("pask.none_configured", locale)))
    body.append({"type": "Input.Text", "id": "pask_dates", "label": t("pask.manual_label", locale),
                 "isMultiline": True, "maxLength": 2000})
    actions = [execute(t("pask.manual_save", locale), PASK_SYNC)]
    if configured:
        actions.append(execute(t("pask.sync_now", locale), PASK_SYNC, validate=False))
    return card(body, actions)
