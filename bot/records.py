"""The høringssvar letter in Teams: show it with its downloads, and the leader's confirmation that it was sent."""
from __future__ import annotations

from bot.actions import ActionContext, ActionRegistry
from cards import actions as verbs
from cards.hearing_letter import hearing_letter_card
from cards.texts import t
from council.errors import InvalidInput
from council.hearings import HearingStatus
from council.members import Member
from council.services.hearings import HearingService
from council.services.hearings_letter import HearingLetterService


class RecordsFeature:
    def __init__(self, letters: HearingLetterService, hearings: HearingService, links) -> None:
        self._letters = letters
        self._hearings = hearings
        self._links = links  # ExportLinks: signed download URLs

    def register(self, actions: ActionRegistry) -> None:
        actions.register(verbs.HEARING_LETTER, self.letter)
        actions.register(verbs.HEARING_SENT, self.sent)

    async def letter_view(self, actor: Member, locale: str | None, hearing_id: int, **extra) -> dict:
        view = await self._letters.letter(actor, hearing_id)
        return hearing_letter_card(
            view, locale, actor.is_leader,
            docx_url=self._links.hearing_letter("horingssvar.docx", hearing_id, actor.aad_object_id),
            pdf_url=self._links.hearing_letter("horingssvar.pdf", hearing_id, actor.aad_object_id), **extra)

    async def letter(self, ctx: ActionContext) -> dict:
        return await self.letter_view(ctx.actor, ctx.locale, ctx.payload.hearing_id)

    async def sent(self, ctx: ActionContext) -> dict:
        """Leader only (checked by the service): status «Sendt» with the journal number of the sent letter."""
        hearing_id = ctx.payload.hearing_id
        journal = str(ctx.data.get(f"journal_{hearing_id}") or "").strip()
        if not journal:
            raise InvalidInput("hearings.response_reference_required")
        await self._hearings.set_status(ctx.actor, hearing_id, ctx.payload.version,
                                        HearingStatus.SENT, response_reference=journal)
        return await self.letter_view(ctx.actor, ctx.locale, hearing_id, message=t("letter.confirmed", ctx.locale))
