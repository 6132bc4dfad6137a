"""Harvesting columns into a corpus folder: listing posts, fetching politely, storing without overwriting edits.

The only part of the toolkit that writes into a corpus folder (``mrhistory collect``).
"""
