package frontier

import (
	"net/url"
	"testing"

	"github.com/trawl-dev/trawl/internal/weburl"
)

func TestParseScope(t *testing.T) {
	for _, s := range []Scope{ScopeHost, ScopeDomain, ScopePrefix, ScopeAny} {
		got, err := ParseScope(s.String())
		if err != nil || got != s {
			t.Errorf("ParseScope(%q) = %v, %v", s.String(), got, err)
		}
	}
	for _, in := range []string{"", "Host", "hosts", "sub", "domain "} {
		if _, err := ParseScope(in); err == nil {
			t.Errorf("ParseScope(%q): no error", in)
		}
	}
	_, err := ParseScope("x")
	if want := `scope "x": want host, domain, prefix or any`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if got := Scope(9).String(); got != "Scope(9)" {
		t.Errorf("Scope(9).String() = %q", got)
	}
}

func TestInScope(t *testing.T) {
	type c struct {
		seed, u              string
		host, domain, prefix bool
	}
	tests := []c{
		{"https://example.com/", "https://example.com/a/b", true, true, true},
		{"https://example.com/", "http://example.com/a", true, true, false},
		// A final dot: the same host, but not the same string for prefix.
		{"https://EXAMPLE.com/", "https://example.COM./", true, true, false},
		{"https://www.example.com/", "https://example.com/", false, true, false},
		{"https://www.example.com/", "https://blog.example.com/", false, true, false},
		{"https://example.com/", "https://example.org/", false, false, false},
		{"https://example.com/", "https://notexample.com/", false, false, false},
		{"https://example.com/", "https://example.com.evil.net/", false, false, false},
		// Ports: host and domain ignore them, prefix does not.
		{"http://example.com:8080/a/", "http://example.com/a/x", true, true, false},
		{"http://example.com:8080/a/", "http://example.com:8080/a/x", true, true, true},
		{"http://example.com:80/a/", "http://example.com/a/x", true, true, true},
		{"http://example.com:80/", "http://example.com:8080/", true, true, false},
		// Prefix: the path up to the seed's last '/'.
		{"https://h.example/docs/", "https://h.example/docs/x/y", true, true, true},
		{"https://h.example/docs/", "https://h.example/docs", true, true, false},
		{"https://h.example/docs/", "https://h.example/docsx/", true, true, false},
		{"https://h.example/docs/index.html", "https://h.example/docs/other.html", true, true, true},
		{"https://h.example/docs/index.html?x=1#f", "https://h.example/docs/?y", true, true, true},
		{"https://h.example/docs", "https://h.example/other", true, true, true},
		{"https://h.example/a b/", "https://h.example/a%20b/c", true, true, true},
		{"https://user:pw@h.example/a/", "https://h.example/a/c", true, true, true},
		// IDNA hosts: Unicode and xn-- forms are one host.
		{"https://bücher.example/", "https://XN--BCHER-KVA.example/x", true, true, true},
		{"https://www.bücher.de/", "https://shop.xn--bcher-kva.de/", false, true, false},
		// co.uk-style public suffixes.
		{"https://www.bbc.co.uk/", "https://news.bbc.co.uk/", false, true, false},
		{"https://bbc.co.uk/", "https://itv.co.uk/", false, false, false},
		// Wildcard rules (*.kawasaki.jp) and their exceptions (!city.kawasaki.jp).
		{"https://a.foo.kawasaki.jp/", "https://b.foo.kawasaki.jp/", false, false, false},
		{"https://www.city.kawasaki.jp/", "https://other.city.kawasaki.jp/", false, true, false},
		// A host that is a public suffix: host equality only.
		{"https://co.uk/", "https://bbc.co.uk/", false, false, false},
		{"https://co.uk/", "https://co.uk/x", true, true, true},
		// Private suffixes count: each github.io site is its own domain.
		{"https://alice.github.io/", "https://bob.github.io/", false, false, false},
		{"https://alice.github.io/", "https://www.alice.github.io/", false, true, false},
		{"https://github.io/", "https://alice.github.io/", false, false, false},
		{"https://a.blogspot.com/", "https://b.blogspot.com/", false, false, false},
		// IP addresses: host equality only.
		{"http://192.168.0.1/", "http://192.168.0.2/", false, false, false},
		{"http://192.168.0.1/", "http://192.168.0.1:8080/", true, true, false},
		{"http://0x7f.1/", "http://127.0.0.1/x", true, true, true},
		{"http://[::1]:8080/", "http://[::1]/", true, true, false},
		{"http://[::1]/", "http://[::2]/", false, false, false},
		// No public suffix: single-label hosts.
		{"http://localhost:8089/", "http://localhost:9000/", true, true, false},
		{"http://localhost/", "http://otherhost/", false, false, false},
	}
	for _, tt := range tests {
		seed, u := parse(t, tt.seed), parse(t, tt.u)
		for _, s := range []struct {
			scope Scope
			want  bool
		}{{ScopeHost, tt.host}, {ScopeDomain, tt.domain}, {ScopePrefix, tt.prefix}, {ScopeAny, true}} {
			if got := InScope(s.scope, seed, u); got != s.want {
				t.Errorf("InScope(%v, %q, %q) = %v, want %v", s.scope, tt.seed, tt.u, got, s.want)
			}
		}
	}
	if InScope(Scope(42), parse(t, "http://h/"), parse(t, "http://h/")) {
		t.Error("an unknown scope is in scope")
	}
}

// URLs from net/url (a redirect's target) compare as weburl's do.
func TestInScopeNetURL(t *testing.T) {
	seed, _ := url.Parse("HTTP://Example.COM:80/Docs/a")
	u, _ := url.Parse("http://example.com/Docs/b/../c")
	for _, s := range []Scope{ScopeHost, ScopeDomain, ScopePrefix} {
		if !InScope(s, seed, u) {
			t.Errorf("InScope(%v, %q, %q) = false", s, seed, u)
		}
	}
}

func parse(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := weburl.Parse(s)
	if err != nil {
		t.Fatalf("weburl.Parse(%q): %v", s, err)
	}
	return u
}
