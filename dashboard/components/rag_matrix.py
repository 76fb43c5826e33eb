"""The Dashboard's RAG matrix as one HTML table: the scope's own column, then its communities.

Why: the cells' words, colours and notes come from ``dashboard.logic.rag.matrix``, the same cells the
board report's PDF and workbook print; this module only lays them out for the screen (one component,
``html_table``, so a matrix of 150 communities draws at once), and is importable without the page.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from dash import html

from dashboard.components.html_table import html_table
from dashboard.logic.local_label import titled_labels, with_local
from dashboard.logic.rag import has_scope_column, matrix

CAPTION = ("Trend of each indicator in the whole area and in each community, with its status against a target where "
           "one is set, its latest value and the target")


def matrix_table(frame: pd.DataFrame, local: Mapping[str, str] | None = None) -> html.Div | None:
    """The matrix of ``Queries.rag_matrix`` rows (None when there are none); ``local`` maps a local
    dataset's id to its label (its title carries it)."""
    areas, rows = matrix(frame)
    if not rows:
        return None
    titled = titled_labels(frame, local or {})
    # a ruled line after the whole area's own column (app.css), when the matrix has it
    scope = " cpop-rag-scope" if has_scope_column(frame) else ""
    return html_table(["Indicator", *areas],
                      [(with_local(title, titled.get(title, "")), [(c.text, c.colour, c.note) for c in cells])
                       for title, cells in rows],
                      caption=CAPTION, class_name=f"table table-sm table-bordered cpop-rag{scope}")
