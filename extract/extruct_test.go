package extract

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The differential test against extruct (scrapinghub's Python library,
// Debian package python3-extruct): testdata/extruct_dump.py prints what
// extruct extracts from every page of testdata/corpus, and each of trawl's
// jsonld, opengraph and microdata values is compared with it, page by page,
// once both are brought to one shape. extruct has no meta or links
// extractor.
//
// The shapes differ on purpose (SPEC's are the HTML standard's for
// microdata, and whole block values for jsonld); the mapping, explicitly:
//
//	jsonld     extruct lists the items of each block: a top-level array's
//	           elements, else the object; it drops null, {} and other falsy
//	           or scalar values. trawl's block values are mapped the same way.
//	opengraph  extruct gives [{namespace, properties: [[key, value]...]}];
//	           both sides become an ordered list of key → values (values in
//	           document order). trawl's twitter: keys are left out (extruct
//	           has a separate twitter extractor), and so are its fb: keys
//	           unless the page declares the fb prefix (extruct needs the
//	           declaration).
//	microdata  extruct writes a lone type or value as a scalar, an item with
//	           no properties as {"value": text}; both become SPEC's arrays and
//	           {"properties": {}}. An item whose element has itemprop is no
//	           top-level item in the standard: extruct's are dropped. Text is
//	           compared with white space collapsed (extruct cleans text with
//	           html_text; the standard's textContent keeps white space).
//
// Strings are compared without C0 controls (trawl's output drops them).
// What remains are deliberate differences, listed per page in
// extructKnownDiffs with the reason: each entry removes what it names from
// both sides, the rest of the page must agree, and an entry that is no
// longer needed fails the test.

// extructBase is the URL both sides resolve against.
const extructBase = "https://example.com/dir/page.html"

// knownDiff removes, from both sides of one page's comparison, what trawl
// deliberately extracts differently.
type knownDiff struct {
	reason string
	// jsonld: indexes of extruct's items (after the mapping) to drop, and
	// of trawl's.
	extructItems, trawlItems []int
	// opengraph: keys to drop.
	keys []string
	// microdata: property names to drop, in every item at any depth.
	props []string
}

// Reasons, shared by the entries below.
const (
	whyJSComments  = "extruct retries a block that is not JSON with jstyleson, which removes JavaScript comments; trawl leaves such a block out (SPEC: a block that is not JSON is left out)"
	whyOGBody      = "extruct reads only the <meta> children of <head>; trawl reads every <meta> of the document"
	whyContent     = "extruct takes a content attribute on any element as the value (schema.org examples use it); the HTML standard reads content only on <meta>, so trawl takes the text"
	whyScriptText  = "the standard's textContent includes script and style text; extruct's html_text drops it"
	whyItemrefItem = "extruct expands an item reached through itemref into its referrer's properties; in the standard an item is never crawled into, and one without itemprop is no property"
	whyRefOrder    = "extruct puts properties found through itemref after the item's own; the standard sorts them in tree order"
)

var extructKnownDiffs = map[string]map[string]knownDiff{
	"extruct-invalid-JSONLD_with_JS_comment.html": {
		"jsonld": {reason: whyJSComments, extructItems: []int{0}},
	},
	"extruct-misc-opengraph_body_test.html": {
		"opengraph": {reason: whyOGBody, keys: []string{"og:title", "og:type", "og:url", "og:image", "og:site_name", "article:published_time"}},
	},
	"extruct-misc-opengraph_head_and_body_test.html": {
		"opengraph": {reason: whyOGBody, keys: []string{"og:url"}},
	},
	"extruct-schemaorg-Event.003.html": {
		"microdata": {reason: whyContent, props: []string{"startDate", "price", "priceCurrency"}},
	},
	"extruct-schemaorg-Event.004.html": {
		"microdata": {reason: whyContent, props: []string{"startDate", "price", "priceCurrency"}},
	},
	"extruct-schemaorg-Event.008.html": {
		"microdata": {reason: whyContent, props: []string{"startDate"}},
	},
	"extruct-schemaorg-CreativeWork.001.html": {
		"microdata": {reason: whyContent, props: []string{"inLanguage"}},
	},
	"schemaorg-issue1253-1-BrokerageAccount.html": {
		"microdata": {reason: whyContent, props: []string{"currency", "minAmount"}},
	},
	"schemaorg-issue1253-2-InvestmentFund.html": {
		"microdata": {reason: whyContent, props: []string{"currency", "minAmount", "maxAmount", "interestRate"}},
	},
	"schemaorg-issue1253-3-MortgageLoan.html": {
		"microdata": {reason: whyContent, props: []string{"currency", "amount"}},
	},
	"schemaorg-issue1253-4-ExchangeRateSpecification.html": {
		"microdata": {reason: whyContent, props: []string{"currency"}},
	},
	"schemaorg-issue1253-5-BankTransfer.html": {
		"microdata": {reason: whyContent, props: []string{"currency"}},
	},
	"extruct-w3c-microdata.4.2.strings.unclean.html": {
		"microdata": {reason: whyScriptText, props: []string{"name", "nationality"}},
	},
	"extruct-w3c-microdata.5.3.html": {
		"microdata": {reason: whyRefOrder, props: []string{"a"}},
	},
	"extruct-schemaorg-product-ref.html": {
		"microdata": {reason: whyItemrefItem, props: []string{"prop3", "image"}},
	},
}

// extructPage is one line of extruct_dump.py's output.
type extructPage struct {
	File   string `json:"file"`
	JSONLD []struct {
		OK    bool  `json:"ok"`
		Items []any `json:"items"`
	} `json:"jsonld"`
	OpenGraph []struct {
		Namespace  map[string]string `json:"namespace"`
		Properties [][2]string       `json:"properties"`
	} `json:"opengraph"`
	Microdata []any `json:"microdata"`
}

// extructPython returns a python3 that can import extruct, or "".
func extructPython() string {
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(py, "-c", "import extruct").Run() == nil {
			return py
		}
	}
	return ""
}

func TestAgainstExtruct(t *testing.T) {
	py := extructPython()
	if py == "" {
		t.Skip("no python3 that can import extruct: install it (apt-get install python3-extruct) to compare with extruct")
	}
	pages, err := filepath.Glob("testdata/corpus/*.html")
	if err != nil || len(pages) < 30 {
		t.Fatalf("corpus: %d pages, %v", len(pages), err)
	}
	cmd := exec.Command(py, append([]string{"testdata/extruct_dump.py", extructBase}, pages...)...)
	cmd.Stderr = os.Stderr
	dump, err := cmd.Output()
	if err != nil {
		t.Fatalf("extruct_dump.py: %v", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(dump))
	sc.Buffer(nil, 64<<20)
	agree, withData, agreeWithData := map[string]int{}, map[string]int{}, map[string]int{}
	var lines []string
	for i := 0; sc.Scan(); i++ {
		var ref extructPage
		if err := json.Unmarshal(sc.Bytes(), &ref); err != nil {
			t.Fatal(err)
		}
		body, err := os.ReadFile(pages[i])
		if err != nil {
			t.Fatal(err)
		}
		if ref.File != filepath.Base(pages[i]) {
			t.Fatalf("extruct_dump.py answered %s for %s", ref.File, pages[i])
		}
		out, _ := extractAll(body, mustURL(t, extructBase))
		for _, c := range []struct {
			name       string
			got, want  any
			neutralise func(knownDiff, any, any) (any, any)
		}{
			{"jsonld", trawlJSONLDItems(t, out.jsonld), extructJSONLDItems(ref), dropItems},
			{"opengraph", trawlOG(t, out.opengraph, ref), extructOG(ref), dropKeys},
			{"microdata", trawlMicrodata(t, out.microdata), extructMicrodata(ref), dropProps},
		} {
			same := reflect.DeepEqual(c.got, c.want)
			hasData := reflect.ValueOf(c.got).Len() > 0 || reflect.ValueOf(c.want).Len() > 0
			if same {
				agree[c.name]++
			}
			if hasData {
				withData[c.name]++
				if same {
					agreeWithData[c.name]++
				}
			}
			kd, known := extructKnownDiffs[ref.File][c.name]
			switch {
			case same && known:
				t.Errorf("%s %s: agrees with extruct; remove its known difference (%s)", ref.File, c.name, kd.reason)
			case !same && !known:
				t.Errorf("%s %s differs from extruct:\ntrawl   %s\nextruct %s", ref.File, c.name, jsonText(c.got), jsonText(c.want))
			case !same:
				got, want := c.neutralise(kd, c.got, c.want)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s %s: differs from extruct beyond its known difference (%s):\ntrawl   %s\nextruct %s",
						ref.File, c.name, kd.reason, jsonText(got), jsonText(want))
				}
				lines = append(lines, fmt.Sprintf("%s %s: %s", ref.File, c.name, kd.reason))
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"jsonld", "opengraph", "microdata"} {
		t.Logf("%s: %d of %d pages agree with extruct (%d of the %d pages where either finds something)",
			name, agree[name], len(pages), agreeWithData[name], withData[name])
	}
	for _, l := range lines {
		t.Logf("known difference: %s", l)
	}
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func decodeAny(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return v
}

// extructItemsOf maps one block value to the items extruct lists for it.
func extructItemsOf(v any) []any {
	var items []any
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			if truthy(e) {
				items = append(items, e)
			}
		}
	case map[string]any:
		if len(v) > 0 {
			items = append(items, v)
		}
	}
	return items
}

// truthy is Python's truth value of a decoded JSON value.
func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case float64:
		return v != 0
	case string:
		return v != ""
	case []any:
		return len(v) > 0
	case map[string]any:
		return len(v) > 0
	}
	return true
}

func trawlJSONLDItems(t *testing.T, jl []byte) any {
	items := []any{}
	for _, v := range decodeAny(t, jl).([]any) {
		items = append(items, extructItemsOf(v)...)
	}
	return sanitize(items)
}

func extructJSONLDItems(ref extructPage) any {
	items := []any{}
	for _, b := range ref.JSONLD {
		if b.OK {
			items = append(items, b.Items...)
		}
	}
	return sanitize(items)
}

func dropItems(kd knownDiff, got, want any) (any, any) {
	drop := func(v any, idx []int) any {
		var out []any
		for i, e := range v.([]any) {
			if !slices.Contains(idx, i) {
				out = append(out, e)
			}
		}
		return out
	}
	return drop(got, kd.trawlItems), drop(want, kd.extructItems)
}

// ogEntry is one key of an opengraph object and its values in order.
type ogEntry struct {
	Key    string
	Values []string
}

// trawlOG reads trawl's opengraph object, keys in order, and leaves out
// the keys extruct's opengraph cannot have.
func trawlOG(t *testing.T, og []byte, ref extructPage) any {
	fb := false
	for _, h := range ref.OpenGraph {
		if _, ok := h.Namespace["fb"]; ok {
			fb = true
		}
	}
	dec := json.NewDecoder(bytes.NewReader(og))
	dec.Token() // {
	entries := []ogEntry{}
	for dec.More() {
		k, _ := dec.Token()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		key := k.(string)
		if strings.HasPrefix(key, "twitter:") || strings.HasPrefix(key, "fb:") && !fb {
			continue
		}
		e := ogEntry{Key: key}
		switch v := v.(type) {
		case string:
			e.Values = []string{v}
		case []any:
			for _, s := range v {
				e.Values = append(e.Values, s.(string))
			}
		}
		entries = append(entries, e)
	}
	return entries
}

// extructOG groups extruct's pairs by key, keys in order of first
// appearance, keeping the prefixes trawl's opengraph has.
func extructOG(ref extructPage) any {
	entries := []ogEntry{}
	for _, h := range ref.OpenGraph {
		for _, p := range h.Properties {
			if !isOGKey(p[0]) || isTwitterKey(p[0]) {
				continue
			}
			i := slices.IndexFunc(entries, func(e ogEntry) bool { return e.Key == p[0] })
			if i < 0 {
				entries = append(entries, ogEntry{Key: p[0]})
				i = len(entries) - 1
			}
			entries[i].Values = append(entries[i].Values, stripC0(p[1]))
		}
	}
	return entries
}

func dropKeys(kd knownDiff, got, want any) (any, any) {
	drop := func(v any) any {
		return slices.DeleteFunc(slices.Clone(v.([]ogEntry)), func(e ogEntry) bool { return slices.Contains(kd.keys, e.Key) })
	}
	return drop(got), drop(want)
}

func trawlMicrodata(t *testing.T, md []byte) any {
	return normItems(decodeAny(t, md))
}

// normItems brings items (trawl's, already SPEC-shaped, or extruct's) to
// SPEC's shape with collapsed text.
func normItems(v any) any {
	out := []any{}
	for _, it := range v.([]any) {
		m := it.(map[string]any)
		if m["_itemprop"] == true {
			continue // not a top-level item in the standard
		}
		out = append(out, normItem(m))
	}
	return out
}

func normItem(m map[string]any) map[string]any {
	item := map[string]any{}
	switch t := m["type"].(type) {
	case string:
		item["type"] = []any{t}
	case []any:
		item["type"] = t
	}
	if id, ok := m["id"]; ok {
		item["id"] = id
	}
	props := map[string]any{}
	if p, ok := m["properties"].(map[string]any); ok {
		for name, vals := range p {
			list, isList := vals.([]any)
			if !isList {
				list = []any{vals}
			}
			var norm []any
			for _, v := range list {
				norm = append(norm, normValue(v))
			}
			props[name] = norm
		}
	}
	item["properties"] = props
	return item
}

func normValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		return normItem(v)
	case string:
		return Collapse(stripC0(v))
	}
	return v
}

func extructMicrodata(ref extructPage) any {
	return normItems(any(ref.Microdata))
}

func dropProps(kd knownDiff, got, want any) (any, any) {
	var drop func(v any) any
	drop = func(v any) any {
		switch v := v.(type) {
		case []any:
			out := make([]any, len(v))
			for i, e := range v {
				out[i] = drop(e)
			}
			return out
		case map[string]any:
			out := map[string]any{}
			for k, e := range v {
				if k == "properties" {
					props := map[string]any{}
					for name, vals := range e.(map[string]any) {
						if !slices.Contains(kd.props, name) {
							props[name] = drop(vals)
						}
					}
					out[k] = props
					continue
				}
				out[k] = drop(e)
			}
			return out
		}
		return v
	}
	return drop(got), drop(want)
}
