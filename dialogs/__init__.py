"""Thin multi-turn flows on botbuilder-dialogs; each calls services and shows cards or texts."""

ACTOR_KEY = "radsbot.actor"  # turn_state key where the bot puts the resolved council Member
