"""Spreadsheet import of students and streaming export of students, attendance, money and statistics."""
