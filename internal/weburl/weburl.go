// Package weburl parses, resolves and normalizes http and https URLs the way
// the WHATWG URL standard (https://url.spec.whatwg.org/) does, which is how a
// browser reads a link, and hands them back as *url.URL values that net/url
// and net/http serialize and send unchanged.
//
// net/url follows RFC 3986 and is not what a browser does: it keeps a raw
// space or backslash in a path, does not lower-case or IDNA-encode hosts,
// reads "http:host/p" as an opaque URL, and knows nothing of IPv4 forms such
// as "0x7f.1". Parse and Resolve implement the standard's basic URL parser
// for the two special schemes a scraper fetches.
//
// # The serialization
//
// The String method of a returned URL is the standard's serialization, so
// that url.Parse reads it back to the same string and net/http sends it in
// the request line as it is, with these deliberate deviations, each where
// net/url cannot represent the standard's form:
//
//   - a path keeps '^' and '|' raw in the standard; here they are %5E and
//     %7C (url.URL.EscapedPath would escape them anyway);
//   - a fragment keeps '#', '\', '^', '{', '|' and '}' raw in the standard;
//     here they are percent-encoded, and an empty fragment ("#" at the end)
//     is dropped, as url.URL has no way to say "empty but present";
//   - a '%' not followed by two hex digits stays raw in the standard; here
//     it is %25 in the path and the fragment (url.Parse refuses it there); it
//     stays raw in the query, which net/url keeps as it is;
//   - user info is written as url.Userinfo writes it (its percent-encoding
//     differs from the standard's for "!'()*" and the like, and escapes are
//     normalized);
//   - a host with '`', '{' or '}' is refused: the standard allows them in a
//     domain, url.Parse and net/http do not.
//
// The rest of the query, the path and the host are exactly the standard's:
// characters outside its percent-encode sets are encoded (a space is %20,
// non-ASCII is UTF-8 percent-encoded), existing escapes are kept as they
// are, dot segments are removed, an empty path is "/", the host is
// lower-cased and IDNA-encoded (UTS #46, non-transitional, as the standard
// sets it up), an IPv4 address in any of its forms is dotted decimal, an
// IPv6 address is compressed, and the scheme's default port is dropped.
// Invalid UTF-8 in the input is read as U+FFFD, as a decoder would.
package weburl

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrScheme matches, through errors.Is, the error of a URL whose scheme is
// not http or https (mailto:, javascript:, data:, ftp:...): a well-formed URL
// that trawl does not fetch.
var ErrScheme = errors.New("not http or https")

// Error is the error of every URL the package refuses. Its message is short
// and names the part that is wrong, e.g. `port "99999": out of range`.
type Error struct {
	// Part is "scheme", "host", "port" or "url".
	Part string
	// Value is the offending text, "" when there is none.
	Value string
	// Reason says what is wrong with it.
	Reason string
}

func (e *Error) Error() string {
	if e.Value == "" {
		return e.Part + ": " + e.Reason
	}
	v := e.Value
	if len(v) > 64 {
		v = v[:64] + "..."
	}
	return fmt.Sprintf("%s %q: %s", e.Part, v, e.Reason)
}

// Is reports whether target is ErrScheme and e is a scheme error.
func (e *Error) Is(target error) bool {
	return target == ErrScheme && e.Part == "scheme"
}

func errorf(part, value, reason string) error {
	return &Error{Part: part, Value: value, Reason: reason}
}

// Parse parses an absolute http or https URL as a browser's address bar
// would, with no base. See the package documentation for the serialization
// of the result.
func Parse(s string) (*url.URL, error) {
	r, err := parse(s, nil)
	if err != nil {
		return nil, err
	}
	return r.url(), nil
}

// Resolve parses ref, a link's href, against base as the standard's parser
// does with a base URL: a relative reference ("a", "../a", "?q", "#f", ""),
// a scheme-relative one ("//host/p") or an absolute URL. base must be an
// absolute http(s) URL; it is read again through Parse, so a base that came
// from net/url (a response's final URL) is normalized first. A result whose
// scheme is not http or https is an error that matches ErrScheme.
func Resolve(base *url.URL, ref string) (*url.URL, error) {
	if base == nil {
		return nil, errorf("url", "", "no base")
	}
	b, err := parse(base.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("base: %w", err)
	}
	r, err := parse(ref, b)
	if err != nil {
		return nil, err
	}
	return r.url(), nil
}

// Normalize returns the form of u that the crawl's seen set compares: u read
// again through Parse and serialized without its fragment. It is idempotent:
// Normalize of the Parse of a Normalize result is that result. A u that Parse
// refuses is returned as net/url serializes it, without its fragment.
func Normalize(u *url.URL) string {
	r, err := parse(u.String(), nil)
	if err != nil {
		v := *u
		v.Fragment, v.RawFragment = "", ""
		return v.String()
	}
	r.hasFrag, r.frag = false, ""
	return r.url().String()
}

// record is a parsed URL in the standard's terms, every part already
// serialized (percent-encoded) as the standard writes it.
type record struct {
	scheme   string
	username string
	password string
	host     string // serialized; an IPv6 address in brackets
	port     string // "" for none or the default
	path     []string
	query    string
	hasQuery bool
	frag     string
	hasFrag  bool
}

// url converts r to a url.URL whose String is r's serialization.
func (r *record) url() *url.URL {
	u := &url.URL{Scheme: r.scheme, Host: r.host}
	if r.port != "" {
		u.Host += ":" + r.port
	}
	if r.username != "" || r.password != "" {
		name := unescapeLenient(r.username)
		if r.password != "" {
			u.User = url.UserPassword(name, unescapeLenient(r.password))
		} else {
			u.User = url.User(name)
		}
	}
	p := "/" + strings.Join(r.path, "/")
	u.Path = unescapeLenient(p)
	if (&url.URL{Path: u.Path}).EscapedPath() != p {
		u.RawPath = p
	}
	u.RawQuery = r.query
	u.ForceQuery = r.hasQuery && r.query == ""
	if r.hasFrag && r.frag != "" {
		u.Fragment = unescapeLenient(r.frag)
		if (&url.URL{Fragment: u.Fragment}).EscapedFragment() != r.frag {
			u.RawFragment = r.frag
		}
	}
	return u
}

// clean does the standard's preprocessing: leading and trailing C0 controls
// and spaces go, and so does every tab, LF and CR.
func clean(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] <= ' ' {
		i++
	}
	for j > i && s[j-1] <= ' ' {
		j--
	}
	s = s[i:j]
	if !strings.ContainsAny(s, "\t\n\r") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for k := 0; k < len(s); k++ {
		if c := s[k]; c != '\t' && c != '\n' && c != '\r' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// splitScheme returns the lower-cased scheme and what follows its colon,
// when s starts with one (an ASCII letter, then letters, digits, "+-.").
func splitScheme(s string) (scheme, rest string, ok bool) {
	if s == "" || !isAlpha(s[0]) {
		return "", s, false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case isAlpha(c) || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.':
		case c == ':':
			return strings.ToLower(s[:i]), s[i+1:], true
		default:
			return "", s, false
		}
	}
	return "", s, false
}

func isAlpha(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

func isSlash(c byte) bool { return c == '/' || c == '\\' }

// parse is the standard's basic URL parser, for http and https, with an
// optional base (itself a parsed http(s) URL).
func parse(input string, base *record) (*record, error) {
	s := clean(input)
	scheme, rest, ok := splitScheme(s)
	if !ok {
		if base == nil {
			return nil, errorf("url", "", "no scheme")
		}
		// "no scheme state": an http(s) base is never opaque, so on to the
		// relative state.
		return relative(&record{scheme: base.scheme}, s, base)
	}
	if scheme != "http" && scheme != "https" {
		return nil, errorf("scheme", scheme, "not http or https")
	}
	r := &record{scheme: scheme}
	if base != nil && base.scheme == scheme && !strings.HasPrefix(rest, "//") {
		// "special relative or authority state": "http:foo" against an
		// http base is relative.
		return relative(r, rest, base)
	}
	return authority(r, rest)
}

// relative is the relative state: s is resolved against base.
func relative(r *record, s string, base *record) (*record, error) {
	if s != "" && isSlash(s[0]) {
		if len(s) > 1 && isSlash(s[1]) {
			return authority(r, s)
		}
		r.username, r.password, r.host, r.port = base.username, base.password, base.host, base.port
		return pathState(r, s[1:])
	}
	r.username, r.password, r.host, r.port = base.username, base.password, base.host, base.port
	r.path = append([]string(nil), base.path...)
	r.query, r.hasQuery = base.query, base.hasQuery
	switch {
	case s == "":
		return r, nil
	case s[0] == '?':
		return queryState(r, s[1:]), nil
	case s[0] == '#':
		return fragmentState(r, s[1:]), nil
	}
	r.query, r.hasQuery = "", false
	if len(r.path) > 0 {
		r.path = r.path[:len(r.path)-1]
	}
	return pathState(r, s)
}

// authority reads user info, host and port after the scheme's slashes
// (any number of '/' and '\', none included), then the path.
func authority(r *record, s string) (*record, error) {
	s = strings.TrimLeft(s, `/\`)
	end := strings.IndexAny(s, `/\?#`)
	if end < 0 {
		end = len(s)
	}
	auth, rest := s[:end], s[end:]
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		info := auth[:at]
		auth = auth[at+1:]
		if auth == "" {
			return nil, errorf("host", "", "empty")
		}
		name, pass, _ := strings.Cut(info, ":")
		r.username = encode(name, userinfoSet, false)
		r.password = encode(pass, userinfoSet, false)
	}
	hostText, portText, hasPort := splitHostPort(auth)
	if hostText == "" {
		return nil, errorf("host", "", "empty")
	}
	host, err := parseHost(hostText)
	if err != nil {
		return nil, err
	}
	r.host = host
	if hasPort {
		if r.port, err = parsePort(portText, r.scheme); err != nil {
			return nil, err
		}
	}
	if rest != "" && isSlash(rest[0]) {
		rest = rest[1:]
	}
	return pathState(r, rest)
}

// splitHostPort splits at the first ':' outside brackets, as the host state
// does.
func splitHostPort(s string) (host, port string, ok bool) {
	inside := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			inside = true
		case ']':
			inside = false
		case ':':
			if !inside {
				return s[:i], s[i+1:], true
			}
		}
	}
	return s, "", false
}

// parsePort reads the port state's digits; the default port of the scheme
// is no port.
func parsePort(s, scheme string) (string, error) {
	if s == "" {
		return "", nil
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return "", errorf("port", s, "not a number")
		}
		if n = n*10 + int(c-'0'); n > 65535 {
			return "", errorf("port", s, "out of range")
		}
	}
	if scheme == "http" && n == 80 || scheme == "https" && n == 443 {
		return "", nil
	}
	return itoa(n), nil
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [8]byte
	i := len(b)
	for ; n > 0; n /= 10 {
		i--
		b[i] = byte('0' + n%10)
	}
	return string(b[i:])
}

// pathState appends the segments of s (up to '?' or '#') to r's path,
// removing dot segments, then reads the query and fragment.
func pathState(r *record, s string) (*record, error) {
	i := 0
	for {
		j := i
		for j < len(s) && s[j] != '/' && s[j] != '\\' && s[j] != '?' && s[j] != '#' {
			j++
		}
		seg := s[i:j]
		last := j == len(s) || s[j] == '?' || s[j] == '#'
		switch {
		case isDoubleDot(seg):
			if len(r.path) > 0 {
				r.path = r.path[:len(r.path)-1]
			}
			if last {
				r.path = append(r.path, "")
			}
		case isSingleDot(seg):
			if last {
				r.path = append(r.path, "")
			}
		default:
			r.path = append(r.path, encode(seg, pathSet, true))
		}
		if last {
			s = s[j:]
			break
		}
		i = j + 1
	}
	switch {
	case s == "":
		return r, nil
	case s[0] == '?':
		return queryState(r, s[1:]), nil
	default: // '#'
		return fragmentState(r, s[1:]), nil
	}
}

func isSingleDot(s string) bool {
	return s == "." || len(s) == 3 && strings.EqualFold(s, "%2e")
}

func isDoubleDot(s string) bool {
	switch len(s) {
	case 2:
		return s == ".."
	case 4:
		return strings.EqualFold(s, ".%2e") || strings.EqualFold(s, "%2e.")
	case 6:
		return strings.EqualFold(s, "%2e%2e")
	}
	return false
}

func queryState(r *record, s string) *record {
	q, frag, hasFrag := strings.Cut(s, "#")
	r.query, r.hasQuery = encode(q, querySet, false), true
	if hasFrag {
		return fragmentState(r, frag)
	}
	return r
}

func fragmentState(r *record, s string) *record {
	r.frag, r.hasFrag = encode(s, fragmentSet, true), true
	return r
}

// Base is a URL parsed once, to resolve many references against: a page's
// links.
type Base struct{ r *record }

// NewBase parses base for ResolveNormal.
func NewBase(base *url.URL) (*Base, error) {
	if base == nil {
		return nil, errorf("url", "", "no base")
	}
	r, err := parse(base.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("base: %w", err)
	}
	return &Base{r: r}, nil
}

// ResolveNormal resolves ref against b and returns its normalized form, as
// Normalize(Resolve(base, ref)) does, at the cost of one parse of ref.
func (b *Base) ResolveNormal(ref string) (string, error) {
	r, err := parse(ref, b.r)
	if err != nil {
		return "", err
	}
	r.hasFrag, r.frag = false, ""
	return r.url().String(), nil
}
