"""The entry points of the desktop client: the ``instdesk`` command line, the GUI launcher and the demo.

The top layer: it wires ``ui``, ``sync`` and the Qt-free core ``app`` together, and nothing imports it
(docs/architecture.md).
"""
