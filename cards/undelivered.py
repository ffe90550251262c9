"""The leader's «Usendte meldinger» card: messages that may not have reached Teams, resend or mark as handled."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from cards.actions import OUTBOX_DISMISS, OUTBOX_RESEND, OUTBOX_UNDELIVERED, execute
from cards.common import card, notice, text, title
from cards.texts import t
from cards.texts.format import format_datetime
from council.outbox import RecipientKind, Undelivered


def recipient_label(item: Undelivered, locale: str | None) -> str:
    """To whom, by name: a person, a team's channel, a group chat (never an id)."""
    if item.recipient is RecipientKind.PERSON:
        return item.recipient_name
    if item.recipient is RecipientKind.CHANNEL:
        return (t("undelivered.to_channel_named", locale, team=item.recipient_name) if item.recipient_name
                else t("undelivered.to_channel", locale))
    return t(f"undelivered.to_{item.recipient.value}", locale)


def undelivered_line(item: Undelivered, tz: ZoneInfo, locale: str | None) -> str:
    return t("undelivered.line", locale, when=format_datetime(item.queued_at, tz, locale),
              to=recipient_label(item, locale), what=item.summary or t("undelivered.no_preview", locale))


def undelivered_card(items: list[Undelivered], total: int, tz: ZoneInfo, locale: str | None,
                     message: str | None = None) -> dict:
    """One block per message with «Send likevel …» (asks first) and «Marker som håndtert»."""
    body = [title(t("undelivered.title", locale))]
    if message:
        body.append(notice(message))
    if not items:
        body.append(text(t("undelivered.none", locale)))
        return card(body)
    body.append(text(t("undelivered.intro", locale, count=total)))
    if total > len(items):
        body.append(text(t("undelivered.more", locale, shown=len(items), total=total), isSubtle=True))
    for item in items:
        data = {"message_id": str(item.id)}
        body.append({"type": "Container", "separator": True, "items": [
            text(undelivered_line(item, tz, locale)),
            {"type": "ActionSet", "actions": [
                execute(t("undelivered.resend", locale), OUTBOX_RESEND, data, validate=False),
                execute(t("undelivered.dismiss", locale), OUTBOX_DISMISS, data, validate=False)]}]})
    return card(body)


def confirm_resend_card(item: Undelivered, tz: ZoneInfo, locale: str | None) -> dict:
    """The recipient may already have the message: say so, and ask before sending a second copy."""
    body = [title(t("undelivered.confirm_title", locale)), text(undelivered_line(item, tz, locale)),
            text(t("undelivered.confirm", locale), color="Warning")]
    return card(body, [
        execute(t("undelivered.resend_confirmed", locale), OUTBOX_RESEND,
                {"message_id": str(item.id), "confirmed": "true"}, validate=False),
        execute(t("undelivered.back", locale), OUTBOX_UNDELIVERED, validate=False)])
