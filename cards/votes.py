"""Vote cards (avstemning): the shared channel card, each user's own view, the organiser's form and tools,
the result post, the 1:1 reminder and extension notices (the result as CSV and PDF: cards/exports.py).

Secret votes: no card, CSV or document built here ever pairs a person with a choice. Per-voter lines are shown
only for a named vote once it is closed; a secret vote shows turnout until it closes, then counts and the
anonymous remarks.

The shared card carries Teams' `refresh` (Action.Execute VOTE_REFRESH) while the vote is open, so each user in
`refresh_ids` (Teams user ids, at most 60) gets their own view (`my_vote_card`) answered by the bot; a user's
own view lists only that user, as only their client shows it.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from cards.actions import VOTE_CANCEL, VOTE_CAST, VOTE_CLOSE, VOTE_EXPORT, VOTE_EXTEND, VOTE_OPEN, VOTE_REFRESH, execute
from cards.common import card, notice, privacy_notice, text, title
from cards.elements import (
    action_set,
    choice_input,
    columns,
    date_input,
    heading_blocks,
    shorten,
    show_card,
    text_input,
    time_input,
    within_budget,
)
from cards.texts import t
from cards.texts.format import format_date, format_time
from council.hearings import Hearing
from council.votes import (
    MAX_COMMENT,
    MAX_PROPOSAL,
    MAX_QUESTION,
    MAX_REASON,
    Choice,
    Majority,
    Outcome,
    Quorum,
    Tally,
    Vote,
    VoterLine,
    VoteStatus,
)

if TYPE_CHECKING:
    from council.services.votes import MyBallot, VoteView

OSLO = ZoneInfo("Europe/Oslo")
NB = "nb-NO"  # documents and channel posts are in bokmål
MAX_REFRESH_IDS = 60  # Teams refreshes a card automatically for at most 60 users
# (characters of the proposal, characters of each remark) shown on a card, richest first; Teams refuses > 28 KB
VOTE_LEVELS = ((1500, 300), (800, 120), (400, 60), (200, 0), (80, 0))
PROPOSAL_PREFILL_LEVELS = (True, False)
COMMENT_IN_FORM = 500  # the remark a voter sees again in their own form (the stored one may be longer)


# --- small parts ----------------------------------------------------------------------------------------------------


def choice_label(choice: Choice, locale: str | None) -> str:
    return t(f"votes.choice.{choice.value}", locale)


def outcome_label(outcome: Outcome | None, locale: str | None) -> str:
    return t(f"votes.outcome.{outcome.value}", locale) if outcome else ""


def deadline_text(moment: datetime, locale: str | None, tz: ZoneInfo = OSLO) -> str:
    """'tirsdag 15. desember 2026 kl. 12.00' in council time."""
    local = moment.astimezone(tz)
    return f"{format_date(local.date(), locale, weekday=True)} {format_time(local, locale)}"


def mode_line(vote: Vote, locale: str | None) -> str:
    """'Navngitt avstemning · Beslutningsdyktig når … · Vedtatt ved …' in words."""
    mode = t("votes.mode.secret" if vote.secret else "votes.mode.named", locale)
    return " · ".join([mode, t(f"votes.quorum.{vote.quorum.value}", locale),
                       t(f"votes.majority.{vote.majority.value}", locale)])


def turnout_line(counted: Tally, locale: str | None) -> str:
    return t("votes.turnout", locale, voted=counted.voted, entitled=counted.entitled)


def _vote_id(vote: Vote) -> str:
    return str(vote.id) if vote.id is not None else ""


def comment_input_id(vote: Vote) -> str:
    return f"comment_{_vote_id(vote)}"


def option_buttons(vote: Vote, locale: str | None, current: Choice | None = None, comment: str = "") -> list[dict]:
    """One Action.Execute VOTE_CAST per option; 'Enig med merknader' opens a required remark first."""
    buttons = []
    for choice in vote.options:
        label = choice_label(choice, locale)
        if choice is current:
            label = f"✓ {label}"
        data = {"vote_id": _vote_id(vote), "choice": choice.value}
        if choice is Choice.AGREE_WITH_REMARKS:
            remark = text_input(comment_input_id(vote), t("votes.comment_label", locale),
                                shorten(comment, COMMENT_IN_FORM) if comment else "", required=True,
                                multiline=True, max_length=MAX_COMMENT, error=t("votes.comment_required", locale))
            buttons.append(show_card(label, [remark], execute(t("votes.comment_send", locale), VOTE_CAST, data)))
        else:
            buttons.append(execute(label, VOTE_CAST, data, validate=False))
    return buttons


def refresh_block(vote: Vote, refresh_ids: Sequence[str]) -> dict:
    """Teams asks the bot for each listed user's own view (VOTE_REFRESH) when the card is shown."""
    return {"action": {"type": "Action.Execute", "title": t("votes.refresh", None), "verb": VOTE_REFRESH,
                       "data": {"vote_id": _vote_id(vote)}},
            "userIds": list(dict.fromkeys(refresh_ids))[:MAX_REFRESH_IDS]}


def _with_refresh(payload: dict, vote: Vote, refresh_ids: Sequence[str]) -> dict:
    if vote.status is VoteStatus.OPEN:
        payload["refresh"] = refresh_block(vote, refresh_ids)
    return payload


def tally_facts(counted: Tally, options: Sequence[Choice], locale: str | None) -> dict:
    return {"type": "FactSet", "facts": [{"title": choice_label(c, locale), "value": str(counted.count(c))}
                                         for c in options]}


def voter_line(line: VoterLine, locale: str | None, comment_limit: int) -> str:
    if not line.voted:
        return t("votes.line_not_voted", locale, name=line.name)
    if line.choice is None:
        return t("votes.line_voted", locale, name=line.name)
    result = t("votes.line_choice", locale, name=line.name, choice=choice_label(line.choice, locale))
    if line.comment and comment_limit:
        result += f" – «{shorten(line.comment, comment_limit)}»"
    return result


def voter_lines(names: Sequence[VoterLine], locale: str | None, comment_limit: int) -> list[dict]:
    """Who voted what (a closed named vote): voters by choice order, then those who did not vote."""
    order = {c: n for n, c in enumerate(Choice)}
    ranked = sorted(names, key=lambda v: (not v.voted, order.get(v.choice, len(order)) if v.choice else len(order),
                                          v.name))
    return [text(t("votes.who_voted_what", locale), weight="Bolder", spacing="Medium"),
            text("\n".join(f"- {voter_line(line, locale, comment_limit)}" for line in ranked), spacing="None")]


def remark_lines(counted: Tally, locale: str | None, comment_limit: int) -> list[dict]:
    """The anonymous remarks (no names), as the tally sorts them."""
    if not counted.comments or not comment_limit:
        return []
    lines = [f"- {choice_label(c, locale)}: «{shorten(remark, comment_limit)}»" for c, remark in counted.comments]
    return [text(t("votes.remarks", locale), weight="Bolder", spacing="Medium"),
            text("\n".join(lines), spacing="None", size="Small")]


def _result_blocks(vote: Vote, counted: Tally, names: Sequence[VoterLine] | None, locale: str | None,
                   comment_limit: int) -> list[dict]:
    """Counts (when they may be shown), the outcome once closed, and who voted what for a closed named vote."""
    blocks: list[dict] = []
    if vote.status is VoteStatus.CLOSED:
        outcome = vote.outcome
        color = "Good" if outcome is Outcome.PASSED else "Attention"
        blocks.append(notice(t("votes.result_line", locale, outcome=outcome_label(outcome, locale)), color=color))
    blocks.append(text(turnout_line(counted, locale), weight="Bolder"))
    if counted.hidden:
        if vote.status is VoteStatus.OPEN:
            key = "votes.tally_hidden_secret" if vote.secret else "votes.tally_hidden"
            blocks.append(text(t(key, locale), size="Small", isSubtle=True, spacing="None"))
        return blocks
    blocks.append(tally_facts(counted, vote.options, locale))
    if vote.status is VoteStatus.CLOSED and not vote.secret and names:
        blocks += voter_lines(names, locale, comment_limit)
    else:
        blocks += remark_lines(counted, locale, comment_limit)
    return blocks


def _vote_body(view: VoteView, locale: str | None, tz: ZoneInfo, proposal_limit: int, comment_limit: int,
               mine: list[dict] | None = None, message: str | None = None, error: str | None = None) -> list[dict]:
    vote = view.vote
    body = heading_blocks(t("votes.title", locale, question=vote.question), message, error)
    if mine:
        body += mine
    if vote.status is VoteStatus.CANCELLED:
        body.append(notice(t("votes.cancelled", locale), color="Attention"))
        if vote.reason:
            body.append(text(t("votes.cancel_reason_given", locale, reason=shorten(vote.reason, MAX_REASON)),
                             isSubtle=True, spacing="None"))
    body.append(text(t("votes.proposal", locale), weight="Bolder", spacing="Medium"))
    body.append(text(shorten(vote.proposal, proposal_limit), spacing="None"))
    if vote.status is VoteStatus.OPEN:
        body.append(text(t("votes.deadline_line", locale, deadline=deadline_text(vote.deadline, locale, tz)),
                         weight="Bolder", spacing="Medium"))
        if vote.extensions:
            body.append(text(t("votes.was_extended", locale), size="Small", isSubtle=True, spacing="None"))
    elif vote.closed_at is not None:
        key = "votes.closed_at" if vote.status is VoteStatus.CLOSED else "votes.cancelled_at"
        body.append(text(t(key, locale, when=deadline_text(vote.closed_at, locale, tz)), spacing="Medium",
                         isSubtle=True))
    body.append(text(mode_line(vote, locale), size="Small", isSubtle=True, spacing="None"))
    if vote.status is not VoteStatus.CANCELLED:
        body += _result_blocks(vote, view.tally, view.names, locale, comment_limit)
    else:
        body.append(text(turnout_line(view.tally, locale), weight="Bolder"))
    return body


# --- the shared channel card and the user-specific views ---------------------------------------------------------


def shared_vote_card(view: VoteView, refresh_ids: Sequence[str] = (), locale: str | None = None, *,
                     tz: ZoneInfo = OSLO) -> dict:
    """The channel card: everyone sees the same; buttons while open, the result once closed."""
    vote = view.vote

    def build(level: tuple[int, int]) -> dict:
        actions = option_buttons(vote, locale) if vote.status is VoteStatus.OPEN else []
        return _with_refresh(card(_vote_body(view, locale, tz, *level), actions), vote, refresh_ids)

    return within_budget(build, VOTE_LEVELS)


def _mine_line(mine: MyBallot, locale: str | None) -> dict:
    vote = mine.vote
    if not mine.entitled:
        return notice(t("votes.not_entitled", locale), color="Warning")
    if vote.status is VoteStatus.OPEN:
        if not mine.voted:
            return notice(t("votes.mine.not_voted", locale), color="Warning")
        if mine.choice is None:
            return notice(t("votes.mine.voted_secret", locale))
        return notice(t("votes.mine.voted", locale, choice=choice_label(mine.choice, locale)))
    if not mine.voted:
        return notice(t("votes.mine.did_not_vote", locale), color="Default")
    if mine.choice is None:
        return notice(t("votes.mine.did_vote", locale), color="Default")
    return notice(t("votes.mine.did_vote_choice", locale, choice=choice_label(mine.choice, locale)), color="Default")


def my_vote_card(mine: MyBallot, view: VoteView, refresh_ids: Sequence[str] = (), locale: str | None = None, *,
                 tz: ZoneInfo = OSLO, is_manager: bool = False, message: str | None = None,
                 error: str | None = None) -> dict:
    """One user's own view (the answer to VOTE_REFRESH / VOTE_CAST): the shared card plus where they stand.

    Not entitled: no buttons. `is_manager` (council.votes.may_manage) adds the organiser's tools. The same
    `refresh` block as the shared card is kept, so Teams goes on asking for this user's view."""
    vote = view.vote
    entitled_open = mine.entitled and vote.status is VoteStatus.OPEN

    def build(level: tuple[int, int]) -> dict:
        actions = option_buttons(vote, locale, mine.choice, mine.comment) if entitled_open else []
        body = _vote_body(view, locale, tz, *level, mine=[_mine_line(mine, locale)], message=message, error=error)
        tools = manage_actions(vote, locale, tz=tz) if is_manager else []
        if tools:  # in the body: Teams shows at most 5 card-level actions, and the options take 4
            body += [text(t("votes.manage", locale), weight="Bolder", spacing="Medium", size="Small"),
                     action_set(tools)]
        return _with_refresh(card(body, actions), vote, refresh_ids)

    return within_budget(build, VOTE_LEVELS)


def not_entitled_card(view: VoteView, locale: str | None = None, refresh_ids: Sequence[str] = (), *,
                      tz: ZoneInfo = OSLO) -> dict:
    """For someone outside the entitled snapshot: the vote as everyone sees it, without buttons."""
    vote = view.vote

    def build(level: tuple[int, int]) -> dict:
        body = _vote_body(view, locale, tz, *level, mine=[notice(t("votes.not_entitled", locale), color="Warning")])
        return _with_refresh(card(body), vote, refresh_ids)

    return within_budget(build, VOTE_LEVELS)


# --- the organiser --------------------------------------------------------------------------------------------------


def manage_actions(vote: Vote, locale: str | None = None, *, tz: ZoneInfo = OSLO) -> list[dict]:
    """Leader, or the organiser who opened it: close now, extend, cancel (open); export the result (closed)."""
    data = {"vote_id": _vote_id(vote)}
    if vote.status is VoteStatus.OPEN:
        later = (vote.deadline + timedelta(days=1)).astimezone(tz)
        return [
            execute(t("votes.close_now", locale), VOTE_CLOSE, data, validate=False),
            show_card(t("votes.extend", locale), [
                columns(date_input("extend_date", t("votes.extend_date", locale), later.date(), locale),
                        time_input("extend_time", t("votes.extend_time", locale), later.time(), locale))],
                execute(t("votes.extend_save", locale), VOTE_EXTEND, data)),
            show_card(t("votes.cancel", locale), [
                text_input("cancel_reason", t("votes.cancel_reason", locale), multiline=True, max_length=MAX_REASON)],
                execute(t("votes.cancel_confirm", locale), VOTE_CANCEL, data)),
        ]
    if vote.status is VoteStatus.CLOSED:
        return [execute(t("votes.export", locale), VOTE_EXPORT, data, validate=False)]
    return []


def vote_admin_card(view: VoteView, locale: str | None = None, csv_url: str | None = None,
                    pdf_url: str | None = None, *, tz: ZoneInfo = OSLO, message: str | None = None,
                    error: str | None = None) -> dict:
    """The organiser's tools for one vote (sent only to the leader or the organiser who opened it)."""
    vote = view.vote
    body = heading_blocks(t("votes.admin_title", locale, question=shorten(vote.question, 120)), message, error)
    facts = [{"title": t("votes.status_label", locale), "value": t(f"votes.status.{vote.status.value}", locale)},
             {"title": t("votes.deadline", locale), "value": deadline_text(vote.deadline, locale, tz)},
             {"title": t("votes.mode", locale), "value": t("votes.mode.secret" if vote.secret else "votes.mode.named",
                                                          locale)},
             {"title": t("votes.turnout_label", locale), "value": turnout_line(view.tally, locale)}]
    if vote.status is VoteStatus.CLOSED:
        facts.append({"title": t("votes.result_label", locale), "value": outcome_label(vote.outcome, locale)})
    body.append({"type": "FactSet", "facts": facts})
    if vote.status is VoteStatus.OPEN:
        body.append(text(t("votes.close_rule", locale), size="Small", isSubtle=True))
    actions = manage_actions(vote, locale, tz=tz)
    if csv_url:
        actions.append({"type": "Action.OpenUrl", "title": t("votes.download_csv", locale), "url": csv_url})
    if pdf_url:
        actions.append({"type": "Action.OpenUrl", "title": t("votes.download_pdf", locale), "url": pdf_url})
    return card(body, actions)


def vote_form_card(hearing: Hearing | None, default_deadline: datetime, locale: str | None = None,
                   error: str | None = None, values: dict | None = None, *, tz: ZoneInfo = OSLO,
                   pii_fields: Sequence[str] | None = None) -> dict:
    """'Ny avstemning' for leader and secretary; for a hearing, the question and proposal come from its draft.

    `values` are the inputs as sent (strings), to fill the form again after an error. `pii_fields` (from a
    PiiWarning) adds the warning and a button that sends again with pii_confirmed."""
    values = values or {}

    def build(prefill: bool) -> dict:
        return _vote_form(hearing, default_deadline, locale, error, values, tz, pii_fields, prefill)

    return within_budget(build, PROPOSAL_PREFILL_LEVELS)


def _vote_form(hearing: Hearing | None, default_deadline: datetime, locale: str | None, error: str | None,
               values: dict, tz: ZoneInfo, pii_fields: Sequence[str] | None, prefill: bool) -> dict:
    local = default_deadline.astimezone(tz)
    heading = (t("votes.form_title_hearing", locale, title=shorten(hearing.title, 150)) if hearing
               else t("votes.form_title", locale))
    body = heading_blocks(heading, None, error)
    body.append(privacy_notice(locale))
    if pii_fields:
        names = ", ".join(f"«{t(f'votes.field.{name}', locale)}»" for name in pii_fields)
        body.append(text(t("pii.body", locale, fields=names), color="Attention"))
    question = values.get("question") or (t("votes.default_question", locale, title=shorten(hearing.title, 200))
                                          if hearing else "")
    proposal = str(values.get("proposal") or (hearing.draft if hearing else ""))
    body.append(text_input("question", t("votes.field.question", locale), shorten(question, MAX_QUESTION),
                           required=True, max_length=MAX_QUESTION, error=t("votes.question_required", locale)))
    if hearing is not None and hearing.has_draft:
        body.append(text(t("votes.proposal_from_draft", locale), size="Small", isSubtle=True))
    body.append(text_input("proposal", t("votes.field.proposal", locale), proposal if prefill else "",
                           required=hearing is None or not hearing.has_draft, multiline=True,
                           max_length=MAX_PROPOSAL, error=t("votes.proposal_required", locale)))
    if proposal and not prefill:
        body.append(text(t("votes.proposal_too_long_to_show", locale, count=len(proposal)), size="Small",
                         color="Warning", spacing="None"))
    body.append(columns(
        date_input("deadline_date", t("votes.field.deadline_date", locale), _date_value(values, "deadline_date")
                   or local.date(), locale),
        _time_value(time_input("deadline_time", t("votes.field.deadline_time", locale), local.time(), locale),
                    values.get("deadline_time"))))
    body.append(_toggle("secret", t("votes.field.secret", locale), values.get("secret") == "true"))
    body.append(text(t("votes.secret_hint", locale), size="Small", isSubtle=True, spacing="None"))
    body.append(_toggle("live_tally", t("votes.field.live_tally", locale), values.get("live_tally", "true") == "true"))
    body.append(choice_input("quorum", t("votes.field.quorum", locale),
                             [{"title": t(f"votes.quorum.{q.value}", locale), "value": q.value} for q in Quorum],
                             str(values.get("quorum") or Quorum.MORE_THAN_HALF.value), required=True,
                             error=t("votes.field.quorum", locale)))
    body.append(choice_input("majority", t("votes.field.majority", locale),
                             [{"title": t(f"votes.majority.{m.value}", locale), "value": m.value} for m in Majority],
                             str(values.get("majority") or Majority.SIMPLE.value), required=True,
                             error=t("votes.field.majority", locale)))
    data = {"hearing_id": str(hearing.id)} if hearing is not None and hearing.id is not None else {}
    actions = [execute(t("votes.open", locale), VOTE_OPEN, data)]
    if pii_fields:
        actions.append(execute(t("pii.send_anyway", locale), VOTE_OPEN, {**data, "pii_confirmed": "true"}))
    return card(body, actions)


def _toggle(input_id: str, label: str, on: bool) -> dict:
    return {"type": "Input.Toggle", "id": input_id, "title": label, "label": label, "valueOn": "true",
            "valueOff": "false", "value": "true" if on else "false"}


def _date_value(values: dict, key: str) -> date | None:
    try:
        return date.fromisoformat(str(values.get(key) or ""))
    except ValueError:
        return None


def _time_value(element: dict, value: object) -> dict:
    raw = str(value or "")
    if len(raw) == 5 and raw[2] == ":" and raw.replace(":", "").isdigit():
        element["value"] = raw
    return element


# --- messages the vote service queues ------------------------------------------------------------------------------


def result_post_card(vote: Vote, counted: Tally, outcome: Outcome | None, names: Sequence[VoterLine] | None,
                     locale: str | None = None, *, tz: ZoneInfo = OSLO) -> dict:
    """The result posted to the channel when a vote closes."""
    def build(level: tuple[int, int]) -> dict:
        proposal_limit, comment_limit = level
        color = "Good" if outcome is Outcome.PASSED else "Attention"
        body = [title(t("votes.result_title", locale, question=vote.question)),
                {"type": "TextBlock", "text": outcome_label(outcome, locale), "size": "ExtraLarge",
                 "weight": "Bolder", "color": color, "wrap": True},
                text(t("votes.proposal", locale), weight="Bolder", spacing="Medium"),
                text(shorten(vote.proposal, proposal_limit), spacing="None")]
        if vote.closed_at is not None:
            body.append(text(t("votes.closed_at", locale, when=deadline_text(vote.closed_at, locale, tz)),
                             size="Small", isSubtle=True))
        body.append(text(mode_line(vote, locale), size="Small", isSubtle=True, spacing="None"))
        body.append(text(turnout_line(counted, locale), weight="Bolder"))
        body.append(tally_facts(counted, vote.options, locale))
        if not vote.secret and names:
            body += voter_lines(names, locale, comment_limit)
        else:
            body += remark_lines(counted, locale, comment_limit)
        return card(body)

    return within_budget(build, VOTE_LEVELS)


def reminder_card(vote: Vote, locale: str | None = None, *, tz: ZoneInfo = OSLO) -> dict:
    """1:1 to an entitled voter who has not voted: the question, the deadline and the option buttons."""
    body = [title(t("votes.reminder_title", locale)),
            text(t("votes.reminder_body", locale, question=shorten(vote.question, MAX_QUESTION),
                   deadline=deadline_text(vote.deadline, locale, tz))),
            text(t("votes.proposal", locale), weight="Bolder", spacing="Medium"),
            text(shorten(vote.proposal, 1500), spacing="None"),
            text(mode_line(vote, locale), size="Small", isSubtle=True)]
    return card(body, option_buttons(vote, locale) if vote.status is VoteStatus.OPEN else [])


def extended_card(vote: Vote, locale: str | None = None, *, tz: ZoneInfo = OSLO) -> dict:
    """1:1 to every entitled voter: the new deadline; voting (or changing a vote) stays possible until then."""
    body = [title(t("votes.extended_title", locale)),
            text(t("votes.extended_body", locale, question=shorten(vote.question, MAX_QUESTION),
                   deadline=deadline_text(vote.deadline, locale, tz))),
            text(t("votes.proposal", locale), weight="Bolder", spacing="Medium"),
            text(shorten(vote.proposal, 1500), spacing="None")]
    return card(body, option_buttons(vote, locale) if vote.status is VoteStatus.OPEN else [])


def vote_result_lines(votes, locale: str | None) -> list[str]:
    """One line per vote closed since the last meeting: question, outcome and the counts (never who voted)."""
    lines = []
    for view in votes:
        counted = view.tally
        counts = ", ".join(f"{choice_label(c, locale)} {counted.count(c)}" for c in view.vote.options)
        lines.append(t("minutes.vote_line", locale, question=view.vote.question,
                       outcome=outcome_label(view.vote.outcome, locale), counts=counts, voted=counted.voted,
                       entitled=counted.entitled))
    return lines
