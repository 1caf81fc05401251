package input

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// TestParseLikeABrowser: SPEC's URL rules for listed URLs.
func TestParseLikeABrowser(t *testing.T) {
	for _, c := range []struct {
		line, raw, request string // request "" means invalid
		why                string // a part of the error message
	}{
		{"example.com/a", "https://example.com/a", "https://example.com/a", ""},
		{"localhost:8080/x", "https://localhost:8080/x", "https://localhost:8080/x", ""},
		{"127.0.0.1:18080", "https://127.0.0.1:18080", "https://127.0.0.1:18080/", ""},
		{"//e.example/p", "https://e.example/p", "https://e.example/p", ""},
		{"http:127.0.0.1:18080/ok", "http:127.0.0.1:18080/ok", "http://127.0.0.1:18080/ok", ""},
		{"https:host.example/p", "https:host.example/p", "https://host.example/p", ""},
		{"HTTP://EXAMPLE.com/Path", "HTTP://EXAMPLE.com/Path", "http://example.com/Path", ""},
		{"example.com/q?a=b c", "https://example.com/q?a=b c", "https://example.com/q?a=b%20c", ""},
		{"example.com/a b/ü", "https://example.com/a b/ü", "https://example.com/a%20b/%C3%BC", ""},
		{"bücher.example/x", "https://bücher.example/x", "https://xn--bcher-kva.example/x", ""},
		{"http://0x7f.1/", "http://0x7f.1/", "http://127.0.0.1/", ""},
		{"http://a.example:80/x", "http://a.example:80/x", "http://a.example/x", ""},
		{"mailto:x@127.0.0.1", "mailto:x@127.0.0.1", "", `scheme "mailto" is not http or https`},
		{"javascript:alert(1)", "javascript:alert(1)", "", `scheme "javascript"`},
		{"ftp://d.example/", "ftp://d.example/", "", `scheme "ftp"`},
		{"file:///etc/passwd", "file:///etc/passwd", "", `scheme "file"`},
		{"data:text/html,x", "data:text/html,x", "", `scheme "data"`},
		{"http://g.example:99999/", "http://g.example:99999/", "", "port"},
		{"not a url", "https://not a url", "", "host"},
	} {
		it := Parse(c.line)
		if it.Raw != c.raw {
			t.Errorf("Parse(%q).Raw = %q, want %q", c.line, it.Raw, c.raw)
		}
		if c.request == "" {
			if it.Err == nil || !errors.Is(it.Err, ErrInvalid) || !strings.Contains(it.Err.Error(), c.why) || it.URL != nil {
				t.Errorf("Parse(%q): err %v, want invalid naming %q", c.line, it.Err, c.why)
			}
			continue
		}
		if it.Err != nil {
			t.Errorf("Parse(%q): %v", c.line, it.Err)
			continue
		}
		if got := it.URL.String(); got != c.request {
			t.Errorf("Parse(%q) requests %q, want %q", c.line, got, c.request)
		}
	}
}

// FuzzParse: Parse never panics, and a valid result is a request target:
// http(s), a host, no space or control byte, and it re-parses to itself
// with net/url and with Parse.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"example.com", "http://a/b?c#d", "https://user:pw@h:1/", "://", "http://",
		"mailto:x@y", "http:h/p", "a b.example/c d", "localhost:80", "HTTP://X/%zz", "http://0x7f.1/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		it := Parse(line)
		if it.Err != nil {
			if it.URL != nil || !errors.Is(it.Err, ErrInvalid) {
				t.Fatalf("%q: URL %v with error %v", line, it.URL, it.Err)
			}
			return
		}
		s := it.URL.String()
		if it.URL.Scheme != "http" && it.URL.Scheme != "https" || it.URL.Hostname() == "" {
			t.Fatalf("%q accepted as %q", line, s)
		}
		if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			t.Fatalf("%q requests %q, with a space or control", line, s)
		}
		if u, err := url.Parse(s); err != nil || u.String() != s {
			t.Fatalf("%q requests %q, which net/url reads as %v, %v", line, s, u, err)
		}
		if again := Parse(s); again.Err != nil || again.URL.String() != s {
			t.Fatalf("%q requests %q, which Parse reads as %v, %v", line, s, again.URL, again.Err)
		}
	})
}
