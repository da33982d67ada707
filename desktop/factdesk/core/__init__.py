"""Pure-Python engine of FactDesk: ingest, segment, align, diff, facts, store and export.

Nothing in this package may import Qt; the GUI and the command line call these functions.
"""
