"""Reporting across both apps: the staff dashboard, its rollups and charts, report exports,
background export jobs and the staff report pages.

A Django app of its own (`feedback.reporting`, label `reporting`) so that its management
commands, admin and signal wiring live here. Imports go one way: campaigns ← feedback ←
feedback.reporting; nothing in `feedback` but its urls imports this package. The models it
reads and writes (rollups, export jobs) stay in `feedback.models`, where their migrations are.
"""
