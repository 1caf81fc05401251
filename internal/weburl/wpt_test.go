package weburl

import (
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"
)

// wptCase is one test of web-platform-tests url/resources/urltestdata.json.
// testdata/urltestdata-http.json holds every case of that file (the version
// at commit 04f8022e43aeac33a2f8ca248333cb5e8571b160) whose input is parsed
// with no base or with an http(s) base and whose expected result is an
// http(s) URL or a failure, with only the fields used here.
type wptCase struct {
	Input   string  `json:"input"`
	Base    *string `json:"base"`
	Href    string  `json:"href"`
	Failure bool    `json:"failure"`
}

// TestWPT runs every case. A result is either the standard's exactly, or the
// standard's after the deviations of the package documentation (deviate
// below); anything else fails the test. The counts are logged (go test -v).
func TestWPT(t *testing.T) {
	data, err := os.ReadFile("testdata/urltestdata-http.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []wptCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	exact, deviated := 0, 0
	for _, c := range cases {
		u, err := wptRun(c)
		got := ""
		if err == nil {
			got = u.String()
			checkURL(t, c.Input, u)
		}
		switch {
		case c.Failure && err != nil:
			exact++
		case c.Failure:
			t.Errorf("input %q base %v: got %q, want failure", c.Input, deref(c.Base), got)
		case err == nil && got == c.Href:
			exact++
		default:
			want, ok := deviate(c.Href)
			if !ok && err != nil || ok && err == nil && got == want {
				deviated++
				t.Logf("deviation: input %q: standard %q, here %q (err %v)", c.Input, c.Href, got, err)
				continue
			}
			t.Errorf("input %q base %v: got %q (err %v), want %q", c.Input, deref(c.Base), got, err, c.Href)
		}
	}
	t.Logf("%d cases: %d exactly as the standard, %d by a documented deviation, %d wrong",
		len(cases), exact, deviated, len(cases)-exact-deviated)
}

func deref(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

func wptRun(c wptCase) (*url.URL, error) {
	if c.Base == nil || *c.Base == "about:blank" {
		return Parse(c.Input)
	}
	base, err := Parse(*c.Base)
	if err != nil {
		return nil, err
	}
	return Resolve(base, c.Input)
}

// deviate rewrites a standard serialization as this package writes it; ok is
// false when the package refuses the URL (a host with '`', '{' or '}').
func deviate(href string) (string, bool) {
	scheme, rest, _ := strings.Cut(href, "://")
	slash := strings.IndexByte(rest, '/')
	auth, rest := rest[:slash], rest[slash:]
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		name, pass, hasPass := strings.Cut(auth[:at], ":")
		ui := url.User(unescapeLenient(name))
		if hasPass {
			ui = url.UserPassword(unescapeLenient(name), unescapeLenient(pass))
		}
		auth = ui.String() + "@" + auth[at+1:]
	}
	if strings.ContainsAny(auth, "`{}") {
		return "", false
	}
	rest, frag, hasFrag := strings.Cut(rest, "#")
	path, query, hasQuery := strings.Cut(rest, "?")
	out := scheme + "://" + auth + escapeMore(path, "^|")
	if hasQuery {
		out += "?" + query
	}
	if hasFrag && frag != "" {
		out += "#" + escapeMore(frag, "#\\^{|}")
	}
	return out, true
}

// escapeMore percent-encodes the bytes of extra and every '%' that does not
// start an escape.
func escapeMore(s, extra string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if strings.IndexByte(extra, c) >= 0 || c == '%' && !isEscape(s, i) {
			b.WriteByte('%')
			b.WriteByte(upperhex[c>>4])
			b.WriteByte(upperhex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
