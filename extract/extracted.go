package extract

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html"

	"github.com/trawl-dev/trawl/output"
)

// Extractors are the names --extract takes, in SPEC.md's order.
func Extractors() []string { return slices.Clone(extractorNames[:]) }

var extractorNames = [...]string{"jsonld", "opengraph", "microdata", "meta", "links", "text", "markdown"}

// ParseExtract reads --extract values (comma-separated, repeatable) into the
// extractors asked for, in the order asked, each once.
func ParseExtract(values []string) ([]string, error) {
	var names []string
	for _, v := range values {
		for _, n := range strings.Split(v, ",") {
			n = strings.ToLower(strings.TrimSpace(n))
			switch {
			case n == "":
				continue
			case !slices.Contains(extractorNames[:], n):
				return nil, fmt.Errorf("unknown extractor %q (want %s)", n, strings.Join(extractorNames[:], ", "))
			case !slices.Contains(names, n):
				names = append(names, n)
			}
		}
	}
	return names, nil
}

// wants is which extractors a run asked for.
type wants struct {
	jsonld, opengraph, meta, microdata, links, text, markdown bool
}

func wantsOf(names []string) wants {
	var w wants
	for _, n := range names {
		switch n {
		case "jsonld":
			w.jsonld = true
		case "opengraph":
			w.opengraph = true
		case "meta":
			w.meta = true
		case "microdata":
			w.microdata = true
		case "links":
			w.links = true
		case "text":
			w.text = true
		case "markdown":
			w.markdown = true
		}
	}
	return w
}

// head: one pass, token or tree, finds all three.
func (w wants) head() bool { return w.jsonld || w.opengraph || w.meta }

// tree: the extractors that need the parsed page. links does not: the
// streaming matcher gives it (streamer.noteLink), or the tree when the streamer
// gives the page up.
func (w wants) tree() bool { return w.microdata || w.text || w.markdown }

// extractedOf names the values in the order asked; a nil value is null.
func extractedOf(names []string, value func(name string) []byte) []output.Extracted {
	xs := make([]output.Extracted, len(names))
	for i, n := range names {
		xs[i] = output.Extracted{Name: n, JSON: value(n)}
	}
	return xs
}

// fromTree runs the asked extractors on a parsed page.
func (x *Extractor) fromTree(root *html.Node, base *url.URL) []output.Extracted {
	w := x.want
	var jl, og, mt []byte
	if w.head() {
		h := newHeadCollector(w.jsonld, w.opengraph, w.meta)
		headTree(h, root)
		jl, og, mt = h.results(base)
	}
	var main *article
	if w.text || w.markdown {
		main = mainContent(root, base)
	}
	return extractedOf(x.cfg.Extract, func(n string) []byte {
		switch n {
		case "jsonld":
			return jl
		case "opengraph":
			return og
		case "meta":
			return mt
		case "microdata":
			return appendMicrodata(nil, root, base)
		case "links":
			return appendLinks(nil, root, base)
		case "text":
			return main.appendText(nil)
		case "markdown":
			return main.appendMarkdown(nil)
		}
		return nil
	})
}
