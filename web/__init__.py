"""The council's tab in Teams: server-rendered pages over the same services and roles as the bot."""
