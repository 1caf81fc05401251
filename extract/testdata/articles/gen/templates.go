package main

import (
	"fmt"
	"strings"
)

// A template wraps an article in a site's chrome. without lists text of the
// chrome that must not be extracted.
type template struct {
	name    string
	render  func(b body) string
	without []string
}

func comments(n int) string {
	texts := []string{
		"I have been using chainsaw bar oil on my commuter for years and honestly the chain lasts just as long as with the expensive stuff, though it does get messy.",
		"Thanks for writing this up. One thing I would add is that the ticket machine at the island landing only takes coins, which caught out half the queue on the first night.",
		"The timetable change is welcome but forty minutes is still a long wait in January. When I lived there in the nineties there was a boat every twenty minutes and nobody thought it was a luxury.",
		"Does anyone know whether bicycles are allowed on the late crossings? The website says one thing and the sign at the pier says another, and the crew seem to decide on the night.",
		"My daughter works late shifts at the hospital and has been taking a taxi round the bay for three months, so this makes a real difference to our household budget.",
		"I asked at the office and they said the new landing stage was designed for the bigger boat that arrives next year, which explains why the work took so much longer than planned.",
	}
	var sb strings.Builder
	for i := 0; i < n && i < len(texts); i++ {
		fmt.Fprintf(&sb, `<li id="comment-%d" class="comment even thread-even depth-1"><article class="comment-body"><footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Reader %d</b> <span class="says">says:</span></div><div class="comment-metadata"><a href="#comment-%d"><time datetime="2023-04-03T08:14:00+00:00">April 3, 2023 at 8:%02d am</time></a></div></footer><div class="comment-content"><p>%s</p></div><div class="reply"><a rel="nofollow" class="comment-reply-link" href="?replytocom=%d#respond">Reply</a></div></article></li>
`, i+1, i+1, i+1, 10+i, texts[i], i+1)
	}
	return sb.String()
}

func wordpress(nComments int) func(b body) string {
	return func(b body) string {
		return `<!DOCTYPE html>
<html lang="` + b.lang + `"><head><meta charset="utf-8"><title>` + b.title + ` – Spoke &amp; Chain</title>
<link rel="stylesheet" href="/wp-content/themes/twentyseventeen/style.css"><script>window.dataLayer = window.dataLayer || [];</script></head>
<body class="post-template-default single single-post postid-412 single-format-standard has-sidebar">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<div id="page" class="site">
<header id="masthead" class="site-header" role="banner"><div class="site-branding"><p class="site-title"><a href="/" rel="home">Spoke &amp; Chain</a></p><p class="site-description">Notes from a small repair workshop</p></div>
<nav id="site-navigation" class="main-navigation"><button class="menu-toggle" aria-controls="primary-menu">Menu</button><ul id="primary-menu" class="menu"><li class="menu-item"><a href="/">Home</a></li><li class="menu-item"><a href="/repairs/">Repairs</a></li><li class="menu-item"><a href="/rides/">Rides</a></li><li class="menu-item"><a href="/about/">About the workshop</a></li></ul></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-412" class="post-412 post type-post status-publish format-standard hentry category-maintenance tag-chain tag-drivetrain">
<header class="entry-header"><h1 class="entry-title">` + b.title + `</h1><div class="entry-meta"><span class="posted-on">Posted on <a href="/2023/04/02/" rel="bookmark"><time class="entry-date published" datetime="2023-04-02T09:00:00+00:00">April 2, 2023</time></a></span> <span class="byline"> by <span class="author vcard"><a class="url fn n" href="/author/jo/">Jo Tanaka</a></span></span></div></header>
<div class="entry-content">
` + b.html + `
<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing"><h3 class="sd-title">Share this:</h3><div class="sd-content"><ul><li class="share-twitter"><a class="share-twitter sd-button" href="?share=twitter"><span>Twitter</span></a></li><li class="share-facebook"><a class="share-facebook sd-button" href="?share=facebook"><span>Facebook</span></a></li></ul></div></div></div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline"><em>Related</em></h3><div class="jp-relatedposts-items jp-relatedposts-items-visual"><div class="jp-relatedposts-post"><h4 class="jp-relatedposts-post-title"><a href="/tubeless/">Going tubeless on an old touring bike</a></h4><p class="jp-relatedposts-post-excerpt">We converted a twenty-year-old touring bike to tubeless tyres and rode it across three passes without a single puncture.</p><p class="jp-relatedposts-post-context">In "Maintenance"</p></div></div></div>
</div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="/category/maintenance/" rel="category tag">Maintenance</a></span><span class="tags-links">Tagged <a href="/tag/chain/" rel="tag">chain</a>, <a href="/tag/drivetrain/" rel="tag">drivetrain</a></span></footer>
</article>
<nav class="navigation post-navigation" role="navigation"><h2 class="screen-reader-text">Post navigation</h2><div class="nav-links"><div class="nav-previous"><a href="/truing/" rel="prev">Truing a wheel with zip ties</a></div><div class="nav-next"><a href="/winter-tyres/" rel="next">Winter tyres, tested</a></div></div></nav>
<div id="comments" class="comments-area"><h2 class="comments-title">` + fmt.Sprint(nComments) + ` thoughts on “` + b.title + `”</h2><ol class="comment-list">
` + comments(nComments) + `</ol>
<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3><form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form"><p class="comment-notes">Your email address will not be published. Required fields are marked *</p><p class="comment-form-comment"><label for="comment">Comment</label><textarea id="comment" name="comment"></textarea></p><p class="form-submit"><input name="submit" type="submit" class="submit" value="Post Comment"></p></form></div></div>
</main></div>
<aside id="secondary" class="widget-area" role="complementary"><section id="text-2" class="widget widget_text"><h2 class="widget-title">About the workshop</h2><div class="textwidget"><p>We are a two-person repair shop on the canal path, open Tuesday to Saturday. We fix anything with pedals, including the odd unicycle, and we lend tools to anyone who asks nicely.</p></div></section>
<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul><li><a href="/winter-tyres/">Winter tyres, tested</a></li><li><a href="/truing/">Truing a wheel with zip ties</a></li></ul></section></aside>
</div>
<footer id="colophon" class="site-footer" role="contentinfo"><div class="site-info">© 2023 Spoke &amp; Chain. <a href="https://wordpress.org/">Proudly powered by WordPress</a></div></footer></div>
<div id="cookie-notice" role="dialog" class="cookie-notice cookie-notice-visible"><div class="cookie-notice-container"><span id="cn-notice-text" class="cn-text-container">We use cookies to count visits to this site and to remember your settings. By clicking accept you agree to this.</span><a href="#" id="cn-accept-cookie" class="cn-set-cookie cn-button">Accept</a></div></div>
<script src="/wp-includes/js/wp-embed.min.js"></script>
</body></html>
`
	}
}

var wordpressWithout = []string{"Notes from a small repair workshop", "rode it across three passes without a single puncture", "Your email address will not be published", "We are a two-person repair shop on the canal path", "Proudly powered by WordPress", "We use cookies to count visits", "April 2, 2023", "Jo Tanaka", "Truing a wheel with zip ties", "Skip to content"}

func drupal(b body) string {
	return `<!DOCTYPE html>
<html lang="` + b.lang + `" dir="ltr"><head><meta charset="utf-8"><title>` + b.title + ` | Valley Outdoor Club</title><meta name="Generator" content="Drupal 10"></head>
<body class="path-node page-node-type-article">
<a href="#main-content" class="visually-hidden focusable skip-link">Skip to main content</a>
<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas><div class="layout-container">
<header role="banner"><div class="region region-header"><div id="block-site-branding" class="block block-system block-system-branding-block"><a href="/" rel="home" class="site-logo"><img src="/logo.svg" alt="Home"></a><div class="site-name"><a href="/" rel="home">Valley Outdoor Club</a></div><div class="site-slogan">Walking, climbing and ski touring since 1962</div></div></div>
<div class="region region-primary-menu"><nav role="navigation" aria-labelledby="block-main-menu" id="block-main-menu" class="block block-menu navigation menu--main"><h2 class="visually-hidden" id="block-main-menu">Main navigation</h2><ul class="menu"><li class="menu-item"><a href="/trips">Trips</a></li><li class="menu-item"><a href="/advice">Advice</a></li><li class="menu-item"><a href="/join">Join us</a></li></ul></nav></div></header>
<div class="region region-breadcrumb"><div id="block-breadcrumbs" class="block block-system block-system-breadcrumb-block"><nav class="breadcrumb" role="navigation" aria-labelledby="system-breadcrumb"><ol><li><a href="/">Home</a></li><li><a href="/advice">Advice</a></li></ol></nav></div></div>
<main role="main"><a id="main-content" tabindex="-1"></a><div class="layout-content"><div class="region region-content">
<div id="block-page-title" class="block block-core block-page-title-block"><h1 class="page-title"><span class="field field--name-title field--type-string field--label-hidden">` + b.title + `</span></h1></div>
<div id="block-mainpagecontent" class="block block-system block-system-main-block"><article role="article" class="node node--type-article node--promoted node--view-mode-full">
<div class="node__meta"><span>Submitted by <span class="field field--name-uid"><span>helga</span></span> on <span class="field field--name-created">Sat, 06/03/2023 - 17:42</span></span></div>
<div class="node__content"><div class="clearfix text-formatted field field--name-body field--type-text-with-summary field--label-hidden field__item">` + b.html + `</div>
<div class="field field--name-field-tags field--type-entity-reference field--label-above"><div class="field__label">Tags</div><div class="field__items"><div class="field__item"><a href="/taxonomy/term/7" hreflang="en">Huts</a></div><div class="field__item"><a href="/taxonomy/term/9" hreflang="en">Summer</a></div></div></div>
<section class="field field--name-comment field--type-comment field--label-above comment-wrapper"><h2 class="title comment-wrapper__title">Comments</h2><article role="article" class="comment js-comment by-anonymous"><footer class="comment__meta"><p class="comment__author"><span>kurt</span></p></footer><div class="content"><div class="clearfix text-formatted field field--name-comment-body field__item"><p>We did the same route last August and the second hut was closed for renovation, so check ahead before you set off, the warden does not always update the website.</p></div></div></article></section>
</div></article></div></div></div>
<aside class="layout-sidebar-second" role="complementary"><div class="region region-sidebar-second"><div class="views-element-container block block-views"><h2>Upcoming trips</h2><div class="view view-upcoming"><div class="views-row"><span class="date">14 June</span> <a href="/trips/hochkopf">Sunrise on the Hochkopf</a><p>An easy evening walk with a night in the bivouac shelter and breakfast at dawn on the summit ridge.</p></div></div></div></div></aside></main>
<footer role="contentinfo"><div class="region region-footer"><div class="block block-block-content"><p>Valley Outdoor Club e.V., registered charity 4471. Membership enquiries by post only.</p></div></div></footer>
</div></div></body></html>
`
}

var drupalWithout = []string{"Walking, climbing and ski touring since 1962", "Submitted by", "the second hut was closed for renovation", "An easy evening walk with a night in the bivouac shelter", "registered charity 4471", "Main navigation"}

func ghost(b body) string {
	return `<!DOCTYPE html>
<html lang="` + b.lang + `"><head><meta charset="utf-8"><title>` + b.title + `</title><meta name="generator" content="Ghost 5.2"><link rel="stylesheet" href="/assets/built/screen.css"></head>
<body class="post-template tag-baking">
<div class="site-wrapper">
<header class="site-header"><div class="outer site-nav-main"><div class="inner"><nav class="site-nav"><div class="site-nav-left-wrapper"><div class="site-nav-left"><a class="site-nav-logo" href="/">The Crumb</a><div class="site-nav-content"><ul class="nav"><li class="nav-home"><a href="/">Home</a></li><li class="nav-bread"><a href="/tag/bread/">Bread</a></li><li class="nav-pastry"><a href="/tag/pastry/">Pastry</a></li></ul></div></div></div><div class="site-nav-right"><a class="subscribe-button" href="#/portal">Subscribe</a></div></nav></div></div></header>
<main id="site-main" class="site-main outer"><div class="inner">
<article class="article post tag-baking">
<header class="article-header gh-canvas"><section class="article-tag"><a href="/tag/baking/">Baking</a></section><h1 class="article-title">` + b.title + `</h1>
<div class="article-byline"><section class="article-byline-content"><ul class="author-list"><li class="author-list-item"><a href="/author/ines/" class="author-avatar"><img class="author-profile-image" src="/content/images/ines.jpg" alt="Ines Vogel"></a></li></ul><div class="article-byline-meta"><h4 class="author-name"><a href="/author/ines/">Ines Vogel</a></h4><div class="byline-meta-content"><time class="byline-meta-date" datetime="2022-02-12">12 Feb 2022</time><span class="byline-reading-time"><span class="bull">•</span> 4 min read</span></div></div></section></div>
<figure class="article-image"><img src="/content/images/starter.jpg" alt=""></figure></header>
<section class="gh-content gh-canvas">
` + b.html + `
</section>
<section class="footer-cta"><div class="inner"><h2 class="footer-cta-title">Sign up for more like this.</h2><p>Get the latest posts delivered right to your inbox, one loaf at a time, no more than twice a month.</p><a class="footer-cta-button" href="#/portal">Enter your email <span>Subscribe</span></a></div></section>
</article></div></main>
<aside class="read-more-wrap outer"><div class="read-more inner">
<article class="post-card post"><a class="post-card-image-link" href="/rye/"><img class="post-card-image" src="/rye.jpg" alt=""></a><div class="post-card-content"><a class="post-card-content-link" href="/rye/"><header class="post-card-header"><h2 class="post-card-title">Rye bread without tears</h2></header></a><div class="post-card-excerpt"><p>Rye has almost no gluten, so forget kneading: mix, scrape into the tin, and leave it alone until the surface cracks like dry mud.</p></div></div></article>
<article class="post-card post"><div class="post-card-content"><a class="post-card-content-link" href="/laminating/"><header class="post-card-header"><h2 class="post-card-title">Laminating dough in a warm kitchen</h2></header></a><div class="post-card-excerpt"><p>Butter that melts into the dough ruins the layers, but a baking stone kept in the freezer and a brisk pace will get you through a July afternoon.</p></div></div></article>
</div></aside>
<footer class="site-footer outer"><div class="inner"><section class="copyright"><a href="/">The Crumb</a> © 2022</section><nav class="site-footer-nav"><ul class="nav"><li><a href="/sign-up/">Sign up</a></li></ul></nav><div class="gh-powered-by"><a href="https://ghost.org/" target="_blank" rel="noopener">Powered by Ghost</a></div></div></footer>
</div>
<script src="/assets/built/casper.js"></script>
</body></html>
`
}

var ghostWithout = []string{"Get the latest posts delivered right to your inbox", "Butter that melts into the dough ruins the layers", "Rye has almost no gluten", "4 min read", "Ines Vogel", "Powered by Ghost"}

// medium has no meaningful class names at all, like sites whose CSS is
// generated.
func medium(b body) string {
	h := strings.ReplaceAll(b.html, "<p>", `<p class="pw-post-body-paragraph kx ky ji kz b la lb lc">`)
	return `<!doctype html>
<html lang="` + b.lang + `"><head><meta charset="utf-8"><title>` + b.title + ` | by Sam Okafor</title><style>.a{display:block}</style></head>
<body><div id="root"><div class="a b c"><div class="d e f g h i"><div class="j k l"><a aria-label="Homepage" href="/"><svg width="35" height="35"><path d="M0 0"></path></svg></a><div class="m n o"><span class="p q">Write</span><span class="p q">Sign up</span><span class="p q">Sign in</span></div></div></div>
<div class="r s t u"><article><div class="v w x"><section><div class="y z ab"><div class="ac ad ae"><div><h1 id="title" class="pw-post-title af ag ah ai">` + b.title + `</h1><div class="aj ak al"><div class="am an"><a href="/@sam" rel="noopener"><p class="ao ap aq">Sam Okafor</p></a></div><div class="ar as"><span class="at au">Follow</span></div><div class="av aw"><span data-testid="storyReadTime">6 min read</span><span>·</span><span data-testid="storyPublishDate">Mar 9, 2021</span></div></div></div>
` + h + `
</div></div></section></div></article>
<div class="ax ay az"><div class="ba bb"><span class="bc">1.2K</span></div><div class="bd be"><span class="bf">14</span></div></div>
<div class="bg bh bi"><div class="bj"><h2 class="bk bl">More from Sam Okafor</h2><div class="bm bn"><div class="bo"><a href="/spreadsheet"><h2 class="bp bq">The spreadsheet that runs my life</h2><h3 class="br bs">It started as a packing list. Nine years later it tracks every bill, birthday and boiler service in the family.</h3></a></div></div></div></div>
<div class="bt bu"><div class="bv"><h2 class="bw">Responses (14)</h2><div class="bx by"><div class="bz"><p class="ca cb">Great read. I moved to the coast and found exactly the same thing about the meetings, half of them just disappeared once nobody could walk over to a desk.</p></div></div></div></div>
</div></div></div></body></html>
`
}

var mediumWithout = []string{"Sign in", "It started as a packing list.", "half of them just disappeared once nobody could walk over", "6 min read"}

func news(b body) string {
	return `<!DOCTYPE html>
<html lang="` + b.lang + `"><head><meta charset="utf-8"><title>` + b.title + ` | The Harbour Gazette</title><meta property="og:type" content="article"><script async src="https://securepubads.example/tag/js/gpt.js"></script></head>
<body class="article-page">
<div id="cookie-banner" class="consent-banner" role="region" aria-label="Cookie consent"><p>This site uses cookies and similar technologies to measure its audience and show you relevant advertising. You can change your choice at any time in the privacy settings.</p><button>Accept all</button><button>Settings</button></div>
<div class="ticker"><span class="ticker-label">Breaking</span> <a href="/storm">Storm warning for the coast tonight</a></div>
<header class="masthead"><a class="logo" href="/">The Harbour Gazette</a><nav class="mega-menu"><ul><li><a href="/news">News</a><div class="mega-panel"><ul><li><a href="/local">Local</a></li><li><a href="/politics">Politics</a></li><li><a href="/transport">Transport</a></li></ul><div class="mega-feature"><a href="/swimming"><img src="/swim.jpg" alt=""><span>Inside the new cold-water swimming club that meets at dawn</span></a></div></div></li><li><a href="/sport">Sport</a></li><li><a href="/opinion">Opinion</a></li></ul></nav></header>
<div class="ad-slot ad-leaderboard" id="div-gpt-ad-1"><span class="ad-label">Advertisement</span></div>
<div class="page"><div class="main-column">
<div class="article-header"><span class="kicker">Local</span><h1 class="headline">` + b.title + `</h1><div class="article-byline">By <a href="/staff/ruth-abara">Ruth Abara</a>, local affairs correspondent · <time datetime="2023-11-07T18:05">Tuesday 7 November 2023, 18:05</time></div></div>
<div class="article-body">
` + b.html + `
</div>
<div class="newsletter-box"><h3>Get the Morning Briefing</h3><p>Our editors pick the five stories you need to read before nine, every weekday, straight to your inbox.</p><form><input type="email"><button>Sign up</button></form></div>
<div class="article-tags"><a href="/topic/harbour">Harbour</a> <a href="/topic/council">Council</a></div>
</div>
<div class="rail"><div class="most-read"><h2>Most read</h2><ol><li><a href="/a">Fish market moves to the old customs house</a></li><li><a href="/b">Lifeboat crew rescue two kayakers</a></li></ol></div>
<div class="teaser-list"><div class="teaser"><h3><a href="/a">Fish market moves to the old customs house</a></h3><p class="teaser-summary">Traders say the new hall is brighter and easier to clean, but regular customers complain that parking nearby is almost impossible on Saturday mornings.</p></div>
<div class="teaser"><h3><a href="/b">Lifeboat crew rescue two kayakers</a></h3><p class="teaser-summary">The pair had been blown more than a mile offshore by a sudden squall and were found clinging to one boat after the other had capsized.</p></div></div></div></div>
<footer class="site-footer"><p>© 2023 Harbour Gazette Media Ltd. All rights reserved. Registered in England, company number 0482913.</p><ul><li><a href="/contact">Contact</a></li><li><a href="/privacy">Privacy</a></li></ul></footer>
</body></html>
`
}

var newsWithout = []string{"This site uses cookies and similar technologies", "Inside the new cold-water swimming club", "Our editors pick the five stories", "parking nearby is almost impossible on Saturday mornings", "found clinging to one boat", "company number 0482913", "Ruth Abara", "Storm warning for the coast tonight", "Advertisement"}

// news2 puts boxes inside the article body: an inline "read also", an ad,
// an embedded post and a newsletter form between the paragraphs.
func news2(b body) string {
	parts := strings.SplitAfter(b.html, "</p>")
	var sb strings.Builder
	for i, p := range parts {
		sb.WriteString(p)
		switch i {
		case 0:
			sb.WriteString(`<p class="read-also"><strong>Read also:</strong> <a href="/x">Night buses to be cut from March</a></p>`)
		case 1:
			sb.WriteString(`<div class="ad ad-inline"><div id="div-gpt-ad-2"><span>Advertisement</span><p>Win a weekend for two at the Seaview Hotel — enter our competition before Friday.</p></div></div>`)
		case 2:
			sb.WriteString(`<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Queue at the pier already at 11pm, nice to see the late boat back! — Harbour Watch (@harbourwatch)</p></blockquote>`)
		}
	}
	return `<!DOCTYPE html>
<html lang="` + b.lang + `"><head><meta charset="utf-8"><title>` + b.title + `</title></head>
<body><div class="wrapper"><div class="topbar"><a href="/">Coast Today</a> <a href="/login">Log in</a></div>
<nav class="sections"><a href="/news">News</a> <a href="/weather">Weather</a></nav>
<main><article class="story"><h1>` + b.title + `</h1><p class="dateline">Updated 8 November 2023</p>
<div class="story-body">` + sb.String() + `
<div class="newsletter"><p>Enjoyed this story? Our free Sunday newsletter collects the week's best coastal reporting in one email.</p><form><input type="email"><button>Subscribe</button></form></div></div>
<section class="related-stories"><h2>More on this story</h2><ul><li><a href="/1">Ferry fares to rise in spring</a><p>Operators blame fuel costs and the new landing stage for a rise of eight percent.</p></li></ul></section>
</article></main>
<footer><p>Coast Today is published by Shoreline Media. Terms and conditions apply to all competitions.</p></footer></div></body></html>
`
}

var news2Without = []string{"Night buses to be cut from March", "Win a weekend for two at the Seaview Hotel", "Queue at the pier already at 11pm", "Our free Sunday newsletter", "Operators blame fuel costs", "Terms and conditions apply", "Updated 8 November 2023"}

// nosemantic is a site with no semantic tags and ids that say nothing.
func nosemantic(b body) string {
	return `<html><head><title>` + b.title + `</title><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>
<body><div id="c1"><div id="c2"><img src="logo.gif" alt=""><span class="t1">North Shore Historical Society</span></div>
<div id="c3"><a href="index.html">Home</a> | <a href="coll.html">Collections</a> | <a href="visit.html">Visit</a> | <a href="member.html">Membership</a></div>
<div id="c4"><div id="c5"><div class="box"><b>Opening hours</b><br>Wednesday to Sunday, 10 to 4. Closed on public holidays and during the first two weeks of January for cleaning.</div><div class="box"><b>Latest</b><br><a href="lecture.html">Lecture: wrecks of the outer reef</a></div></div>
<div id="c6"><div class="content"><div class="ttl">` + b.title + `</div>
` + b.html + `
</div></div></div>
<div id="c7">Text and images © North Shore Historical Society unless stated otherwise. Site maintained by volunteers.</div></div></body></html>
`
}

var nosemanticWithout = []string{"Wednesday to Sunday, 10 to 4. Closed on public holidays", "Site maintained by volunteers", "Lecture: wrecks of the outer reef"}

func docs(b body) string {
	return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>` + b.title + ` - Documentation</title></head>
<body><header class="docs-header"><nav class="top-nav" aria-label="Main"><a href="/">Docs</a> <a href="/pkg/">Packages</a> <a href="/blog/">Blog</a><form class="search"><input type="search" placeholder="Search the docs"></form></nav></header>
<div class="docs-layout"><nav class="docs-sidebar" aria-label="Documentation"><ul><li><a href="/start">Getting started</a></li><li><a href="/effective">Effective code</a></li><li class="active"><a href="/ref">Reference</a><ul><li><a href="/ref/spec">Specification</a></li><li><a href="/ref/mem">Memory model</a></li></ul></li></ul></nav>
<main class="docs-main"><nav class="breadcrumbs"><a href="/">Docs</a> › <a href="/ref">Reference</a></nav><h1>` + b.title + `</h1>
` + b.html + `
<div class="prev-next"><a class="prev" href="/cmd">← Previous: Command documentation</a> <a class="next" href="/history">Next: Release history →</a></div>
<div class="page-feedback"><p>Was this page helpful? Tell us what was missing or unclear; we read every message even if we cannot answer each one.</p></div></main>
<aside class="toc"><h2>On this page</h2><ul><li><a href="#introduction">Introduction</a></li></ul></aside></div>
<footer class="docs-footer"><p>Except as noted, the content of this page is licensed under the Creative Commons Attribution 4.0 License, and code samples are licensed under a BSD license.</p></footer></body></html>
`
}

var docsWithout = []string{"Previous: Command documentation", "we read every message even if we cannot answer each one", "Except as noted, the content of this page is licensed", "On this page"}

func shop(b body) string {
	return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>` + b.title + ` | Hearth &amp; Home</title></head>
<body class="product-page"><div class="cookie-consent" id="consent"><p>We and our partners use cookies to personalise content and ads and to analyse our traffic.</p><button>OK</button></div>
<header class="shop-header"><a class="logo" href="/">Hearth &amp; Home</a><form class="search-form"><input name="q"></form><nav><ul class="nav"><li><a href="/kitchen">Kitchen</a></li><li><a href="/garden">Garden</a></li><li><a href="/sale">Sale</a></li></ul></nav><div class="mini-cart"><a href="/basket">Basket (0)</a></div></header>
<div class="breadcrumbs"><a href="/kitchen">Kitchen</a> / <a href="/kitchen/kettles">Kettles</a></div>
<div class="product" itemscope itemtype="https://schema.org/Product"><div class="product-gallery"><img src="/k1.jpg" alt="Kettle"></div><div class="product-info"><h1 class="product-title" itemprop="name">` + b.title + `</h1><div class="price">£34.90</div><button class="add-to-basket">Add to basket</button>
<div class="product-description" itemprop="description">` + b.html + `</div></div></div>
<div class="reviews" id="reviews"><h2>Customer reviews</h2><div class="review"><p class="review-text">Boils quickly on our induction hob and the whistle is loud enough to hear from the garden, which is exactly what my father wanted.</p><span class="review-author">Anne, verified buyer</span></div></div>
<div class="cross-sell"><h2>Customers also bought</h2><div class="product-card"><a href="/teapot"><span>Enamel teapot, 1 litre</span></a><p class="card-desc">Cast iron with an enamel lining that keeps tea hot for an hour; includes a removable steel infuser basket.</p></div></div>
<footer><div class="footer-cols"><div><h4>Customer service</h4><p>Free returns within 30 days. Call us on weekdays between 9 and 5 if anything arrives damaged.</p></div></div></footer></body></html>
`
}

var shopWithout = []string{"We and our partners use cookies", "the whistle is loud enough to hear from the garden", "keeps tea hot for an hour", "Free returns within 30 days", "Basket (0)"}

func blogspot(b body) string {
	return `<!DOCTYPE html>
<html dir="ltr" lang="` + b.lang + `"><head><meta charset="UTF-8"><title>Crumbs &amp; Cardigans: ` + b.title + `</title></head>
<body class="variant-indie"><div class="navbar section" id="navbar"><div class="widget Navbar" id="Navbar1"><iframe src="about:blank"></iframe></div></div>
<div class="content-outer"><header><div class="header-outer"><div class="Header widget" id="Header1"><div id="header-inner"><div class="titlewrapper"><h1 class="title"><a href="/">Crumbs &amp; Cardigans</a></h1></div><div class="descriptionwrapper"><p class="description"><span>Recipes and knitting from a very small kitchen</span></p></div></div></div></div></header>
<div class="main-outer"><div class="columns fauxcolumns"><div class="column-center-outer"><div class="main section" id="main"><div class="widget Blog" id="Blog1"><div class="blog-posts hfeed"><div class="date-outer"><h2 class="date-header"><span>Sunday, 8 October 2017</span></h2><div class="date-posts"><div class="post-outer"><div class="post hentry uncustomized-post-template">
<h3 class="post-title entry-title">` + b.title + `</h3><div class="post-header"><div class="post-header-line-1"></div></div>
<div class="post-body entry-content" id="post-body-3641907">` + b.html + `<div style="clear: both;"></div></div>
<div class="post-footer"><div class="post-footer-line post-footer-line-1"><span class="post-author vcard">Posted by <span class="fn">Maggie</span></span> <span class="post-comment-link"><a class="comment-link" href="#comments">2 comments</a></span></div><div class="post-footer-line post-footer-line-2"><span class="post-labels">Labels: <a href="/search/label/baking" rel="tag">baking</a>, <a href="/search/label/autumn" rel="tag">autumn</a></span></div></div></div>
<div class="comments" id="comments"><h4>2 comments:</h4><div id="comments-block"><dl><dt class="comment-author">Linda said...</dt><dd class="comment-body"><p>Made this for my book club and there was not a crumb left, although I used half the sugar because our apples were very sweet this year.</p></dd></dl></div></div></div></div></div></div></div></div>
<div class="column-right-outer"><div class="sidebar section" id="sidebar-right-1"><div class="widget Profile" id="Profile1"><h2>About Me</h2><div class="widget-content"><dl class="profile-datablock"><dd class="profile-textblock">Retired teacher, two cats, one oven that runs hot. I write down what works so I can find it again.</dd></dl></div></div><div class="widget BlogArchive" id="BlogArchive1"><h2>Blog Archive</h2><ul class="hierarchy"><li><a href="/2017/">2017</a> (24)</li></ul></div></div></div></div></div></div></body></html>
`
}

var blogspotWithout = []string{"Recipes and knitting from a very small kitchen", "Sunday, 8 October 2017", "there was not a crumb left", "Retired teacher, two cats", "Posted by"}

func elementor(b body) string {
	return `<!DOCTYPE html>
<html lang="` + b.lang + `"><head><meta charset="UTF-8"><title>` + b.title + ` – Green Corner</title></head>
<body class="post-template-default single single-post postid-310 elementor-default elementor-kit-5 elementor-page-310">
<div data-elementor-type="header" class="elementor elementor-44 elementor-location-header"><section class="elementor-section elementor-top-section elementor-element"><div class="elementor-container elementor-column-gap-default"><div class="elementor-column elementor-col-100 elementor-top-column"><div class="elementor-widget-wrap elementor-element-populated"><div class="elementor-element elementor-widget elementor-widget-theme-site-logo"><div class="elementor-widget-container"><a href="/">Green Corner</a></div></div><div class="elementor-element elementor-widget elementor-widget-nav-menu"><div class="elementor-widget-container"><nav class="elementor-nav-menu--main elementor-nav-menu__container"><ul class="elementor-nav-menu"><li class="menu-item"><a href="/">Start</a></li><li class="menu-item"><a href="/balcony/">Balcony</a></li><li class="menu-item"><a href="/allotment/">Allotment</a></li></ul></nav></div></div></div></div></div></section></div>
<div data-elementor-type="single-post" class="elementor elementor-310 elementor-location-single post-310 post type-post status-publish"><section class="elementor-section elementor-top-section"><div class="elementor-container"><div class="elementor-column elementor-col-66"><div class="elementor-widget-wrap elementor-element-populated">
<div class="elementor-element elementor-widget elementor-widget-theme-post-title elementor-page-title"><div class="elementor-widget-container"><h1 class="elementor-heading-title elementor-size-default">` + b.title + `</h1></div></div>
<div class="elementor-element elementor-widget elementor-widget-post-info"><div class="elementor-widget-container"><ul class="elementor-inline-items elementor-icon-list-items elementor-post-info"><li class="elementor-icon-list-item"><span class="elementor-post-info__item elementor-post-info__item--type-date">May 21, 2022</span></li><li class="elementor-icon-list-item"><span class="elementor-post-info__item--type-author">by Tomasz Wilk</span></li></ul></div></div>
<div class="elementor-element elementor-widget elementor-widget-theme-post-content"><div class="elementor-widget-container">` + b.html + `</div></div>
<div class="elementor-element elementor-widget elementor-widget-share-buttons"><div class="elementor-widget-container"><div class="elementor-grid"><div class="elementor-grid-item"><div class="elementor-share-btn elementor-share-btn_pinterest"><span class="elementor-share-btn__text">Pinterest</span></div></div></div></div></div>
<div class="elementor-element elementor-widget elementor-widget-author-box"><div class="elementor-widget-container"><div class="elementor-author-box"><div class="elementor-author-box__text"><h4 class="elementor-author-box__name">Tomasz Wilk</h4><div class="elementor-author-box__bio"><p>Tomasz grows chillies on a windowsill in Gdańsk and has opinions about compost that he is always happy to share at length.</p></div></div></div></div></div>
</div></div>
<div class="elementor-column elementor-col-33"><div class="elementor-widget-wrap"><div class="elementor-element elementor-widget elementor-widget-posts"><div class="elementor-widget-container"><div class="elementor-posts-container elementor-posts"><article class="elementor-post elementor-grid-item post-288 post type-post"><div class="elementor-post__text"><h3 class="elementor-post__title"><a href="/seeds/">Saving seeds from tomatoes</a></h3><div class="elementor-post__excerpt"><p>Ferment the pulp in a jar for three days, rinse the seeds and dry them on a plate, never on kitchen paper, or they will stick for ever.</p></div></div></article></div></div></div></div></div>
</div></section></div>
<div data-elementor-type="footer" class="elementor elementor-location-footer"><p>Green Corner is a non-commercial blog. Affiliate links are marked as such.</p></div></body></html>
`
}

var elementorWithout = []string{"Tomasz grows chillies", "Ferment the pulp in a jar for three days", "May 21, 2022", "non-commercial blog"}

// minimal is a page whose only structure is <main>, with a cookie box and a
// plain header.
func minimal(b body) string {
	return `<!DOCTYPE html>
<html lang="` + b.lang + `"><head><meta charset="utf-8"><title>` + b.title + `</title></head>
<body><div class="top"><a href="/">Town Hall News</a> · <a href="/archive">Archive</a> · <a href="/contact">Contact</a></div>
<main><h1>` + b.title + `</h1>
` + b.html + `
</main>
<div class="cookies"><p>Only technically necessary cookies are set on this site; we do not track you.</p></div>
<p class="legal">Published by the town press office, Market Square 1. Responsible for content: the press officer.</p>
</body></html>
`
}

var minimalWithout = []string{"Only technically necessary cookies are set on this site", "Responsible for content: the press officer", "Town Hall News"}
