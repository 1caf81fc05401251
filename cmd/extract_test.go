package cmd

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/trawl-dev/trawl/internal/site"
)

// demoSite serves the built-in demo site.
func demoSite(t *testing.T) *site.Recorder {
	t.Helper()
	rec, err := site.NewRecorder("", nil, site.Handler(site.New(site.Options{Pages: 5})))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(rec.Close)
	return rec
}

// TestExtractRecords: --extract adds an extracted object after fields, one
// key per extractor in the order asked; a body that is not HTML gives null.
func TestExtractRecords(t *testing.T) {
	srv := demoSite(t)
	list := srv.URL + site.ArticlePath + "\n" + srv.URL + "/page/2\n" + srv.URL + "/json\n"
	code, out, errOut := run(t, list, "scrape", "-q", "--ordered", "--extract", "text,jsonld", "--extract", "meta,opengraph,microdata,links,markdown", "-s", "h=h1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d records", len(lines))
	}
	keys := keysInOrder(t, lines[0])
	if strings.Join(keys, ",") != "url,final_url,status,content_type,title,description,fields,extracted,bytes,elapsed_ms,attempts,fetched_at,error_kind,error" {
		t.Errorf("keys %v", keys)
	}
	var recs []struct {
		Extracted json.RawMessage `json:"extracted"`
	}
	for _, l := range lines {
		var r struct {
			Extracted json.RawMessage `json:"extracted"`
		}
		json.Unmarshal([]byte(l), &r)
		recs = append(recs, r)
	}
	var order []string
	dec := json.NewDecoder(strings.NewReader(string(recs[0].Extracted)))
	dec.Token()
	for dec.More() {
		k, _ := dec.Token()
		order = append(order, k.(string))
		var skip json.RawMessage
		dec.Decode(&skip)
	}
	if strings.Join(order, ",") != "text,jsonld,meta,opengraph,microdata,links,markdown" {
		t.Errorf("extractor order %v", order)
	}
	var art struct {
		Text      string            `json:"text"`
		Markdown  string            `json:"markdown"`
		JSONLD    []map[string]any  `json:"jsonld"`
		Meta      map[string]any    `json:"meta"`
		OpenGraph map[string]any    `json:"opengraph"`
		Microdata []map[string]any  `json:"microdata"`
		Links     []json.RawMessage `json:"links"`
	}
	if err := json.Unmarshal(recs[0].Extracted, &art); err != nil {
		t.Fatal(err)
	}
	for _, p := range site.ArticleParagraphs {
		if !strings.Contains(art.Text, p) || !strings.Contains(art.Markdown, p) {
			t.Errorf("the main text lacks %.40q", p)
		}
	}
	for _, boiler := range []string{"cookies", "Accept all", "Most read", "Newsletter", "Great read", "Related articles", "Privacy"} {
		if strings.Contains(art.Text, boiler) {
			t.Errorf("the main text has boilerplate %q", boiler)
		}
	}
	if !strings.Contains(art.Markdown, "## Good guests") || !strings.Contains(art.Markdown, "- Read robots.txt first.") ||
		!strings.Contains(art.Markdown, "```") {
		t.Errorf("markdown:\n%s", art.Markdown)
	}
	if len(art.JSONLD) != 1 || art.JSONLD[0]["@type"] != "NewsArticle" {
		t.Errorf("jsonld %v", art.JSONLD)
	}
	if art.Meta["published"] != "2026-11-02T09:30:00Z" || art.Meta["author"] != "Ada Crawford" || art.Meta["canonical"] != srv.URL+"/article" {
		t.Errorf("meta %v", art.Meta)
	}
	if imgs, _ := art.OpenGraph["og:image"].([]any); len(imgs) != 2 {
		t.Errorf("opengraph %v", art.OpenGraph)
	}
	if len(art.Microdata) != 1 || len(art.Links) < 10 {
		t.Errorf("microdata %v, %d links", art.Microdata, len(art.Links))
	}
	var prod map[string]any
	json.Unmarshal(recs[1].Extracted, &prod)
	if md := prod["microdata"].([]any); len(md) != 1 {
		t.Errorf("product microdata %v", md)
	}
	if js := string(recs[2].Extracted); js != `{"text":null,"jsonld":null,"meta":null,"opengraph":null,"microdata":null,"links":null,"markdown":null}` {
		t.Errorf("a JSON body: extracted %s", js)
	}
}

// TestExtractTokenPathAgrees: jsonld, opengraph and meta alone take a
// tokenizer pass; with a --select rule the streaming matcher cannot take (a
// sibling combinator) the page is parsed; both give the same.
func TestExtractTokenPathAgrees(t *testing.T) {
	srv := demoSite(t)
	list := srv.URL + site.ArticlePath + "\n" + srv.URL + "/page/3\n"
	_, a, _ := run(t, list, "scrape", "-q", "--ordered", "--extract", "jsonld,opengraph,meta")
	_, b, _ := run(t, list, "scrape", "-q", "--ordered", "--extract", "jsonld,opengraph,meta", "-s", "x=h1 ~ p")
	ex := func(out string) []string {
		var xs []string
		for _, r := range records(t, out) {
			j, _ := json.Marshal(r["extracted"])
			xs = append(xs, string(j))
		}
		return xs
	}
	ea, eb := ex(a), ex(b)
	if len(ea) != 2 || strings.Join(ea, "\n") != strings.Join(eb, "\n") {
		t.Errorf("token path:\n%s\ntree path:\n%s", strings.Join(ea, "\n"), strings.Join(eb, "\n"))
	}
}

// TestExtractCSVAndBadInput: extractor columns come after --select's; a
// --select NAME equal to an extractor is refused with CSV; an unknown
// extractor is refused naming --extract; a malformed JSON-LD block is left
// out.
func TestExtractCSVAndBadInput(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(`<title>T</title><script type="application/ld+json">{"bad": </script>` +
			`<script type="application/ld+json"><!-- {"@type":"Good"} --></script><h1>H</h1>`))
	})
	code, out, errOut := run(t, srv.URL+"/p\n", "scrape", "-q", "-f", "csv", "-s", "h=h1", "--extract", "jsonld,text")
	if code != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("%v %q", err, out)
	}
	h := strings.Join(rows[0], ",")
	if !strings.HasSuffix(h, ",error,h,jsonld,text") {
		t.Errorf("header %s", h)
	}
	if rows[1][13] != `[{"@type":"Good"}]` || rows[1][12] != "H" {
		t.Errorf("row %q", rows[1])
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--extract", "bogus"}, "--extract"},
		{[]string{"--extract", "text,tables"}, `"tables"`},
		{[]string{"-f", "csv", "--extract", "text", "-s", "text=h1"}, "--select"},
	} {
		code, _, errOut := run(t, srv.URL+"/p\n", append([]string{"scrape", "-q"}, c.args...)...)
		if code != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d %q", c.args, code, errOut)
		}
	}
}

// TestExtractCache: a 304 repeats the stored extracted object.
func TestExtractCache(t *testing.T) {
	srv := demoSite(t)
	cache := t.TempDir()
	args := []string{"scrape", "-q", "--cache", cache, "--extract", "jsonld,text"}
	_, first, _ := run(t, srv.URL+"/page/1\n", args...)
	_, second, _ := run(t, srv.URL+"/page/1\n", args...)
	a, b := records(t, first)[0], records(t, second)[0]
	ja, _ := json.Marshal(a["extracted"])
	jb, _ := json.Marshal(b["extracted"])
	if b["status"] != 304.0 || string(ja) != string(jb) || !strings.Contains(string(jb), "Product") {
		t.Errorf("second run: status %v, extracted %s (first %s)", b["status"], jb, ja)
	}
	// Another extractor set: the entry is not used.
	_, third, _ := run(t, srv.URL+"/page/1\n", "scrape", "-q", "--cache", cache, "--extract", "meta")
	if r := records(t, third)[0]; r["status"] != 200.0 {
		t.Errorf("other --extract: status %v, want 200 (cache entry not used)", r["status"])
	}
}
