package frontier

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/trawl-dev/trawl/internal/weburl"
)

// Scope says which links a crawl follows, judged against the seed its chain
// started from (--scope).
type Scope int

const (
	// ScopeHost follows links to the seed's host: the same lower-cased
	// host name, whatever the scheme and port.
	ScopeHost Scope = iota
	// ScopeDomain follows links to the seed's registrable domain by the
	// public suffix list (see InScope).
	ScopeDomain
	// ScopePrefix follows links whose normalized URL starts with the seed's
	// scheme, host, port and path up to its last '/'.
	ScopePrefix
	// ScopeAny follows every link.
	ScopeAny
)

var scopeNames = [...]string{ScopeHost: "host", ScopeDomain: "domain", ScopePrefix: "prefix", ScopeAny: "any"}

// ParseScope reads a --scope value: host, domain, prefix or any.
func ParseScope(s string) (Scope, error) {
	for i, name := range scopeNames {
		if s == name {
			return Scope(i), nil
		}
	}
	return 0, fmt.Errorf("scope %q: want host, domain, prefix or any", s)
}

func (s Scope) String() string {
	if s >= 0 && int(s) < len(scopeNames) {
		return scopeNames[s]
	}
	return fmt.Sprintf("Scope(%d)", int(s))
}

// InScope reports whether u is in scope s of seed (the seed's final URL).
//
// ScopeDomain compares registrable domains (eTLD+1) by the whole public
// suffix list, its private section included, as browsers do for cookies
// and sites: a.github.io and b.github.io are two domains, as are
// x.blogspot.com and y.blogspot.com, while www.bbc.co.uk and news.bbc.co.uk
// are one. A host that has no registrable domain falls back to host
// equality: an IP address, a host that is itself a public suffix (co.uk,
// github.io) and a single-label host such as localhost.
//
// ScopeHost ignores the scheme and the port; ScopePrefix does not. Hosts are
// compared lower-cased and without a final dot, as weburl serializes them
// (IDNA hosts in their xn-- form), so URLs from weburl compare as a browser
// would. User info plays no part in any scope.
func InScope(s Scope, seed, u *url.URL) bool {
	switch s {
	case ScopeHost:
		return hostname(seed) == hostname(u)
	case ScopeDomain:
		a, b := hostname(seed), hostname(u)
		if a == b {
			return true
		}
		da, ok := registrable(a)
		if !ok {
			return false
		}
		db, ok := registrable(b)
		return ok && da == db
	case ScopePrefix:
		p := prefixKey(seed)
		if i := strings.LastIndexByte(p, '/'); i >= 0 {
			p = p[:i+1]
		}
		return strings.HasPrefix(prefixKey(u), p)
	case ScopeAny:
		return true
	}
	return false
}

func hostname(u *url.URL) string {
	return strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
}

// registrable returns host's eTLD+1, and false when it has none.
func registrable(host string) (string, bool) {
	if _, err := netip.ParseAddr(host); err == nil {
		return "", false
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return "", false
	}
	return d, true
}

// prefixKey is u normalized, without user info, query or fragment:
// scheme://host[:port]/path.
func prefixKey(u *url.URL) string {
	v, err := weburl.Parse(weburl.Normalize(u))
	if err != nil {
		v = u
	}
	return v.Scheme + "://" + v.Host + v.EscapedPath()
}
