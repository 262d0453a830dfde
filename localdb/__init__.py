"""Local SQLite storage of InstDesk: models, engine and migrations, change capture, balances, invariants.

The bottom layer: imports nothing of ``app``, ``sync`` or ``ui``. Import submodules directly
(``localdb.models``, ``localdb.engine``, ...); this package module stays light on purpose.
"""
