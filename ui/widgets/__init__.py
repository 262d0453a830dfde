"""Reusable widgets of the shell and the panels."""
