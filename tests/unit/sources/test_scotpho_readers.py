"""ScotPHO profile extracts and deprivation data read on small hand-made files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl.errors import InputError
from etl.sources.published import check_table
from etl.sources.scotpho import CA_DATASET, DEPRIVATION_DATASET, READER, period_code, read

CA_HEAD = ('"area_code","area_type","area_name","year","period","type_definition","indicator","numerator",'
           '"measure","upper_confidence_interval","lower_confidence_interval"')
CA_ROWS = [
    '"S12000008","Council area","East Ayrshire",2016,"4-year aggregate (2014 - 2017)","Percentage",'
    '"Alcohol problem drinking, males",NA,25.3,31.6,19.8',
    '"S12000015","Council area","Fife",2020,"2019 to 2021 calendar years; 3-year aggregates",'
    '"Age-sex standardised rate per 100,000","Road traffic accident casualties",190,51.8,59.4,44.9',
    '"S12000047","Council area","Fife",2021,"2020/21 to 2022/23 financial years; 3-year aggregates",'
    '"Age-sex standardised rate per 100,000","Emergency admissions, aged 65+ years",NA,NA,NA,NA',
    '"S12000047","Council area","Fife",2021,"2021/22 financial year","Percentage",'
    '"Emergency admissions, aged 65+ years",12,1.5,1.7,1.3',
]


def _extract(folder: Path, rows: list[str] = CA_ROWS, head: str = CA_HEAD) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "scotpho_data.csv"
    path.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    return path


def _deprivation_frame() -> pd.DataFrame:
    """Scotland (old code S00000001) by Scotland quintiles, one indicator, one period."""
    quintiles = ["1 - most deprived", "2", "3", "4", "5 - least deprived", "Total"]
    n = len(quintiles)
    frame = pd.DataFrame({
        "code": "S00000001", "year": 2019, "quintile": quintiles, "quint_type": "sc_quin",
        "numerator": [120.0, 90.0, 70.0, np.nan, 40.0, 380.0],
        "denominator": [1000.0, 1000.0, 1000.0, 1000.0, 1000.0, 5000.0],
        "measure": [12.0, 9.0, 7.0, 6.0, 4.0, 7.6], "lowci": [10.0, 7.3, 5.5, 4.6, 2.9, 6.9],
        "upci": [14.3, 11.0, 8.8, 7.9, 5.4, 8.4],
        "sii": [np.nan] * (n - 1) + [-9.8], "lowci_sii": [np.nan] * (n - 1) + [-12.5],
        "upci_sii": [np.nan] * (n - 1) + [-7.1], "rii": [np.nan] * (n - 1) + [-1.29],
        "lowci_rii": [np.nan] * (n - 1) + [-1.64], "upci_rii": [np.nan] * (n - 1) + [-0.93],
        "rii_int": [np.nan] * (n - 1) + [-64.5], "lowci_rii_int": [np.nan] * (n - 1) + [-82.0],
        "upci_rii_int": [np.nan] * (n - 1) + [-46.5], "par": [47.4] * n, "abs_range": [8.0] * n,
        "rel_range": [3.0] * n, "ind_id": 20307, "trend_axis": "2017-2019",
        "def_period": "2017 to 2019 calendar years; 3-year aggregates", "indicator": "Road traffic accident casualties",
        "type_id": "sr", "interpret": "L", "supression": "Y", "supress_less_than": 5.0,
        "type_definition": "Age-sex standardised rate per 100,000", "label_ineq": "Patients",
        "areaname": "Scotland", "areatype": "Scotland",
    })
    return frame


def _row(frame: pd.DataFrame, **where: str) -> pd.Series:
    """The one row matching ``where`` (``SIMD_quintile`` stands for the 'SIMD quintile' column)."""
    mask = np.ones(len(frame), dtype=bool)
    for column, value in where.items():
        mask &= frame[{"SIMD_quintile": "SIMD quintile"}.get(column, column)] == value
    rows = frame[mask]
    assert len(rows) == 1, where
    return rows.iloc[0]


@pytest.mark.parametrize(("label", "code"), [
    ("2021 calendar year", "2021"), ("Calendar year (2022)", "2022"), ("2019 survey year", "2019"),
    ("2021 July snapshot", "2021"), ("31st March 2014 snapshot", "2014"), ("2021 mid-year estimate", "2021"),
    ("2021/22 financial year", "2021/22"), ("Financial year (2021/22)", "2021/22"), ("2022/23 school year", "2022/23"),
    ("2020/21 to 2022/23 financial years; 3-year aggregates", "2022/23"),
    ("2002/04-2004/05 financial years; 3-year aggregates", "2004/05"),
    ("2019 to 2021 calendar years; 3-year aggregates", "2019-2021"), ("2019-2021 (3 year aggregate)", "2019-2021"),
    ("4-year aggregate (2014 - 2017)", "2014-2017"), ("4-year aggregate (2018-2022)", "2018-2022"),
    ("Survey year (2017-2019)", "2017-2019"), ("2010-2013 combined survey years", "2010-2013"),
    ("2012 to 2014 March snapshot; 3-year average", "2012-2014"), ("no year here", None),
])
def test_period_codes(label: str, code: str | None) -> None:
    assert period_code(label) == code


def test_profile_extract(tmp_path: Path) -> None:
    path = _extract(tmp_path)
    [table] = read(path)
    check_table(table, path)
    frame = table.frame
    assert table.dataset == CA_DATASET and READER.suffixes == (".csv", ".parquet")
    rta = _row(frame, Measurement="Road traffic accident casualties", Units="Age-sex standardised rate per 100,000")
    # a retired Fife code becomes the current one; the published interval is carried through
    assert (rta.FeatureCode, rta.DateCode, rta.Value, rta.LowerCI, rta.UpperCI) == \
        ("S12000047", "2019-2021", "51.8", "44.9", "59.4")
    assert _row(frame, Measurement="Road traffic accident casualties", Units="Numerator").Value == "190"
    # NA is withheld: blank value and interval
    withheld = _row(frame, Measurement="Emergency admissions, aged 65+ years", DateCode="2022/23",
                    Units="Age-sex standardised rate per 100,000")
    assert (withheld.Value, withheld.LowerCI, withheld._source_row) == ("", "", 4)
    # an indicator with no numerator anywhere in the file has no numerator rows
    assert not ((frame.Measurement == "Alcohol problem drinking, males") & (frame.Units == "Numerator")).any()
    assert _row(frame, Measurement="Alcohol problem drinking, males").DateCode == "2014-2017"


def test_deprivation_parquet_and_csv(tmp_path: Path) -> None:
    source = _deprivation_frame()
    parquet, csv = tmp_path / "deprivation.parquet", tmp_path / "deprivation.csv"
    source.to_parquet(parquet)
    source.to_csv(csv, index=False, na_rep="NA")
    for path in (parquet, csv):
        [table] = read(path)
        check_table(table, path)
        frame = table.frame
        assert table.dataset == DEPRIVATION_DATASET
        q1 = _row(frame, Units="Age-sex standardised rate per 100,000", SIMD_quintile="1")
        assert (q1.FeatureCode, q1.DateCode, q1["Quintile basis"]) == ("S92000003", "2017-2019", "Scotland")
        assert (float(q1.Value), float(q1.LowerCI), float(q1.UpperCI)) == (12.0, 10.0, 14.3)
        assert float(_row(frame, Units="Denominator", SIMD_quintile="Total").Value) == 5000
        assert _row(frame, Units="Numerator", SIMD_quintile="4").Value == ""  # suppressed at source
        sii = _row(frame, Units="Slope index of inequality")
        assert (sii["SIMD quintile"], float(sii.Value), float(sii.LowerCI), float(sii.UpperCI)) == \
            ("Total", -9.8, -12.5, -7.1)
        # the inequality measures, repeated on every row by ScotPHO, are read once per group
        assert (frame.Units == "Population attributable risk, %").sum() == 1
        assert float(_row(frame, Units="Relative index of inequality, % above the average").Value) == -64.5


def test_bad_cells_name_file_row_and_column(tmp_path: Path) -> None:
    rows = [CA_ROWS[0], CA_ROWS[1].replace('"S12000015"', '"S13002500"')]
    with pytest.raises(InputError) as err:
        read(_extract(tmp_path / "a", rows))
    assert (err.value.row, err.value.column) == (3, "area_code") and "S13002500" in err.value.reason
    with pytest.raises(InputError) as err:
        read(_extract(tmp_path / "b", [CA_ROWS[0], CA_ROWS[1].replace(",51.8,", ",high,")]))
    assert (err.value.row, err.value.column) == (3, "measure")
    with pytest.raises(InputError) as err:
        read(_extract(tmp_path / "c", [CA_ROWS[0].replace("4-year aggregate (2014 - 2017)", "latest")]))
    assert (err.value.row, err.value.column) == (2, "period")
    bad = _deprivation_frame()
    bad.loc[2, "quintile"] = "6"
    bad.to_parquet(tmp_path / "bad.parquet")
    with pytest.raises(InputError) as err:
        read(tmp_path / "bad.parquet")
    assert (err.value.row, err.value.column) == (4, "quintile")


def test_unrecognised_csv_and_duplicates_fail(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a ScotPHO"):
        read(_extract(tmp_path / "a", ["x,y"], head="indicator_name,indicator_number"))
    with pytest.raises(InputError, match="appear twice"):
        read(_extract(tmp_path / "b", [CA_ROWS[1], CA_ROWS[1]]))


def test_lands_through_the_publisher_loader(tmp_path: Path) -> None:
    import duckdb

    from etl.sources import published

    release = tmp_path / "scotpho" / "2024-10"
    _extract(release)
    _deprivation_frame().to_parquet(release / "deprivation.parquet")
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    used = published.load(con, tmp_path, [READER])
    assert sorted(f.path.name for f in used) == ["deprivation.parquet", "scotpho_data.csv"]
    landed = con.execute(
        "SELECT dataset, count(*), count(DISTINCT _release) FROM raw.published__observations GROUP BY 1 ORDER BY 1"
    ).fetchall()
    # 4 values; numerators of the two indicators with any (one of them blank): 7. 6 x 3 + 6 measures: 24
    assert landed == [(CA_DATASET, 7, 1), (DEPRIVATION_DATASET, 24, 1)]
    q1 = con.execute("SELECT \"Value\", dimensions['SIMD quintile'], dimensions['Quintile basis'] "
                     "FROM raw.published__observations WHERE dataset = ? AND \"Units\" = 'Numerator' "
                     "AND dimensions['SIMD quintile'] = '1'", [DEPRIVATION_DATASET]).fetchall()
    assert q1 == [("120", "1", "Scotland")]
