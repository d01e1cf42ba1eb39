"""Pages benchmark: what a browser downloads for the home, respond and analysis pages, and how soon.

    python bench/pages.py            # an options paper with 2,000 responses, 200 timed requests a page
    python bench/pages.py --quick    # small enough for CI (seconds)

Run it on PostgreSQL for figures that mean something:

    createdb -h 127.0.0.1 -U postgres casm_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casm_bench .venv/bin/python bench/pages.py

The pages are served as in production: ``collectstatic`` with production settings into a
temporary STATIC_ROOT (hashed names, gzip and Brotli copies), then gunicorn with
``casm.settings.production`` (whitenoise serving the static files; a random SECRET_KEY;
ALLOWED_HOSTS 127.0.0.1; SECURE_SSL_REDIRECT off, and each request says X-Forwarded-Proto: https
as the TLS proxy in front of it would). Its own rows (addresses @bench-pages.invalid, a
consultation whose slug starts with "bench-pages", chambers and sectors "bench-pages-…") are
removed before seeding and at the end, nothing else.

Each page is loaded as a browser with an empty cache would (``Accept-Encoding: gzip, br``): the
HTML, then every stylesheet, script, image and icon it links (and what stylesheets import or
point to with ``url()``), and /favicon.ico when no icon is linked. Bytes are those on the wire:
the status line, headers and body as sent (compressed), not the request. The repeat load comes
right after with the cache the first load filled: a response whose Cache-Control gave it a
max-age that has not run out is taken from the cache (no request, no byte); one with an ETag or
Last-Modified is asked for again conditionally (304); any other is downloaded again. Freshness
browsers guess without a max-age is not assumed. The home page is an anonymous visitor's, the
respond page an invited member's (who has not responded), the analysis page a committee member's
(with a second factor). Time to first byte is from sending the request for the HTML on an open
connection to its status line and headers, the median of N requests a page.
"""

import argparse
import datetime
import gzip
import http.client
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # noqa: E402 - the path above first
    ROOT,
    Report,
    browser_cookies,
    cleanup,
    gunicorn,
    percentile,
    refresh_statistics,
    setup_django,
)
from bench._seed import (  # noqa: E402
    BenchNames,
    accounts,
    clear_bench_rows,
    invite,
    make_consultation,
    reference_data,
    seed_members,
    seed_responses,
    seeded_models,
)

NAMES = BenchNames(domain="@bench-pages.invalid", prefix="bench-pages", label="Bench pages")
PRODUCTION_SETTINGS = "casm.settings.production"
FIRST_LOAD_LIMIT_BYTES = 150_000  # 150 KB (of 1,000 bytes) for the home and respond pages
LIMITED_PAGES = ("home", "respond")
BROWSER_HEADERS = {
    "Host": "127.0.0.1",
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) casm-bench-pages",
    "Accept-Encoding": "gzip, br",
    "Accept-Language": "en",
    "X-Forwarded-Proto": "https",  # what the TLS-terminating proxy in front of gunicorn says
}
ICON_RELS = {"icon", "shortcut icon", "apple-touch-icon"}
LINK_RELS = {"stylesheet", "preload", "modulepreload", "manifest", *ICON_RELS}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


# ---------------------------------------------------------------- a browser, roughly


class Links(HTMLParser):
    """The subresources a page links: stylesheets, scripts, images, icons; whether it links an icon."""

    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str]] = []  # (url, kind)
        self.has_icon = False

    def handle_starttag(self, tag, attrs):
        a = {name: value or "" for name, value in attrs}
        if tag == "link":
            rel = " ".join(a.get("rel", "").lower().split())
            if rel in LINK_RELS or any(part in LINK_RELS for part in rel.split()):
                self.has_icon = self.has_icon or rel in ICON_RELS or "icon" in rel.split()
                if a.get("href"):
                    self.urls.append((a["href"], rel))
        elif tag == "script" and a.get("src"):
            self.urls.append((a["src"], "script"))
        elif tag in ("img", "source", "input", "video", "audio", "iframe"):
            if a.get("src") and (tag != "input" or a.get("type", "").lower() == "image"):
                self.urls.append((a["src"], tag))
            if a.get("srcset"):
                self.urls.append((a["srcset"].split(",")[0].split()[0], tag))
            if a.get("poster"):
                self.urls.append((a["poster"], tag))


def decode(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    if encoding == "br":
        import brotli

        return brotli.decompress(body)
    return body


@dataclass
class Fetched:
    status: int
    wire_bytes: int  # status line, headers and body as received
    headers: dict[str, str]
    body: bytes  # decoded


@dataclass
class Cached:
    fresh_until: float  # time.monotonic(); 0 when it must be asked for again
    etag: str
    last_modified: str
    fetched: Fetched


@dataclass
class Load:
    """One page load: the requests made and the bytes they brought."""

    requests: list[tuple[str, int, int, str]] = field(default_factory=list)  # url, status, bytes, encoding

    @property
    def bytes(self) -> int:
        return sum(size for _url, _status, size, _encoding in self.requests)

    def count(self, prefix: str = "") -> int:
        return sum(1 for url, *_rest in self.requests if url.startswith(prefix))


class Browser:
    """Requests like a browser: its cookies, ``Accept-Encoding: gzip, br``, and an HTTP cache."""

    def __init__(self, port: int, cookies: dict[str, str]):
        self.port = port
        self.cookies = cookies
        self.cache: dict[str, Cached] = {}

    def fetch(self, url: str, extra: dict | None = None) -> Fetched:
        headers = dict(BROWSER_HEADERS)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        headers.update(extra or {})
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", url, headers=headers)
            response = conn.getresponse()
            raw = response.read()  # as sent: http.client removes the chunking, never the compression
            pairs = response.getheaders()
        finally:
            conn.close()
        head = len(f"HTTP/1.1 {response.status} {response.reason}\r\n") + 2
        head += sum(len(f"{name}: {value}\r\n") for name, value in pairs)
        fields = {name.lower(): value for name, value in pairs}
        body = decode(raw, fields.get("content-encoding", "").strip().lower())
        return Fetched(response.status, head + len(raw), fields, body)

    def _remember(self, url: str, fetched: Fetched) -> None:
        control = {
            part.strip().split("=")[0].lower(): part.strip().partition("=")[2]
            for part in fetched.headers.get("cache-control", "").split(",")
            if part.strip()
        }
        fresh_until = 0.0
        if "no-store" in control:
            self.cache.pop(url, None)
            return
        if "no-cache" not in control and control.get("max-age", "").isdigit():
            fresh_until = time.monotonic() + int(control["max-age"])
        self.cache[url] = Cached(
            fresh_until, fetched.headers.get("etag", ""), fetched.headers.get("last-modified", ""), fetched
        )

    def get(self, url: str, load: Load, *, follow: int = 5) -> Fetched:
        """GET ``url`` through the cache (the cached response when it is fresh or not modified)."""
        cached = self.cache.get(url)
        extra = {}
        if cached:
            if cached.fresh_until > time.monotonic():
                return cached.fetched
            if cached.etag:
                extra["If-None-Match"] = cached.etag
            if cached.last_modified:
                extra["If-Modified-Since"] = cached.last_modified
        fetched = self.fetch(url, extra)
        encoding = fetched.headers.get("content-encoding", "identity")
        load.requests.append((url, fetched.status, fetched.wire_bytes, encoding))
        if fetched.status == 304 and cached:
            cached.fetched.headers.update(fetched.headers)
            self._remember(url, cached.fetched)
            return cached.fetched
        if fetched.status == 200:
            self._remember(url, fetched)
        if fetched.status in (301, 302, 303, 307, 308) and follow:
            location = same_origin(url, fetched.headers.get("location", "")) or url
            return self.get(location, load, follow=follow - 1)
        return fetched

    def load(self, path: str) -> Load:
        """The page at ``path`` and everything it links, as the browser fetches them."""
        load = Load()
        page = self.get(path, load)
        if page.status != 200:
            raise RuntimeError(f"{path} answered {page.status}")
        parser = Links()
        parser.feed(page.body.decode("utf-8", "replace"))
        queue = [same_origin(path, url) for url, _kind in parser.urls]
        if not parser.has_icon:
            queue.append("/favicon.ico")
        seen = set()
        while queue:
            url = queue.pop(0)
            if not url or url in seen:
                continue
            seen.add(url)
            fetched = self.get(url, load)
            if fetched.status != 200:
                raise RuntimeError(f"{url}, linked from {path}, answered {fetched.status}")
            if "css" in fetched.headers.get("content-type", ""):
                for found in CSS_URL.finditer(fetched.body.decode("utf-8", "replace")):
                    queue.append(same_origin(url, found.group(1) or found.group(2)))
        return load


def same_origin(base: str, url: str) -> str:
    """``url`` as a path on this server, or "" when it is elsewhere (another host, data:)."""
    joined = urljoin(f"http://127.0.0.1{base}", url.strip())
    parts = urlsplit(joined)
    if parts.scheme not in ("http", "https") or parts.hostname not in ("127.0.0.1", "localhost"):
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def ttfb(port: int, path: str, cookies: dict[str, str]) -> float:
    """Seconds from sending the request on an open connection to the response's status and headers."""
    headers = dict(BROWSER_HEADERS)
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.connect()
        start = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        seconds = time.perf_counter() - start
        response.read()
    finally:
        conn.close()
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}")
    return seconds


# ---------------------------------------------------------------- the run


def collectstatic(static_root: str, env: dict[str, str]) -> float:
    """``manage.py collectstatic`` with production settings into ``static_root``; seconds it took."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": PRODUCTION_SETTINGS},
        check=True,
    )
    return time.perf_counter() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a small run for CI")
    parser.add_argument("--responses", type=int, help="responses to the paper (default 2,000; quick 100)")
    parser.add_argument("--requests", type=int, help="timed requests a page (default 200; quick 20)")
    parser.add_argument("--keep", action="store_true", help="leave the seeded rows in place at the end")
    args = parser.parse_args(argv)
    responses = args.responses or (100 if args.quick else 2_000)
    requests = args.requests or (20 if args.quick else 200)

    # The bench process writes the sessions gunicorn reads: both sign them with this key.
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    vendor = setup_django()
    try:
        return run(vendor, responses=responses, requests=requests, keep=args.keep)
    finally:
        cleanup()


def run(vendor: str, *, responses: int, requests: int, keep: bool = False) -> int:
    from django.test import Client
    from django.urls import reverse

    report = Report()
    rng = random.Random(2010)
    print(
        f"# pages benchmark on {vendor}: production settings under gunicorn, an options paper with "
        f"{responses:,} responses, {requests} timed requests a page"
    )

    clear_bench_rows(NAMES)
    sectors = reference_data(NAMES)
    sectors_by_id = {sector.pk: sector for sector in sectors}
    start = time.perf_counter()
    members = seed_members(NAMES, responses + 1, sectors, rng)
    respondent_member, members = members[-1], members[:-1]
    paper = make_consultation(f"{NAMES.prefix}-paper", closes_in=datetime.timedelta(days=30))
    invite(paper, [*members, respondent_member])
    committee, respondent = accounts(NAMES, respondent_member)
    seed_responses(paper, members, sectors_by_id, rng)
    refresh_statistics(seeded_models())
    report.figure("seed_seconds", time.perf_counter() - start, "s")

    paths = {
        "home": reverse("network:home"),
        "respond": reverse("consultations:consultation_respond", args=[paper.slug]),
        "analysis": reverse("consultations:consultation_analysis", args=[paper.slug]),
    }
    respondent_client, committee_client = Client(), Client()
    respondent_client.force_login(respondent)
    committee_client.force_login(committee)  # the committee member has TOTP (bench._seed.accounts)
    cookies = {
        "home": {},
        "respond": browser_cookies(respondent_client, paths["respond"]),
        "analysis": browser_cookies(committee_client, paths["analysis"]),
    }

    with tempfile.TemporaryDirectory(prefix="casm-bench-static-") as static_root:
        env = {
            "SECRET_KEY": os.environ["SECRET_KEY"],
            "STATIC_ROOT": static_root,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "DB_CONN_MAX_AGE": "60",  # as docker-compose.yml sets it
        }
        report.figure("collectstatic_seconds", collectstatic(static_root, env), "s")
        with gunicorn(settings_module=PRODUCTION_SETTINGS, ready_path="/healthz", env=env) as server:
            loads = {}
            for name, path in paths.items():
                browser = Browser(server.port, cookies[name])
                loads[name] = (browser.load(path), browser.load(path))
            for _ in range(5):  # warm-up
                for name, path in paths.items():
                    ttfb(server.port, path, cookies[name])
            times: dict[str, list[float]] = {name: [] for name in paths}
            for _ in range(requests):
                for name, path in paths.items():
                    times[name].append(ttfb(server.port, path, cookies[name]))

    for name, (first, repeat) in loads.items():
        listing = ", ".join(f"{url} {status} {size:,} B {enc}" for url, status, size, enc in first.requests)
        print(f"# {name} first load: {listing}")
        report.figure(f"{name}_first_load_bytes", first.bytes, "bytes")
        report.figure(f"{name}_repeat_load_bytes", repeat.bytes, "bytes")
        report.figure(f"{name}_requests_first", len(first.requests), "requests")
        report.figure(f"{name}_requests_repeat", len(repeat.requests), "requests")
        report.figure(f"{name}_ttfb_median", percentile(times[name], 50) * 1000, "ms")
    for name in LIMITED_PAGES:
        first = loads[name][0]
        report.target(
            first.bytes < FIRST_LOAD_LIMIT_BYTES,
            f"{name} first load {first.bytes:,} bytes < {FIRST_LOAD_LIMIT_BYTES:,}",
        )
    for name, (first, repeat) in loads.items():
        static = first.count("/static/")
        again = repeat.count("/static/")
        report.target(
            static > 0 and again == 0,
            f"{name} repeat load: {static - again} of {static} static files from the browser's cache",
        )

    if not keep:
        clear_bench_rows(NAMES)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
