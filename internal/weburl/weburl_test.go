package weburl

import (
	"bufio"
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct{ in, want string }{
		// Scheme: case-insensitive; missing, single or extra slashes and
		// backslashes read as a browser reads them.
		{"HTTP://EXAMPLE.COM", "http://example.com/"},
		{"HtTpS://Example.com/A", "https://example.com/A"},
		{"http:host/p", "http://host/p"},
		{"https:host/p", "https://host/p"},
		{"http:/host/p", "http://host/p"},
		{"http:///host/p", "http://host/p"},
		{"http:////host/p", "http://host/p"},
		{`http:\\host\p`, "http://host/p"},
		{`https:/\host\p\q`, "https://host/p/q"},
		{"  \x00http://host/p \x1f", "http://host/p"},
		{"ht\ttp://ho\nst/p\r/q", "http://host/p/q"},
		// Host: lower-cased, percent-decoded, IDNA-encoded.
		{"http://Bücher.Example/", "http://xn--bcher-kva.example/"},
		{"http://B%C3%BCcher.example/", "http://xn--bcher-kva.example/"},
		{"http://faß.de/", "http://xn--fa-hia.de/"},
		{"http://例え.テスト/", "http://xn--r8jz45g.xn--zckzah/"},
		{"http://xn--bcher-kva.example/", "http://xn--bcher-kva.example/"},
		{"http://EXAMPLE.com./", "http://example.com./"},
		{"http://a_b.example/", "http://a_b.example/"},
		// IPv4 in every form the standard reads.
		{"http://0x7f.1/", "http://127.0.0.1/"},
		{"http://127.1/", "http://127.0.0.1/"},
		{"http://2130706433/", "http://127.0.0.1/"},
		{"http://0177.0.0.1/", "http://127.0.0.1/"},
		{"http://0x7F000001/", "http://127.0.0.1/"},
		{"http://192.168.1/", "http://192.168.0.1/"},
		{"http://1.2.3.4./", "http://1.2.3.4/"},
		{"http://0/", "http://0.0.0.0/"},
		// IPv6, compressed as the standard serializes it.
		{"http://[2001:DB8:0:0:1:0:0:1]/", "http://[2001:db8::1:0:0:1]/"},
		{"http://[0:0:0:0:0:0:0:1]:8080/", "http://[::1]:8080/"},
		{"http://[::ffff:192.168.0.1]/", "http://[::ffff:c0a8:1]/"},
		{"http://[1:0:0:2:0:0:0:3]/", "http://[1:0:0:2::3]/"},
		{"http://[1:0:0:2:0:0:3:4]/", "http://[1::2:0:0:3:4]/"},
		// Port: default dropped, leading zeros dropped.
		{"http://h:80/", "http://h/"},
		{"https://h:443/", "https://h/"},
		{"http://h:443/", "http://h:443/"},
		{"https://h:80/", "https://h:80/"},
		{"http://h:0080/", "http://h/"},
		{"http://h:65535/", "http://h:65535/"},
		{"http://h:/", "http://h/"},
		// Path: dot segments, percent-encoding.
		{"http://h", "http://h/"},
		{"http://h?q", "http://h/?q"},
		{"http://h#f", "http://h/#f"},
		{"http://h/a/./b/../c", "http://h/a/c"},
		{"http://h/a/%2e/b/%2E%2e/c", "http://h/a/c"},
		{"http://h/../../a", "http://h/a"},
		{"http://h/a b", "http://h/a%20b"},
		{"http://h/é", "http://h/%C3%A9"},
		{"http://h/%7e%C3%A9", "http://h/%7e%C3%A9"},
		{`http://h/"<>{}` + "`", "http://h/%22%3C%3E%7B%7D%60"},
		{"http://h/a;b=c,d!$&'()*+:@~", "http://h/a;b=c,d!$&'()*+:@~"},
		{"http://h/[x]", "http://h/[x]"},
		{"http://h/a^b|c", "http://h/a%5Eb%7Cc"},
		{"http://h/100%", "http://h/100%25"},
		{"http://h/\xff", "http://h/%EF%BF%BD"},
		// Query: the special-query set; '%' kept as it is.
		{"http://h/?a b'c\"d<e>f", "http://h/?a%20b%27c%22d%3Ce%3Ef"},
		{"http://h/?q=é&r=%zz|^{}`", "http://h/?q=%C3%A9&r=%zz|^{}`"},
		{"http://h/?", "http://h/?"},
		{"http://h/?#", "http://h/?"},
		// Fragment: kept apart from the path and query.
		{"http://h/p?q#a b", "http://h/p?q#a%20b"},
		{"http://h/p#?x/y", "http://h/p#?x/y"},
		{"http://h/p#a#b", "http://h/p#a%23b"},
		// User info.
		{"http://user:pa ss@h/", "http://user:pa%20ss@h/"},
		{"http://user:@h/", "http://user@h/"},
		{"http://@h/", "http://h/"},
	}
	for _, tt := range tests {
		u, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := u.String(); got != tt.want {
			t.Errorf("Parse(%q) = %q, want %q", tt.in, got, tt.want)
		}
		checkURL(t, tt.in, u)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "url: no scheme"},
		{"example.com/a", "url: no scheme"},
		{"//example.com/a", "url: no scheme"},
		{"mailto:a@example.com", `scheme "mailto": not http or https`},
		{"javascript:alert(1)", `scheme "javascript": not http or https`},
		{"data:text/html,hi", `scheme "data": not http or https`},
		{"ftp://example.com/", `scheme "ftp": not http or https`},
		{"file:///etc/passwd", `scheme "file": not http or https`},
		{"HTTPX://h/", `scheme "httpx": not http or https`},
		{"http://", "host: empty"},
		{"http:///", "host: empty"},
		{"http://:80/", "host: empty"},
		{"http://u@/", "host: empty"},
		{"http://h:99999/", `port "99999": out of range`},
		{"http://h:65536/", `port "65536": out of range`},
		{"http://h:8x/", `port "8x": not a number`},
		{"http://h:-1/", `port "-1": not a number`},
		{"http://a b/", `host "a b": forbidden character ' '`},
		{"http://a%20b/", `host "a%20b": forbidden character ' '`},
		{"http://a<b/", `host "a<b": forbidden character '<'`},
		{"http://a`b/", "host \"a`b\": forbidden character '`'"},
		{"http://[::1/", `host "[::1": unclosed IPv6 address`},
		{"http://[::1::2]/", `host "[::1::2]": invalid IPv6 address`},
		{"http://1.2.3.256/", `host "1.2.3.256": invalid IPv4 address`},
		{"http://foo.09/", `host "foo.09": invalid IPv4 address`},
		{"http://4294967296/", `host "4294967296": invalid IPv4 address`},
		{"http://xn--a.example/", `host "xn--a.example": invalid international domain name`},
		{"http://\ufdd0.example/", `host "\ufdd0.example": invalid international domain name`},
		{"http://%ff.example/", `host "\xff.example": invalid UTF-8`},
		{"http://%C2%AD/", `host "\u00ad": empty`},
	}
	for _, tt := range tests {
		u, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q) = %q, want error %q", tt.in, u, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("Parse(%q) error = %q, want %q", tt.in, err, tt.want)
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%q) error is a %T, not an *Error", tt.in, err)
		}
		isScheme := strings.HasPrefix(tt.want, "scheme")
		if errors.Is(err, ErrScheme) != isScheme {
			t.Errorf("Parse(%q): errors.Is(err, ErrScheme) = %v", tt.in, !isScheme)
		}
	}
}

func TestErrorClipsLongValues(t *testing.T) {
	_, err := Parse("mailto" + strings.Repeat("x", 500) + ":a")
	if err == nil || len(err.Error()) > 120 {
		t.Errorf("error %q: want a short message", err)
	}
}

func TestResolve(t *testing.T) {
	base := mustParse(t, "https://www.example.com/dir/page.html?x=1#top")
	tests := []struct{ ref, want string }{
		{"other.html", "https://www.example.com/dir/other.html"},
		{"./other.html", "https://www.example.com/dir/other.html"},
		{"../up.html", "https://www.example.com/up.html"},
		{"../../../up.html", "https://www.example.com/up.html"},
		{"/abs", "https://www.example.com/abs"},
		{"//cdn.example.net/x.js", "https://cdn.example.net/x.js"},
		{`\\cdn.example.net\x.js`, "https://cdn.example.net/x.js"},
		{"http://Other.Example:80/a", "http://other.example/a"},
		{"?y=2", "https://www.example.com/dir/page.html?y=2"},
		{"#sec", "https://www.example.com/dir/page.html?x=1#sec"},
		{"", "https://www.example.com/dir/page.html?x=1"},
		{"  a b.html ", "https://www.example.com/dir/a%20b.html"},
		{"https:rel", "https://www.example.com/dir/rel"},
		{"http:rel", "http://rel/"},
		{".", "https://www.example.com/dir/"},
		{"..", "https://www.example.com/"},
		{"?", "https://www.example.com/dir/page.html?"},
	}
	for _, tt := range tests {
		u, err := Resolve(base, tt.ref)
		if err != nil {
			t.Errorf("Resolve(%q): %v", tt.ref, err)
			continue
		}
		if got := u.String(); got != tt.want {
			t.Errorf("Resolve(%q) = %q, want %q", tt.ref, got, tt.want)
		}
		checkURL(t, tt.ref, u)
	}
	for _, ref := range []string{"mailto:a@b.c", "javascript:void(0)", "data:,x", "ftp://h/", "tel:+1", "JavaScript:x"} {
		if u, err := Resolve(base, ref); !errors.Is(err, ErrScheme) {
			t.Errorf("Resolve(%q) = %v, %v; want a scheme error", ref, u, err)
		}
	}
	if _, err := Resolve(base, "http://a b/"); err == nil || errors.Is(err, ErrScheme) {
		t.Errorf("Resolve with a bad host: %v, want a host error", err)
	}
	if _, err := Resolve(nil, "a"); err == nil {
		t.Error("Resolve(nil, ...): no error")
	}
	if _, err := Resolve(&url.URL{Scheme: "ftp", Host: "h", Path: "/"}, "a"); err == nil {
		t.Error("Resolve with an ftp base: no error")
	}
}

// A base from net/url (a response's final URL) is normalized first.
func TestResolveNetURLBase(t *testing.T) {
	base, err := url.Parse("HTTP://Example.COM:80/a b/c?q")
	if err != nil {
		t.Fatal(err)
	}
	u, err := Resolve(base, "d")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := u.String(), "http://example.com/a%20b/d"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HTTP://Example.COM:80", "http://example.com/"},
		{"http://example.com/a#frag", "http://example.com/a"},
		{"http://example.com/a?#", "http://example.com/a?"},
		{"https://example.com:443/./a/../b?c d#e", "https://example.com/b?c%20d"},
		{"http://0x7f.1:8080/", "http://127.0.0.1:8080/"},
	}
	for _, tt := range tests {
		u := mustParse(t, tt.in)
		if got := Normalize(u); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// A URL from net/url is normalized too.
	u, _ := url.Parse("HTTP://Example.COM:80/%7e/x/../y#f")
	if got, want := Normalize(u), "http://example.com/%7e/y"; got != want {
		t.Errorf("Normalize(net/url %q) = %q, want %q", u, got, want)
	}
	// One that Parse refuses comes back as net/url writes it, unfragmented.
	u = &url.URL{Scheme: "ftp", Host: "h", Path: "/x", Fragment: "f"}
	if got, want := Normalize(u), "ftp://h/x"; got != want {
		t.Errorf("Normalize(%q) = %q, want %q", u, got, want)
	}
}

// The serialization is what net/http puts in the request line, unchanged.
func TestRequestLine(t *testing.T) {
	for _, in := range []string{
		"http://h/a b/é?q r=ü&s='t'#frag",
		"http://h/a^b|c/100%/[x]?%zz|{}`",
		"http://h/?",
		"http://h",
	} {
		u := mustParse(t, in)
		req := &http.Request{Method: "GET", URL: u, Header: http.Header{}, Host: u.Host}
		var buf bytes.Buffer
		if err := req.Write(&buf); err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(&buf).ReadString('\n')
		s := Normalize(u)
		target := s[strings.Index(s[len("http://"):], "/")+len("http://"):]
		if want := "GET " + target + " HTTP/1.1\r\n"; line != want {
			t.Errorf("%q: request line %q, want %q", in, line, want)
		}
	}
}

func mustParse(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return u
}

// checkURL checks the invariants of every URL the package returns: an
// http(s) scheme, a host, a serialization of printable ASCII that url.Parse
// reads back to itself, and an idempotent Normalize.
func checkURL(t *testing.T, in string, u *url.URL) {
	t.Helper()
	if u.Scheme != "http" && u.Scheme != "https" {
		t.Errorf("%q: scheme %q", in, u.Scheme)
	}
	if u.Hostname() == "" {
		t.Errorf("%q: empty host in %q", in, u)
	}
	s := u.String()
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			t.Errorf("%q: byte %#x in %q", in, s[i], s)
			break
		}
	}
	v, err := url.Parse(s)
	if err != nil {
		t.Errorf("%q: url.Parse(%q): %v", in, s, err)
	} else if v.String() != s {
		t.Errorf("%q: url.Parse(%q).String() = %q", in, s, v.String())
	}
	n := Normalize(u)
	w, err := Parse(n)
	if err != nil {
		t.Errorf("%q: Parse(Normalize) %q: %v", in, n, err)
	} else if n2 := Normalize(w); n2 != n {
		t.Errorf("%q: Normalize not idempotent: %q then %q", in, n, n2)
	}
	if w, err := Parse(s); err != nil {
		t.Errorf("%q: Parse(%q): %v", in, s, err)
	} else if w.String() != s {
		t.Errorf("%q: Parse(%q) = %q: serialization not stable", in, s, w)
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Parse("https://www.Example.com/dir/a b/../page.html?q=1&r=é#top"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolve(b *testing.B) {
	base, err := Parse("https://www.example.com/dir/page.html?x=1")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Resolve(base, "../other/page.html?y=2"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNormalize(b *testing.B) {
	u, err := Parse("https://www.example.com/dir/page.html?x=1#f")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Normalize(u)
	}
}

// TestResolveNormal: a Base resolves as Resolve then Normalize do.
func TestResolveNormal(t *testing.T) {
	bases := []string{"https://a.example/d/p?q=1#f", "http://B.example:80/x/y/", "http://[::1]:8080/a/../b"}
	refs := []string{"", "c", "../c", "/c d?e f#g", "//h.example/p", "?q", "#f", "HTTP://Z.EXAMPLE", "mailto:x@y",
		"javascript:void(0)", "http:rel/x", "https:rel/x", "\\\\back\\slash", "%zz/ü", "http://[::1", ".."}
	for _, bs := range bases {
		bu, err := Parse(bs)
		if err != nil {
			t.Fatal(err)
		}
		b, err := NewBase(bu)
		if err != nil {
			t.Fatal(err)
		}
		for _, ref := range refs {
			got, gerr := b.ResolveNormal(ref)
			u, werr := Resolve(bu, ref)
			if (gerr == nil) != (werr == nil) {
				t.Errorf("%s + %q: ResolveNormal err %v, Resolve err %v", bs, ref, gerr, werr)
				continue
			}
			if werr == nil && got != Normalize(u) {
				t.Errorf("%s + %q: ResolveNormal %q, Normalize(Resolve) %q", bs, ref, got, Normalize(u))
			}
		}
	}
}
