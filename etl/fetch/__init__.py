"""``cpop fetch``: download each national source's current release from its publisher.

Why: the series are re-published every year, often revising earlier years; a council should not
have to find and download each file by hand. ``etl/sources/manifest.yaml`` says, per source, where
its files are, what they must look like and how a new release is recognised; this package
downloads them politely (timeouts, retries with backoff, resumable transfers, a size limit,
conditional requests) into ``data/raw/<source>/<release>/`` without touching earlier releases,
unpacking a publisher's zip safely (``unzip.py``).
"""
