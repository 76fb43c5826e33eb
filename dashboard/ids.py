"""Every component id in the dashboard, in one place (CONVENTIONS 9).

Why: layouts, callbacks and browser tests must agree on ids; a typo in a literal string
fails silently in Dash, a typo in a constant fails at import.
"""

from __future__ import annotations

from typing import Any


def clear_button(target: Any) -> dict[str, Any]:
    """The id of the "Clear" button of the picker ``target`` (pattern-matching: ALL for every one)."""
    return {"type": "clear-picker", "target": target}


# App shell
NAVBAR = "app-navbar"
NAVBAR_TOGGLER = "app-navbar-toggler"
NAVBAR_COLLAPSE = "app-navbar-collapse"
DEMO_BANNER = "app-demo-banner"  # shown on every page when the warehouse is the fictional demo
APP_ERROR = "app-error"  # a callback that failed says so here (never an HTTP 500)
NAV_SIGN_IN = "app-nav-sign-in"  # the navbar's "Sign in" link (viewers)
NAV_SIGN_OUT = "app-nav-sign-out"  # the navbar's "Sign out" button (officers)

# Sign in (officers only; viewers never need to)
SIGN_IN_FORM = "sign-in-form"
SIGN_IN_USERNAME = "sign-in-username"
SIGN_IN_PASSWORD = "sign-in-password"
SIGN_IN_SUBMIT = "sign-in-submit"
SIGN_IN_MESSAGE = "sign-in-message"
MAIN = "main-content"  # the <main> landmark: the skip link's target
SKIP_LINK = "app-skip-link"
SITE_FOOTER = "app-footer"
FOOTER_ACCESSIBILITY = "app-footer-accessibility"  # the footer link to the accessibility statement

# Home: what the tool is, pick an area (type-ahead, saved areas too), six priority tiles
HOME_PAGE_URL = "home-url"
HOME_PAGE_STATUS = "home-status"
HOME_TYPE = "home-area-type"
HOME_AREA = "home-area"
HOME_TILES = "home-tiles"

# Quick Profile: URL state, picker, profile table, trend
HOME_URL = "qp-url"
HOME_STATUS = "qp-status"
AREA_TYPE = "qp-area-type"
AREA = "qp-area"
AREA_HEADING = "qp-area-heading"
LATEST = "qp-latest"
LATEST_LOADING = "qp-latest-loading"
INDICATOR = "qp-indicator"
TREND = "qp-trend"
TREND_GRAPH = "qp-trend-graph"
TREND_LOADING = "qp-trend-loading"
BUILD_FOOTER = "qp-build-footer"
QP_TABLE_CSV = "qp-table-csv"
QP_TABLE_DOWNLOAD = "qp-table-download"
QP_WHY_DIFFER = "qp-why-differ"  # why CPOP's rating and cpop's trend verdict can differ
QP_MISSING = "qp-missing"  # the indicators the area has no value for, with the reason


# Data Explorer
EXPLORER_SEARCH = "explorer-search"
EXPLORER_PRIORITY = "explorer-priority"
EXPLORER_RESULTS = "explorer-results"
EXPLORER_URL = "explorer-url"


def explorer_summary(indicator_id: Any) -> dict[str, Any]:
    """The "Definition, source and method" toggle of one Data explorer indicator (MATCH in its callback)."""
    return {"type": "explorer-summary", "indicator": indicator_id}


def explorer_record(indicator_id: Any) -> dict[str, Any]:
    """Where that indicator's full record is drawn once its toggle is first opened."""
    return {"type": "explorer-record", "indicator": indicator_id}


# Advanced Tables
TABLES_URL = "tables-url"
TABLES_INDICATORS = "tables-indicators"
TABLES_AREA_TYPE = "tables-area-type"
TABLES_COUNCIL = "tables-council"
TABLES_COLUMNS = "tables-columns"
TABLES_GRID = "tables-grid"
TABLES_GRID_HELP = "tables-grid-help"  # how to move through the grid with the keyboard
TABLES_STATUS = "tables-status"
TABLES_CSV = "tables-download-csv"
TABLES_XLSX = "tables-download-xlsx"
TABLES_DOWNLOAD = "tables-download"
TABLES_PERIODS = "tables-periods"
TABLES_PIVOT = "tables-pivot"

# Dashboard (RAG matrix and exception report)
RAG_URL = "rag-url"
RAG_COUNCIL = "rag-council"
RAG_AREA_TYPE = "rag-area-type"
RAG_MATRIX = "rag-matrix"
RAG_EXCEPTIONS = "rag-exceptions"
RAG_COMMENT_INDICATOR = "rag-comment-indicator"
RAG_COMMENT_TEXT = "rag-comment-text"
RAG_COMMENT_SAVE = "rag-comment-save"
RAG_COMMENT_STATUS = "rag-comment-status"
RAG_COMMENT_SAVED = "rag-comment-saved"  # dcc.Store: the last note saved (redraws the exception report)
RAG_SCOPE = "rag-scope"  # the whole council or one of its localities
RAG_HEADING = "rag-heading"
RAG_REPORT_PDF = "rag-report-pdf"
RAG_REPORT_XLSX = "rag-report-xlsx"
RAG_REPORT_DOWNLOAD = "rag-report-download"
RAG_REPORT_STATUS = "rag-report-status"

# About
ABOUT_BODY = "about-body"

# Accessibility statement
ACCESSIBILITY_CONTACT = "accessibility-contact"

# Quick Profile exports
EXPORT_PDF = "qp-export-pdf"
EXPORT_XLSX = "qp-export-xlsx"
EXPORT_CSV = "qp-export-csv"
EXPORT_DOWNLOAD = "qp-export-download"
EXPORT_STATUS = "qp-export-status"

# Area Profiles
PROFILE_URL = "profile-url"
PROFILE_AREA_TYPE = "profile-area-type"
PROFILE_AREA = "profile-area"
PROFILE_THEME = "profile-theme"
PROFILE_INDICATOR = "profile-indicator"
PROFILE_BASIS = "profile-basis"
PROFILE_BODY = "profile-body"
PROFILE_MAIN = "profile-main"
PROFILE_SPINE = "profile-spine"
PROFILE_INEQUALITY = "profile-inequality"
PROFILE_MORE_INEQUALITY = "profile-more-inequality"  # the folded further measures' summary (its clicks)
PROFILE_MORE_INEQUALITY_BODY = "profile-more-inequality-body"  # where they are drawn when opened
PROFILE_MISSING = "profile-missing"
PROFILE_PARENT = "profile-parent"
PROFILE_NOTICE = "profile-notice"  # why the link's area type or area was replaced
PROFILE_COMPARATORS = "profile-comparators"  # the areas drawn beside the area on its trend chart
PROFILE_COMPARATOR_NOTICE = "profile-comparator-notice"  # why a comparator in the link was left out


def glossary_term(scope: str, slug: str, index: int = 0) -> str:
    """The button that opens a glossary term's definition (``scope`` names the caption or header)."""
    return f"glossary-{scope}-{slug}-{index}"

# My areas (user-made areas)
MY_URL = "my-url"
MY_COUNCIL = "my-council"
MY_MAP = "my-map"
MY_MODE = "my-mode"
MY_PICK = "my-pick"  # add zones by name: localities, wards, intermediate zones, data zones
MY_ADD = "my-add"
MY_CLEAR = "my-clear"
MY_SUMMARY = "my-summary"
MY_SELECTION = "my-selection"
MY_CODES = "my-codes"
MY_UPLOAD = "my-upload"
MY_NAME = "my-name"
MY_SAVE = "my-save"
MY_STATUS = "my-status"
MY_LIST = "my-list"
MY_PROFILE = "my-profile"
MY_RENAME = "my-rename"
MY_DELETE = "my-delete"
MY_EXPORT_CSV = "my-export-csv"
MY_EXPORT_GEOJSON = "my-export-geojson"
MY_EXPORT_PDF = "my-export-pdf"
MY_DOWNLOAD = "my-download"
MY_EXPORT_STATUS = "my-export-status"
CHART_PNG = "qp-chart-png"
CHART_SVG = "qp-chart-svg"
CHART_DOWNLOAD = "qp-chart-download"

# What changed in this release: compared release, council, the lists, the workbook download
CHANGES_URL = "changes-url"
CHANGES_SINCE = "changes-since"
CHANGES_COUNCIL = "changes-council"
CHANGES_HEADLINE = "changes-headline"
CHANGES_BODY = "changes-body"
CHANGES_XLSX = "changes-download-xlsx"
CHANGES_DOWNLOAD = "changes-download"
HOME_CHANGES = "home-changes"  # Home: "12 indicators updated on 3 March 2026; 4 verdicts changed for Fife"

# Spend and need: an officer's spend data per head against a need measure (issue 15, item 4)
SPEND_URL = "spend-url"
SPEND_DATASET = "spend-dataset"
SPEND_COUNCIL = "spend-council"
SPEND_SERVICE = "spend-service"
SPEND_YEAR = "spend-year"
SPEND_MEASURE = "spend-measure"
SPEND_HEADING = "spend-heading"
SPEND_VIEW = "spend-view"
SPEND_GRAPH = "spend-graph"
SPEND_GRID = "spend-grid"
SPEND_XLSX = "spend-download-xlsx"
SPEND_DOWNLOAD = "spend-download"
SPEND_QUARANTINE = "spend-download-quarantine"  # the dataset's quarantined rows as CSV
SPEND_UPLOAD = "spend-upload"
SPEND_TITLE = "spend-title"
SPEND_ORGANISATION = "spend-organisation"
SPEND_KIND = "spend-kind"
SPEND_UNITS = "spend-units"
SPEND_LICENCE = "spend-licence"
SPEND_ADD = "spend-add"
SPEND_REMOVE = "spend-remove"
SPEND_STATUS = "spend-status"
SPEND_REPORT = "spend-report"

# Local data page (/local): officers add, check, publish and roll back local partner datasets
LOCAL_DATASETS = "local-datasets"  # the table of local datasets (everyone)
LOCAL_UPLOAD = "local-upload"
LOCAL_FILE_STATUS = "local-file-status"  # what the guess made of the file
LOCAL_GUESS = "local-guess"  # why each column was chosen
LOCAL_SHEET = "local-sheet"
LOCAL_GEOGRAPHY = "local-geography-column"
LOCAL_PERIOD = "local-period-column"
LOCAL_VALUE = "local-value-column"
LOCAL_META_PREFIX = "local-meta-"  # + a field of etl.local.metadata.LocalMetadata (denominator fields: denominator_*)
LOCAL_CHECK = "local-check"
LOCAL_KEEP = "local-keep"
LOCAL_STATUS = "local-status"
LOCAL_REPORT = "local-report"
LOCAL_QUARANTINE_GRID = "local-quarantine-grid"
LOCAL_QUARANTINE = "local-download-quarantine"
LOCAL_DOWNLOAD = "local-download"
LOCAL_DATASET = "local-dataset"  # the dataset to publish or roll back
LOCAL_VERSION = "local-version"  # the version to publish (default the newest)
LOCAL_PUBLISH = "local-publish"
LOCAL_ROLLBACK = "local-rollback"
LOCAL_PUBLISH_STATUS = "local-publish-status"
LOCAL_BUILD = "local-build"  # "Build now": rebuild the served warehouse in a separate process
LOCAL_BUILD_POLL = "local-build-poll"  # the interval that reads the build's progress file
LOCAL_BUILD_STATUS = "local-build-status"  # the progress bar, then "Built" or the build's error
