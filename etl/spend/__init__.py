"""Spend and resource data alongside need: an officer's own file of expenditure, staff hours or
grants by locality, ward, intermediate zone or data zone and year (optionally by service).

Why: KnowFife showed where money is spent against where need is; national tools stop at
national data. ``read`` turns the officer's CSV or XLSX into text rows, ``validate`` checks each
row against the warehouse's areas (every refused row kept, with its reason), ``store`` keeps the
raw file, the tidy rows and the metadata under ``data/user/spend/<dataset>/`` (outside the
warehouse, so they survive rebuilds), and ``need`` holds the pure arithmetic of spend per head
against a need measure.
"""
