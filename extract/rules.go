// Package extract owns the --select rules, parsed and compiled once, and the
// extraction of title, description and fields from an HTML page: with
// goquery on the page's tree, or while tokenizing it where the selectors
// and the page allow (the streaming matcher, stream.go), with the same
// results. It does no network I/O: it is handed UTF-8 bytes and the page's
// URL.
package extract

import (
	"fmt"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
)

// Rule is one compiled --select rule.
type Rule struct {
	// Name is the field's key (without the [] of a list rule).
	Name string
	// Selector is the CSS selector as written.
	Selector string
	// Attr is the attribute to take instead of the text; "" for the text.
	Attr string
	// List says every match is wanted (NAME[]=), not the first.
	List bool

	all   goquery.Matcher
	first goquery.Matcher
	match cascadia.Selector
	// stream is how the streaming matcher (stream.go) matches the
	// selector; nil when it cannot.
	stream *streamSel
}

// Rules are the compiled rules, in flag order.
type Rules []Rule

// Names returns the rules' field names in order.
func (rs Rules) Names() []string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.Name
	}
	return names
}

// Specs returns the rules as NAME=SELECTOR[@attr] strings, the form they
// were given in, normalised; it identifies a rule set (for --cache).
func (rs Rules) Specs() []string {
	specs := make([]string, len(rs))
	for i, r := range rs {
		n := r.Name
		if r.List {
			n += "[]"
		}
		specs[i] = n + "=" + r.Selector
		if r.Attr != "" {
			specs[i] += "@" + r.Attr
		}
	}
	return specs
}

// ParseRule compiles one NAME=SELECTOR[@attr] or NAME[]=SELECTOR[@attr].
func ParseRule(spec string) (Rule, error) {
	name, sel, ok := strings.Cut(spec, "=")
	if !ok {
		return Rule{}, fmt.Errorf("%q: want NAME=SELECTOR", spec)
	}
	return NewRule(name, sel)
}

// NewRule compiles the rule of one name (with [] for a list) and selector.
func NewRule(name, sel string) (Rule, error) {
	r := Rule{Name: strings.TrimSpace(name)}
	if n, ok := strings.CutSuffix(r.Name, "[]"); ok {
		r.Name, r.List = strings.TrimSpace(n), true
	}
	if r.Name == "" {
		return Rule{}, fmt.Errorf("%q: empty name", name+"="+sel)
	}
	if strings.ContainsAny(r.Name, "[]") {
		return Rule{}, fmt.Errorf("%q: name %q may not contain [ or ] except a final []", name+"="+sel, r.Name)
	}
	css := strings.TrimSpace(sel)
	if i := strings.LastIndexByte(css, '@'); i >= 0 && isAttrName(strings.TrimSpace(css[i+1:])) {
		css, r.Attr = strings.TrimSpace(css[:i]), strings.ToLower(strings.TrimSpace(css[i+1:]))
	}
	if css == "" {
		return Rule{}, fmt.Errorf("%s: empty selector", r.Name)
	}
	g, err := cascadia.Compile(css)
	if err != nil {
		return Rule{}, fmt.Errorf("%s: selector %q: %v", r.Name, css, err)
	}
	r.Selector = css
	r.all = g
	r.first = goquery.SingleMatcher(g)
	r.match = g
	if sel, ok := streamSelector(css); ok {
		r.stream = sel
	}
	return r, nil
}

// Compile compiles specs in order; an empty or duplicate name is an error.
func Compile(specs []string) (Rules, error) {
	rs := make(Rules, 0, len(specs))
	seen := make(map[string]bool, len(specs))
	for _, s := range specs {
		r, err := ParseRule(s)
		if err != nil {
			return nil, err
		}
		if seen[r.Name] {
			return nil, fmt.Errorf("%q: duplicate name %q", s, r.Name)
		}
		seen[r.Name] = true
		rs = append(rs, r)
	}
	return rs, nil
}

// isAttrName reports whether s can be an HTML attribute name after the @ of
// a rule, so that an @ inside a selector's quoted value is not taken for one.
func isAttrName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case i > 0 && (c >= '0' && c <= '9' || c == '-' || c == ':' || c == '.'):
		default:
			return false
		}
	}
	return true
}
