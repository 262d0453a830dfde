"""Use cases of the Qt-free core: each takes a ``Database`` and an ``Actor``, checks the role first,
runs in one transaction, records the audit trail and returns plain frozen dataclasses (never ORM objects),
so the UI's database worker can hand results across threads and the CLI can print them.
"""
