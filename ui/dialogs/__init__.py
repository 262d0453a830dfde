"""Dialogs of the shell: sign-in, settings, first run, the bug dialog and the message presenter."""
