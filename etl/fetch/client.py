"""A polite HTTP client for publishers: User-Agent, timeouts, retries with backoff, resumable,
size-limited, conditional downloads (``requests`` with urllib3's ``Retry``).

Why: publishers' servers are shared public services. cpop names itself, gives up after a bounded
wait, backs off when a server is busy (429/5xx, honouring ``Retry-After``), asks "has it changed?"
(``If-None-Match`` / ``If-Modified-Since``) instead of downloading again, and resumes an
interrupted transfer (``Range`` / ``If-Range``) instead of starting over.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from etl.fetch.errors import FetchError
from etl.sources.files import sha256_of

#: (bytes so far, total bytes or None) for a progress bar
Progress = Callable[[int, int | None], None]
_CHUNK = 1 << 16
_RETRY_STATUSES = (429, 500, 502, 503, 504)


@dataclass(frozen=True)
class Download:
    """What one request gave: a new file at ``path`` or ``unchanged`` (HTTP 304)."""

    unchanged: bool
    path: Path | None = None
    etag: str | None = None
    last_modified: str | None = None
    size_bytes: int = 0
    sha256: str | None = None


class Client:
    """One session per ``cpop fetch`` run (connection reuse), with the manifest's politeness settings."""

    def __init__(self, user_agent: str, *, timeout_s: float, retries: int, backoff_s: float) -> None:
        self.timeout_s = timeout_s
        self.retries = retries
        self.backoff_s = backoff_s
        retry = Retry(total=retries, connect=retries, read=retries, status=retries, backoff_factor=backoff_s,
                      status_forcelist=_RETRY_STATUSES, allowed_methods=frozenset({"GET", "HEAD", "POST"}),
                      respect_retry_after_header=True, raise_on_status=False)
        self.session = requests.Session()
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = user_agent

    def close(self) -> None:
        self.session.close()

    # ------------------------------------------------------------------------------- small answers
    def get_json(self, source: str, url: str, params: dict[str, str] | None = None) -> dict:
        """A JSON answer (a CKAN API call), or a ``FetchError`` saying what went wrong."""
        response = self._request(source, "GET", url, params=params)
        with response:
            self._raise_for_status(source, url, response)
            try:
                return response.json()
            except ValueError as exc:
                raise FetchError(source, "the publisher's answer is not JSON", url=url,
                                 hint="the API may have changed; check the manifest entry") from exc

    def post_text(self, source: str, url: str, data: dict[str, str], accept: str) -> str:
        """A short text answer to a POST (a SPARQL query giving the release date)."""
        response = self._request(source, "POST", url, data=data, headers={"Accept": accept})
        with response:
            self._raise_for_status(source, url, response)
            return response.content.decode("utf-8-sig")

    def probe(self, source: str, url: str, *, etag: str | None, last_modified: str | None) -> Download:
        """A HEAD request with the conditional headers (``--dry-run``): 304 means unchanged."""
        response = self._request(source, "HEAD", url, headers=_conditional(etag, last_modified))
        with response:
            if response.status_code == 304:
                return Download(unchanged=True, etag=etag, last_modified=last_modified)
            self._raise_for_status(source, url, response)
            new_etag, new_modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
            same = (etag and new_etag == etag) or (not new_etag and last_modified and new_modified == last_modified)
            return Download(unchanged=bool(same), etag=new_etag, last_modified=new_modified,
                            size_bytes=int(response.headers.get("Content-Length") or 0))

    # ------------------------------------------------------------------------------- files
    def download(self, source: str, url: str, part: Path, *, max_bytes: int, etag: str | None = None,
                 last_modified: str | None = None, data: dict[str, str] | None = None,
                 accept: str | None = None, progress: Progress | None = None) -> Download:
        """Stream ``url`` into ``part``; resume a partial ``part`` left by an earlier try or run.

        A GET is conditional on ``etag`` / ``last_modified`` (a 304 gives ``unchanged``); a POST
        (``data``: a SPARQL query) is never conditional and never resumed. An interrupted transfer
        (connection dropped, fewer bytes than ``Content-Length``) is resumed from where it stopped,
        up to ``retries`` times with backoff; then the partial file is kept for the next run.
        """
        method = "POST" if data is not None else "GET"
        validator_file = part.with_name(part.name + ".validator")
        interrupted = 0
        while True:
            have = part.stat().st_size if part.exists() and method == "GET" else 0
            # no content coding: byte ranges, sizes and checksums are of the file itself
            headers = {"Accept-Encoding": "identity", **({"Accept": accept} if accept else {})}
            if have:
                headers["Range"] = f"bytes={have}-"
                if validator_file.exists():
                    headers["If-Range"] = validator_file.read_text(encoding="utf-8").strip()
            else:
                headers.update(_conditional(etag, last_modified) if method == "GET" else {})
            response = self._request(source, method, url, data=data, headers=headers, stream=True)
            with response:
                if response.status_code == 304:
                    return Download(unchanged=True, etag=etag, last_modified=last_modified)
                if response.status_code == 416 and have:  # the partial file is already complete
                    response.close()
                    return self._finished(part, validator_file, response)
                self._raise_for_status(source, url, response)
                resumed = response.status_code == 206 and have > 0
                if not resumed:
                    have = 0
                length = response.headers.get("Content-Length")
                total = have + int(length) if length and length.isdigit() else None
                if total is not None and total > max_bytes:
                    raise FetchError(source, f"the file is {total / 1e6:.1f} MB, above the limit of "
                                     f"{max_bytes / 1e6:.0f} MB", url=url,
                                     hint="raise max_mb for this file in etl/sources/manifest.yaml if it is expected")
                validator = response.headers.get("ETag") or response.headers.get("Last-Modified")
                part.parent.mkdir(parents=True, exist_ok=True)
                if validator and method == "GET":
                    validator_file.write_text(validator, encoding="utf-8")
                written = have
                broken = False
                try:
                    with part.open("ab" if resumed else "wb") as handle:
                        # read1: what arrived is kept even when the connection then drops (iter_content
                        # would discard a short last read), so the next try resumes after it
                        while chunk := response.raw.read1(_CHUNK):
                            written += len(chunk)
                            if written > max_bytes:
                                raise FetchError(source, f"the download passed the limit of {max_bytes / 1e6:.0f} MB",
                                                 url=url, hint="raise max_mb for this file in "
                                                 "etl/sources/manifest.yaml if it is expected")
                            handle.write(chunk)
                            if progress:
                                progress(written, total)
                except (requests.RequestException, urllib3.exceptions.HTTPError, OSError):
                    broken = True
                if total is not None and written < total:
                    broken = True
                if not broken:
                    return self._finished(part, validator_file, response)
            interrupted += 1
            if interrupted > self.retries or method != "GET":
                size = f" of {total:,}" if total else ""
                raise FetchError(source, f"the download stopped at {written:,}{size} bytes "
                                 f"{interrupted} time(s)", url=url,
                                 hint="the partial file is kept; run `cpop fetch` again later to resume it")
            time.sleep(self.backoff_s * 2 ** (interrupted - 1))

    def _finished(self, part: Path, validator_file: Path, response: requests.Response) -> Download:
        validator_file.unlink(missing_ok=True)
        return Download(unchanged=False, path=part, etag=response.headers.get("ETag"),
                        last_modified=response.headers.get("Last-Modified"),
                        size_bytes=part.stat().st_size, sha256=sha256_of(part))

    # ------------------------------------------------------------------------------- plumbing
    def _request(self, source: str, method: str, url: str, **kwargs: object) -> requests.Response:
        try:
            return self.session.request(method, url, timeout=(min(self.timeout_s, 15.0), self.timeout_s),
                                        **kwargs)  # type: ignore[arg-type]
        except requests.ConnectionError as exc:
            if not _timed_out(exc):
                raise FetchError(source, f"cannot reach the publisher ({type(exc).__name__})", url=url,
                                 hint="check the network connection and any proxy (HTTPS_PROXY)") from exc
            raise FetchError(source, f"no answer within {self.timeout_s:g} s after {self.retries + 1} tries", url=url,
                             hint="the publisher may be busy or down; try again later") from exc
        except requests.Timeout as exc:
            raise FetchError(source, f"no answer within {self.timeout_s:g} s after {self.retries + 1} tries", url=url,
                             hint="the publisher may be busy or down; try again later") from exc
        except requests.exceptions.RetryError as exc:
            raise FetchError(source, f"the publisher kept failing after {self.retries + 1} tries ({exc})", url=url,
                             hint="try again later") from exc
        except requests.RequestException as exc:
            raise FetchError(source, f"the request failed ({exc})", url=url) from exc

    def _raise_for_status(self, source: str, url: str, response: requests.Response) -> None:
        if response.status_code >= 400:
            tries = f" after {self.retries + 1} tries" if response.status_code in _RETRY_STATUSES else ""
            hint = ("the file may have moved: check the publisher's page and the URL in etl/sources/manifest.yaml"
                    if response.status_code in (404, 410) else "try again later")
            raise FetchError(source, f"the publisher answered HTTP {response.status_code} {response.reason}{tries}",
                             url=url, hint=hint)


def _timed_out(exc: BaseException) -> bool:
    """True when a connection error is a timeout that urllib3's Retry wrapped."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, urllib3.exceptions.TimeoutError) or isinstance(exc, requests.Timeout)


def _conditional(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers
