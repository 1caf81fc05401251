package extract

import (
	"bytes"
	"net/http"
	"net/url"

	"github.com/trawl-dev/trawl/internal/htmlparse"
	"github.com/trawl-dev/trawl/output"
)

// Config is what a run extracts from every page.
type Config struct {
	// Rules are the --select rules.
	Rules Rules
	// Extract are the --extract extractors, in the order asked.
	Extract []string
	// Follow, in a crawl, is where links are taken from (--follow); nil
	// takes none.
	Follow []FollowRule
	// Agent is the product token of trawl's User-Agent: a page's robots
	// directives for it (<meta name=...>, X-Robots-Tag) count beside the
	// general ones.
	Agent string
	// IgnoreRobots follows the links of pages that say nofollow.
	IgnoreRobots bool
}

// Extractor is a run's extraction as fetch calls it on every page: title,
// description, the --select fields and, in a crawl, the links to follow.
// It is safe for concurrent use.
type Extractor struct {
	cfg   Config
	names []string
	want  wants
	// anchorsOnly: the links come from a[href] alone, which a tokenizer
	// pass finds without a tree.
	anchorsOnly bool
	// streams: the streaming matcher can take the rules and the links to
	// follow, and no extractor needs the tree (links it gives itself, the
	// head extractors a tokenizer pass).
	streams bool
}

// NewExtractor returns the extraction cfg describes.
func NewExtractor(cfg Config) *Extractor {
	x := &Extractor{cfg: cfg, names: cfg.Rules.Names(), want: wantsOf(cfg.Extract), anchorsOnly: len(cfg.Follow) > 0}
	for _, f := range cfg.Follow {
		x.anchorsOnly = x.anchorsOnly && f.anchors
	}
	x.streams = (len(cfg.Rules) > 0 || len(cfg.Follow) > 0 || x.want.links) && streamable(cfg.Rules) &&
		followStreamable(cfg.Follow) && !x.want.tree()
	return x
}

// Extract fills rec's extraction from an HTML body (UTF-8) whose final URL
// is pageURL; h is the response's header, for X-Robots-Tag.
func (x *Extractor) Extract(body []byte, pageURL *url.URL, h http.Header, rec *output.Record) {
	if x.tokensOnly() && x.fromTokens(body, pageURL, h, rec) {
		return
	}
	if x.streams && x.fromStream(body, pageURL, h, rec) {
		return
	}
	root, err := htmlparse.Parse(bytes.NewReader(body))
	if err != nil {
		// html.Parse fails only on reader errors; a bytes.Reader has none.
		x.Empty(rec)
		return
	}
	res := x.cfg.Rules.node(root, pageURL, x.cfg.Agent)
	rec.Title, rec.Description = res.Title, res.Description
	rec.Fields = x.fields(res.Values)
	if len(x.cfg.Extract) > 0 {
		rec.Extracted = x.fromTree(root, res.Base)
	}
	if len(x.cfg.Follow) > 0 {
		x.links(rec, h, followTree(root, res.Base, x.cfg.Follow), res.Robots)
	}
}

// tokensOnly reports whether nothing asked needs the page's tree or the
// streaming matcher: no --select, no --follow selector but a[href], no
// extractor but jsonld, opengraph and meta. Tokenizer passes then do it
// all.
func (x *Extractor) tokensOnly() bool {
	return len(x.cfg.Rules) == 0 && (len(x.cfg.Follow) == 0 || x.anchorsOnly) && !x.want.tree() && !x.want.links
}

// fromTokens extracts with tokenizer passes alone; false when the page has
// what only the tree builder models (the caller then parses it).
func (x *Extractor) fromTokens(body []byte, pageURL *url.URL, h http.Header, rec *output.Record) bool {
	// One pass finds title, description and a crawl's links; without a
	// crawl, quickHead stops as soon as it has the first two.
	var tp tokenPage
	var ok bool
	if len(x.cfg.Follow) > 0 {
		tp, ok = pageTokens(body, pageURL, x.cfg.Agent)
	} else {
		tp.title, tp.desc, ok = quickHead(body)
	}
	if !ok {
		return false
	}
	extracted, ok := x.headTokens(body, pageURL, nil)
	if !ok {
		return false
	}
	rec.Title, rec.Description = tp.title, tp.desc
	rec.Fields = x.fields(nil)
	rec.Extracted = extracted
	x.links(rec, h, tp.links, tp.robots)
	return true
}

// fromStream extracts with the streaming matcher (the rules, the links to
// follow and the links extractor), and the head extractors' tokenizer
// pass; false when the page has what only the tree builder models (the
// caller then parses it).
func (x *Extractor) fromStream(body []byte, pageURL *url.URL, h http.Header, rec *output.Record) bool {
	res, links, linked, ok := streamPage(body, pageURL, x.cfg.Rules, x.cfg.Follow, x.cfg.Agent, x.want.links)
	if !ok {
		return false
	}
	extracted, ok := x.headTokens(body, pageURL, linked)
	if !ok {
		return false
	}
	rec.Title, rec.Description = res.Title, res.Description
	rec.Fields = x.fields(res.Values)
	rec.Extracted = extracted
	if len(x.cfg.Follow) > 0 {
		x.links(rec, h, links, res.Robots)
	}
	return true
}

// headTokens gives the extractors asked for, which must all be head
// extractors (jsonld, opengraph, meta), run with scanStructured, or links,
// whose value the streamer gave (linked): nil when none was asked for, ok
// false when the tokenizer pass gives up.
func (x *Extractor) headTokens(body []byte, pageURL *url.URL, linked []byte) ([]output.Extracted, bool) {
	if len(x.cfg.Extract) == 0 {
		return nil, true
	}
	var jl, og, mt []byte
	if x.want.head() {
		var ok bool
		if jl, og, mt, ok = scanStructured(body, pageURL, x.want.jsonld, x.want.opengraph, x.want.meta); !ok {
			return nil, false
		}
	}
	return extractedOf(x.cfg.Extract, func(n string) []byte {
		switch n {
		case "jsonld":
			return jl
		case "opengraph":
			return og
		case "links":
			return linked
		}
		return mt
	}), true
}

// links keeps a page's links unless it says nofollow (in a <meta> or an
// X-Robots-Tag header) and robots are obeyed.
func (x *Extractor) links(rec *output.Record, h http.Header, links, metaRobots []string) {
	if !x.cfg.IgnoreRobots && (Nofollow(metaRobots, x.cfg.Agent) || Nofollow(h.Values("X-Robots-Tag"), x.cfg.Agent)) {
		return
	}
	rec.Links = links
}

// Empty fills rec's extraction for a record with no HTML body: null or []
// fields, as SPEC.md writes a page with nothing in it.
func (x *Extractor) Empty(rec *output.Record) {
	rec.Fields = x.fields(nil)
	if len(x.cfg.Extract) > 0 {
		rec.Extracted = extractedOf(x.cfg.Extract, func(string) []byte { return nil })
	}
}

// fields names the rules' values; nil values are those of a page with
// nothing in it.
func (x *Extractor) fields(vs []output.Value) []output.Field {
	if len(x.names) == 0 {
		return nil
	}
	if vs == nil {
		vs = x.cfg.Rules.Empty().Values
	}
	fs := make([]output.Field, len(vs))
	for i, v := range vs {
		fs[i] = output.Field{Name: x.names[i], Value: v}
	}
	return fs
}
