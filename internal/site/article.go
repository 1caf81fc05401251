package site

// ArticlePath is the demo site's article: a real article (written for the
// demo; it is trawl's own text, under trawl's license) in the chrome of a
// news site — navigation, a cookie banner, a sidebar, share buttons,
// related links, comments and a footer — with JSON-LD, OpenGraph and
// microdata, for `trawl demo --extract ...`.
const ArticlePath = "/article"

// ArticleTitle is the article's headline.
const ArticleTitle = "How a polite scraper keeps a small shop online"

// ArticleParagraphs are the article body's paragraphs, as a main-text
// extractor should give them.
var ArticleParagraphs = []string{
	"When the Trawl demo shop opened its catalogue to price trackers, its one small server started to slow down every evening. The trackers were not malicious. They were simply impatient: each one opened dozens of connections at once and asked for every product page as fast as the server would answer.",
	"The fix did not need a firewall. It needed the trackers to behave like good guests. A polite scraper reads robots.txt before anything else, and obeys it. It keeps the number of requests in flight to one host small, and it waits between requests when the site asks for a Crawl-delay.",
	"Politeness also means backing off. When a server answers 503 or 429, it is saying that it is overloaded. A scraper that retries at once makes the problem worse; one that waits, with exponential backoff and a little random jitter, gives the server room to recover.",
	"Finally, a polite scraper remembers what it has already fetched. With a cache of ETag and Last-Modified validators it can ask whether a page has changed, and a 304 answer costs the server almost nothing.",
	"Since the trackers switched to polite settings, the shop's evening slowdowns have stopped, and the price data is as fresh as it ever was.",
}

// ArticleListItems are the items of the article's list.
var ArticleListItems = []string{"Read robots.txt first.", "Keep few requests in flight per host.", "Back off on 429 and 503.", "Use conditional requests."}

func renderArticle() []byte {
	p := ArticleParagraphs
	li := ""
	for _, it := range ArticleListItems {
		li += "<li>" + it + "</li>\n"
	}
	return []byte(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>` + ArticleTitle + ` | Trawl demo news</title>
<meta name="description" content="Four habits of a polite scraper, and what they did for a small shop.">
<meta name="author" content="Ada Crawford">
<meta name="keywords" content="scraping, politeness, robots.txt">
<link rel="canonical" href="/article">
<link rel="alternate" type="application/rss+xml" href="/feed.xml" title="Trawl demo news">
<link rel="icon" href="/favicon.ico">
<meta property="og:type" content="article">
<meta property="og:title" content="` + ArticleTitle + `">
<meta property="og:site_name" content="Trawl demo news">
<meta property="og:image" content="/img/1.png">
<meta property="og:image" content="/img/2.png">
<meta property="article:published_time" content="2026-11-02T09:30:00Z">
<meta name="twitter:card" content="summary">
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "` + ArticleTitle + `",
 "datePublished": "2026-11-02T09:30:00Z", "dateModified": "2026-11-03T08:00:00Z",
 "author": {"@type": "Person", "name": "Ada Crawford"},
 "publisher": {"@type": "Organization", "name": "Trawl demo news"}}
</script>
</head>
<body>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to remember your settings. <button>Accept all</button> <a href="/privacy">Privacy policy</a></p></div>
<header class="site-header">
<a class="logo" href="/">Trawl demo news</a>
<nav class="main-nav"><ul><li><a href="/">Shop</a></li><li><a href="/page/1">Products</a></li><li><a href="/article">News</a></li><li><a href="/private/1">Staff</a></li></ul></nav>
</header>
<div class="layout">
<article class="post" itemscope itemtype="https://schema.org/Article">
<h1 itemprop="headline">` + ArticleTitle + `</h1>
<p class="byline">By <span itemprop="author">Ada Crawford</span> · <time itemprop="datePublished" datetime="2026-11-02T09:30:00Z">2 November 2026</time> · 3 min read</p>
<div class="share"><a href="/share?to=mail">Share by e-mail</a> <a href="/share?to=print">Print</a></div>
<div class="entry-content" itemprop="articleBody">
<p>` + p[0] + `</p>
<h2>Good guests</h2>
<p>` + p[1] + `</p>
<blockquote><p>` + p[2] + `</p></blockquote>
<ul>
` + li + `</ul>
<p>` + p[3] + `</p>
<pre><code class="language-sh">trawl scrape urls.txt --per-host 2 --cache ~/.cache/trawl</code></pre>
<p>` + p[4] + `</p>
</div>
</article>
<aside class="sidebar">
<h3>Most read</h3>
<ul><li><a href="/page/2">Product 2 is back in stock</a></li><li><a href="/page/3">Our summer sale</a></li></ul>
<div class="newsletter"><h3>Newsletter</h3><p>Get the week's news every Friday.</p><button>Subscribe</button></div>
<div class="ad">Advertisement</div>
</aside>
</div>
<section class="related"><h2>Related articles</h2><ul><li><a href="/page/4">Five products we love</a></li><li><a href="/page/5">Inside the warehouse</a></li></ul></section>
<section class="comments" id="comments"><h2>2 comments</h2>
<div class="comment"><p class="author">Sam</p><p>Great read, thanks!</p></div>
<div class="comment"><p class="author">Kim</p><p>Our tracker now uses a cache too.</p></div>
</section>
<footer class="site-footer"><p>© 2026 Trawl demo news · <a href="/privacy">Privacy</a> · <a href="/terms">Terms</a></p></footer>
</body>
</html>
`)
}
