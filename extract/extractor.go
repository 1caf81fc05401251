package extract

import (
	"bytes"
	"net/http"
	"net/url"

	"golang.org/x/net/html"

	"github.com/trawl-dev/trawl/output"
)

// Config is what a run extracts from every page.
type Config struct {
	// Rules are the --select rules.
	Rules Rules
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
	// anchorsOnly: the links come from a[href] alone, which a tokenizer
	// pass finds without a tree.
	anchorsOnly bool
}

// NewExtractor returns the extraction cfg describes.
func NewExtractor(cfg Config) *Extractor {
	x := &Extractor{cfg: cfg, names: cfg.Rules.Names(), anchorsOnly: len(cfg.Follow) > 0}
	for _, f := range cfg.Follow {
		x.anchorsOnly = x.anchorsOnly && f.anchors
	}
	return x
}

// Extract fills rec's extraction from an HTML body (UTF-8) whose final URL
// is pageURL; h is the response's header, for X-Robots-Tag.
func (x *Extractor) Extract(body []byte, pageURL *url.URL, h http.Header, rec *output.Record) {
	follow := len(x.cfg.Follow) > 0
	if len(x.cfg.Rules) == 0 && (!follow || x.anchorsOnly) {
		// Neither --select nor a --follow selector: no tree.
		if title, desc, ok := quickHead(body); ok {
			var tl tokenLinks
			if follow {
				tl, ok = followTokens(body, pageURL, x.cfg.Agent)
			}
			if ok {
				rec.Title, rec.Description = title, desc
				rec.Fields = x.fields(nil)
				x.links(rec, h, tl.links, tl.robots)
				return
			}
		}
	}
	root, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		// html.Parse fails only on reader errors; a bytes.Reader has none.
		x.Empty(rec)
		return
	}
	res := x.cfg.Rules.node(root, pageURL, x.cfg.Agent)
	rec.Title, rec.Description = res.Title, res.Description
	rec.Fields = x.fields(res.Values)
	if follow {
		x.links(rec, h, followTree(root, res.Base, x.cfg.Follow), res.Robots)
	}
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
