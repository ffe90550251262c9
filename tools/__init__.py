"""Developer tools: the terminal chat (python -m tools.chat) and the fake Bot Connector it shares with the tests."""
