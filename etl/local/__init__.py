"""Local partner datasets: an officer's CSV or workbook turned into catalogue indicators.

Why: a CPP's own partners (council services, NHS board, Police and Fire extracts, colleges, the
third sector) hold the data that tells them most; KnowFife put it beside the national measures
at data-zone level. This package reads such a file (``table``), guesses its geography, period
and value columns (``guess``), checks every row and quarantines the bad ones with a reason
(``validate``), turns the officer's metadata into a catalogue entry (``metadata``), and keeps
every version under ``<user_dir>/local/`` (``store``) so the next build takes the published ones
(``published``). Nothing here ever writes the warehouse: a build does.
"""
