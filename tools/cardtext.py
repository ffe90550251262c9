"""An Adaptive Card as a terminal shows it: text, facts, inputs with their values, numbered buttons.

`CardView` also keeps what a Teams client keeps while a user works on a card: the values typed into its inputs
and which `Action.ShowCard` is open, so the chat can fill inputs and press buttons the way a user would.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

CONTAINERS = ("body", "items", "columns")


@dataclass
class CardView:
    """A card the bot sent, where it is, and the user's unsent edits to it."""

    payload: dict
    conversation_id: str
    activity_id: str | None = None
    dialog: bool = False  # shown in a task module (dialog) rather than in the chat
    values: dict[str, str] = field(default_factory=dict)
    shown: dict | None = None  # the open Action.ShowCard

    def __post_init__(self) -> None:
        for element in self.inputs():
            if element.get("value") is not None:
                self.values.setdefault(element["id"], str(element["value"]))

    def cards(self) -> list[dict]:
        """The card and, when one is open, the card of its ShowCard."""
        return [self.payload] + ([self.shown["card"]] if self.shown else [])

    def inputs(self) -> list[dict]:
        return [e for c in self.cards() for e in _walk(c.get("body", [])) if e.get("type", "").startswith("Input.")]

    def actions(self) -> list[dict]:
        """Every visible button in display order; numbered from 1 in `lines`."""
        found = []
        for c in self.cards():
            found += [a for e in _walk(c.get("body", [])) if e.get("type") == "ActionSet" for a in e["actions"]]
            found += c.get("actions", [])
        return found

    def show(self, action: dict) -> None:
        """Open a ShowCard (pressing the open one closes it); its inputs join the card's."""
        self.shown = None if self.shown is action else action
        self.__post_init__()

    def lines(self) -> list[str]:
        out: list[str] = []
        for number, c in enumerate(self.cards()):
            if number:
                out.append(f"  ▾ {self.shown['title']}")
            out += [line for e in c.get("body", []) for line in _element(e, self.values)]
        buttons = [f"[{i}] {_button(a, a is self.shown)}" for i, a in enumerate(self.actions(), 1)]
        if buttons:
            out.append("  " + "   ".join(buttons))
        return out


def _walk(elements: list) -> list[dict]:
    """Visible elements, depth first, without descending into actions (a ShowCard's card is not shown yet)."""
    found = []
    for e in elements:
        if not isinstance(e, dict) or e.get("isVisible") is False:
            continue
        found.append(e)
        for key in CONTAINERS:
            found += _walk(e.get(key) or [])
    return found


def _element(e: dict, values: dict[str, str]) -> list[str]:
    kind = e.get("type", "")
    if e.get("isVisible") is False:
        return []
    if kind == "TextBlock":
        text = _plain(e.get("text", ""))
        if e.get("size") in ("Medium", "Large", "ExtraLarge") and e.get("weight") == "Bolder":
            text = f"# {text}"
        return ["  " + line for line in text.splitlines()]
    if kind == "RichTextBlock":
        return ["  " + _plain("".join(i.get("text", "") for i in e.get("inlines", []) if isinstance(i, dict)))]
    if kind == "FactSet":
        return [f"  {_plain(f.get('title', ''))}: {_plain(str(f.get('value', '')))}" for f in e.get("facts", [])]
    if kind.startswith("Input."):
        return [input_line(e, values)]
    if kind == "Image":
        return [f"  [bilde: {e.get('altText') or e.get('url', '')}]"]
    return [line for key in CONTAINERS for child in e.get(key) or [] for line in _element(child, values)]


def input_line(e: dict, values: dict[str, str]) -> str:
    """One input as «label: value», with its choices; `*` marks a required one."""
    label = e.get("label") or e.get("title") or e.get("placeholder") or e["id"]
    value = values.get(e["id"], "")
    required = " *" if e.get("isRequired") else ""
    if e["type"] == "Input.ChoiceSet":
        titles = {c["value"]: c["title"] for c in e.get("choices", [])}
        chosen = ", ".join(titles.get(v, v) for v in value.split(",") if v) if value else ""
        return f"  ▸ {label}{required}: «{chosen}»  (valg: {' | '.join(titles.values())})"
    if e["type"] == "Input.Toggle":
        on = value == str(e.get("valueOn", "true"))
        return f"  ▸ {label}: [{'x' if on else ' '}] {e.get('title', '')}".rstrip()
    return f"  ▸ {label}{required}: «{value}»"


def _button(action: dict, open_: bool) -> str:
    title = action.get("title") or action.get("verb") or action["type"]
    if action["type"] == "Action.ShowCard":
        return f"{title} {'▾' if open_ else '▸'}"
    if action["type"] == "Action.OpenUrl":
        return f"{title} ↗"
    return title


def _plain(text: str) -> str:
    """Markdown as a terminal reads it: '26\\. november' loses its escape, links show their target."""
    text = text.replace("\\.", ".")
    return re.sub(r"\[([^\]]+)\]\(([^)]+)\)", lambda m: m[1] if m[1] == m[2] else f"{m[1]} <{m[2]}>", text)
