"""The chart, words and workbook of a spend view, from a view built by hand (no warehouse)."""

from __future__ import annotations

import io
import math

import openpyxl
import pandas as pd

from dashboard.data.spend import SpendView, default_measure, service_options
from dashboard.exports.spend_need import spend_need_xlsx, with_spend_sheets
from dashboard.figures.spend_need import spend_need_figure
from dashboard.logic.spend_need import list_items, money, need_text, ranked_rows, summary
from etl.spend.need import QUADRANTS, spend_need
from etl.spend.store import SpendMetadata


def _view(polarity: str = "low_is_good", title: str = "Youth work") -> SpendView:
    spend = pd.DataFrame({"area_code": ["A", "B", "C", "D"], "area_name": ["Alpha", "Bravo", "=Charlie", "Delta"],
                          "amount": [4000.0, 2000.0, 9000.0, 1000.0]})
    population = pd.DataFrame({"area_code": ["A", "B", "C", "D"], "population": [1000, 2000, 1500, 500]})
    need = pd.DataFrame({"area_code": ["A", "B", "C", "D"], "need_value": [20.0, 15.0, 8.0, math.nan],
                         "need_period": ["2023"] * 4})
    meta = SpendMetadata(dataset_id="youth-work", title=title, organisation="Eastshire Council", units="£",
                         area_type="locality", source_file="spend.csv", added_at="2026-01-01T00:00:00+00:00",
                         rows_read=4, rows_accepted=4, rows_quarantined=0, years=[2023], services=["Youth work"],
                         councils=["S12000901"], period_labels={"2023": "2023/24"})
    return SpendView(meta, "S12000901", "Eastshire", "Youth work", 2023, "econ_income_deprived",
                     "Income deprivation", "%", "2023", 2023, spend_need(spend, population, need, 12.0, polarity))


def test_words_and_rows() -> None:
    view = _view()
    assert money(3.2, "£") == "£3.20" and money(1234.5, "hours", 1) == "1,234.5 hours" and money(None, "£") == "–"
    assert need_text(12.0, "%") == "12.0%" and need_text(math.nan, "%") == "withheld or not available"
    rows = ranked_rows(view)
    assert [r["Area"] for r in rows] == ["=Charlie", "Alpha", "Delta", "Bravo"]
    assert rows[0]["Spend per head"] == 6.0 and rows[2]["Need measure"] is None and rows[2]["Quarter"] == "Not placed"
    assert list_items(view)["Higher need, lower spend"] == ["Bravo: £1.00 per head, Income deprivation 15.0%"]
    text = summary(view)
    assert "Youth work (youth work, 2023/24)" in text and "£3.20" in text and "12.0%" in text


def test_figure_names_the_quarters_in_words_and_reverses_a_high_is_good_axis() -> None:
    figure = spend_need_figure(_view())
    words = {a.text for a in figure.layout.annotations}
    assert {f"<b>{q}</b>" for q in QUADRANTS} <= words
    assert "Council: £3.20 per head" in words and "Council: 12.0%" in words
    assert sum(len(t.x) for t in figure.data) == 3  # Delta's need is withheld: not drawn
    assert {t.marker.symbol for t in figure.data} == {"diamond", "circle", "square"}  # shape, not colour alone
    assert figure.layout.xaxis.autorange is True
    assert spend_need_figure(_view("high_is_good")).layout.xaxis.autorange == "reversed"


def test_workbook_is_formula_safe_and_withheld_is_words() -> None:
    view = _view(title="=HYPERLINK(\"http://x\")")
    book = openpyxl.load_workbook(io.BytesIO(spend_need_xlsx(view)))
    sheet = book["Spend and need"]
    cells = {(c.row, c.column): c for row in sheet.iter_rows() for c in row}
    title = next(c for c in cells.values() if isinstance(c.value, str) and c.value.startswith("=HYPERLINK"))
    assert title.data_type == "s" and title.quotePrefix
    values = [c.value for c in cells.values()]
    assert "withheld or not available" in values and "=Charlie" in values
    empty = openpyxl.Workbook()
    buffer = io.BytesIO()
    empty.save(buffer)
    assert with_spend_sheets(buffer.getvalue(), []) == buffer.getvalue()
    assert openpyxl.load_workbook(io.BytesIO(with_spend_sheets(buffer.getvalue(), [view, view]))).sheetnames[1:] == \
        ["Spend and need 1", "Spend and need 2"]


def test_defaults() -> None:
    assert default_measure(["ey_child_poverty", "econ_income_deprived"]) == "econ_income_deprived"
    assert default_measure(["ss_crime_rate"]) == "ss_crime_rate"
    view = _view()
    assert service_options(view.meta) == ["Youth work"]
    assert service_options(view.meta.model_copy(update={"services": ["A", "B"]})) == ["All services", "A", "B"]
