package extract

import (
	"net/url"

	"github.com/trawl-dev/trawl/output"
)

// Extractor is a run's extraction as fetch calls it on every page: title,
// description and the --select fields. It is safe for concurrent use.
type Extractor struct {
	rules Rules
	names []string
}

// NewExtractor returns the extraction of rules.
func NewExtractor(rules Rules) *Extractor {
	return &Extractor{rules: rules, names: rules.Names()}
}

// Extract fills rec's extraction from an HTML body (UTF-8) whose final URL
// is pageURL.
func (x *Extractor) Extract(body []byte, pageURL *url.URL, rec *output.Record) {
	res := x.rules.Page(body, pageURL)
	rec.Title, rec.Description = res.Title, res.Description
	rec.Fields = x.fields(res.Values)
}

// Empty fills rec's extraction for a record with no HTML body: null or []
// fields, as SPEC.md writes a page with nothing in it.
func (x *Extractor) Empty(rec *output.Record) {
	rec.Fields = x.fields(x.rules.Empty().Values)
}

func (x *Extractor) fields(vs []output.Value) []output.Field {
	if len(x.names) == 0 {
		return nil
	}
	fs := make([]output.Field, len(vs))
	for i, v := range vs {
		fs[i] = output.Field{Name: x.names[i], Value: v}
	}
	return fs
}
