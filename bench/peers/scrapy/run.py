#!/usr/bin/env python3
"""trawl's Scrapy bench peer: a Scrapy spider over a URL list.

    python3 run.py -list urls.txt -c 64 [-select] [-noparse] > out.jsonl
    python3 run.py -version

One JSON line per URL on stdout (Scrapy's own jsonlines feed export), with the
keys of trawl's records that the bench checks, in trawl's order: url, status,
title, description, [fields], bytes, error_kind, error.

Two modes:

- parse (the default): title and meta description with parsel's CSS selectors
  (lxml underneath), and with -select the first h1's text, the .price texts and every a@href
  resolved against the page with response.urljoin: the extraction of the
  colly peer and the parse floor (bench/client.go), with the same semantics
  (first <title>'s text, first meta description with a content, white space
  runs collapsed to one space and trimmed, hrefs trimmed).
- -noparse: the body is fetched and counted, nothing is parsed: the cost of
  Scrapy's own machinery (engine, scheduler, downloader, middlewares, feed
  export), a floor for the parse mode.

Settings: CONCURRENT_REQUESTS = CONCURRENT_REQUESTS_PER_DOMAIN = -c, no
robots.txt, no retries, no cookies, no AutoThrottle, no download delay, no
telnet console, CONCURRENT_ITEMS 1 (see settings()), LOG_LEVEL WARNING, and
the reactor Scrapy picks by default (TWISTED_REACTOR unset: in Scrapy 2.8,
Twisted's default, epoll on Linux). Everything else is Scrapy's default:
its downloader and spider middlewares, the duplicate filter, the memory
scheduler, and the records through its jsonlines feed export.

The bench driver runs it as a child process and checks every record
(bench/README.md). All traffic goes to the list's URLs (loopback in the bench).
"""

import argparse
import sys

try:
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.spidermiddlewares.httperror import HttpError
except ImportError as e:  # pragma: no cover - the message is the point
    sys.stderr.write(
        "scrapy-bench: %s (Debian: apt-get install python3-scrapy, then run "
        "this with /usr/bin/python3)\n" % e
    )
    sys.exit(2)


def collapse(s):
    """White space runs to one space, trimmed (Go's strings.Fields joined)."""
    return " ".join(s.split())


class TrawlBenchSpider(scrapy.Spider):
    name = "trawl_bench"

    def __init__(self, list_file, select=False, noparse=False, **kw):
        super().__init__(**kw)
        self.list_file = list_file
        self.select = select
        self.noparse = noparse

    def start_requests(self):
        # A generator: Scrapy pulls the list as it has room, it is never
        # held whole in memory.
        cb = self.fetch_only if self.noparse else self.parse
        with open(self.list_file, encoding="utf-8") as f:
            for line in f:
                u = line.strip()
                if not u or u.startswith("#"):
                    continue
                yield scrapy.Request(u, callback=cb, errback=self.failed)

    def fetch_only(self, response):
        yield {
            "url": response.url,
            "status": response.status,
            "title": None,
            "description": None,
            "bytes": len(response.body),
            "error_kind": None,
            "error": None,
        }

    def parse(self, response):
        title = None
        t = response.css("title")
        if t:
            title = collapse("".join(t[0].css("::text").getall()))
        desc = response.css("meta[name=description]::attr(content)").get()
        if desc is not None:
            desc = collapse(desc)
        rec = {
            "url": response.url,
            "status": response.status,
            "title": title,
            "description": desc,
        }
        if self.select:
            h1 = response.css("h1")
            rec["fields"] = {
                "h1": collapse(h1[0].xpath("string(.)").get()) if h1 else None,
                "price": [collapse(p.xpath("string(.)").get()) for p in response.css(".price")],
                "links": [response.urljoin(h.strip()) for h in response.css("a::attr(href)").getall()],
            }
        rec["bytes"] = len(response.body)
        rec["error_kind"] = None
        rec["error"] = None
        yield rec

    def failed(self, failure):
        status, n, kind = 0, 0, "other"
        if failure.check(HttpError):
            resp = failure.value.response
            status, n, kind = resp.status, len(resp.body), "http_status"
        yield {
            "url": failure.request.url,
            "status": status,
            "title": None,
            "description": None,
            "bytes": n,
            "error_kind": kind,
            "error": failure.getErrorMessage(),
        }


def settings(conc):
    return {
        "CONCURRENT_REQUESTS": conc,
        "CONCURRENT_REQUESTS_PER_DOMAIN": conc,
        "CONCURRENT_REQUESTS_PER_IP": 0,
        # One record a response. The default, 100, has Scrapy 2.8 start 100
        # Twisted coiterate tasks for every response's output
        # (scrapy.utils.defer.parallel): it more than doubled the CPU per
        # page of -noparse, for nothing a one-item callback can use.
        "CONCURRENT_ITEMS": 1,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "ROBOTSTXT_OBEY": False,
        "RETRY_ENABLED": False,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "DOWNLOAD_TIMEOUT": 120,  # the floors' and colly's 2 minutes
        "LOG_LEVEL": "WARNING",
        # Silences 2.8's deprecation warning; no effect on what is fetched.
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        "FEEDS": {"stdout:": {"format": "jsonlines", "encoding": "utf-8"}},
    }


def version():
    import lxml.etree
    import parsel
    import twisted
    from twisted.internet import reactor  # the default one, as a crawl gets it

    return "Scrapy %s (Twisted %s, %s, lxml %s, parsel %s, Python %s)" % (
        scrapy.__version__,
        twisted.__version__,
        type(reactor).__name__,
        lxml.etree.__version__,
        parsel.__version__,
        sys.version.split()[0],
    )


def main(argv):
    p = argparse.ArgumentParser(prog="scrapy-bench", allow_abbrev=False,
                                description="trawl's Scrapy bench peer (bench/README.md)")
    p.add_argument("-list", help="the URL list FILE, one URL a line")
    p.add_argument("-c", type=int, default=64, help="CONCURRENT_REQUESTS and CONCURRENT_REQUESTS_PER_DOMAIN")
    p.add_argument("-select", action="store_true", help="also extract the h1 text, .price texts and absolute a@href links")
    p.add_argument("-noparse", action="store_true", help="fetch and count bodies only, parse nothing")
    p.add_argument("-cpuprofile", metavar="FILE", help="write a cProfile (pstats) profile of the run to FILE")
    p.add_argument("-version", action="store_true", help="print the versions and exit")
    a = p.parse_args(argv)
    if a.version:
        print(version())
        return 0
    if not a.list or a.c < 1:
        p.error("want -list FILE and -c >= 1")
    if a.select and a.noparse:
        p.error("-select and -noparse exclude each other")

    process = CrawlerProcess(settings(a.c), install_root_handler=True)
    crawler = process.create_crawler(TrawlBenchSpider)
    process.crawl(crawler, list_file=a.list, select=a.select, noparse=a.noparse)
    if a.cpuprofile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
        process.start()
        prof.disable()
        prof.dump_stats(a.cpuprofile)
    else:
        process.start()
    sys.stdout.flush()
    stats = crawler.stats.get_stats()
    errors = stats.get("log_count/ERROR", 0)
    reason = stats.get("finish_reason")
    if errors or reason != "finished":
        sys.stderr.write("scrapy-bench: finish reason %s, %d errors logged\n" % (reason, errors))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
