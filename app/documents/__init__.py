"""Documents a parent signs and a bureau accepts: the model contract GF—2021—2604, receipts and refund slips.

Qt-free: each document is built from the database as plain facts (``contract.py``, ``receipt.py``) and
rendered as HTML (``html.py`` helpers) that the UI lays out and writes to PDF (``ui/documents.py``).
Documents are legal papers in Chinese whatever the interface language, so nothing here is translated.
See docs/contract.md for the field list and where each value comes from.
"""
