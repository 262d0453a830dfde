"""Read models of the manager's screens: plain frozen dataclasses from a few queries each.

The UI's database worker calls these and hands the results to the GUI thread; nothing here knows Qt.
Pure helpers that a form calls live as the user types (course checks, teacher eligibility) are here too,
so the widgets never reach into rules, policy or the database on their own.
"""
