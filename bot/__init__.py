"""The Teams edge: the only place (with dialogs/) that imports botbuilder."""
