package input

import (
	"fmt"
	"hash/fnv"
	"net/url"
	"strconv"
	"strings"
)

// Shard is one part of a URL list split by host over N machines (--shard
// K/N): the URLs whose host hashes to K-1 modulo N. The zero Shard is no
// split: it keeps everything.
//
// This is SPEC.md's rule, and it depends only on the host name, never on the
// machine, the process, the Go version or trawl's: N runs of trawl with the
// same N and K from 1 to N split a list without overlap or gap, and every
// URL of one host lands in one run, so per-host politeness limits hold.
type Shard struct{ K, N int }

// ParseShard parses "K/N", two decimal numbers with 1 ≤ K ≤ N.
func ParseShard(s string) (Shard, error) {
	ks, ns, ok := strings.Cut(s, "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: want K/N, such as 1/3", s)
	}
	k, err := shardNumber(ks)
	if err != nil {
		return Shard{}, fmt.Errorf("shard %q: K %w", s, err)
	}
	n, err := shardNumber(ns)
	if err != nil {
		return Shard{}, fmt.Errorf("shard %q: N %w", s, err)
	}
	if n < 1 {
		return Shard{}, fmt.Errorf("shard %q: N must be at least 1", s)
	}
	if k < 1 || k > n {
		return Shard{}, fmt.Errorf("shard %q: K must be from 1 to N", s)
	}
	return Shard{K: k, N: n}, nil
}

// shardNumber parses digits only: no sign, no space, no 0x.
func shardNumber(s string) (int, error) {
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, fmt.Errorf("must be a whole number")
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("is too large")
	}
	return n, nil
}

// String returns s as "K/N", the form ParseShard reads; "" for the zero
// Shard.
func (s Shard) String() string {
	if s.N == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.K, s.N)
}

// HostHash is the hash that SPEC.md's --shard rule takes modulo N: FNV-1a
// 64-bit of the lower-cased host name without port, and for an IPv6 literal
// without its brackets. host may be a host name or IP address, with or
// without a port ("Example.COM:8080", "[::1]:80" and "::1" all work). It is
// fixed: the same on every machine and in every version of trawl.
func HostHash(host string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(strings.ToLower(hostName(host))))
	return h.Sum64()
}

// hostName strips the port and the brackets of an IPv6 literal. A host
// with more than one colon and no brackets is a bare IPv6 address.
func hostName(host string) string {
	if strings.HasPrefix(host, "[") {
		if i := strings.IndexByte(host, ']'); i > 0 {
			return host[1:i]
		}
		return host[1:]
	}
	if i := strings.IndexByte(host, ':'); i >= 0 && strings.IndexByte(host[i+1:], ':') < 0 {
		return host[:i]
	}
	return host
}

// Keep reports whether u belongs to shard s: HostHash(u.Hostname()) modulo N
// is K-1. The zero Shard keeps every URL. A nil u (an invalid input line) is
// kept by shard 1 only, so that over the N shards every line still has
// exactly one record.
func (s Shard) Keep(u *url.URL) bool {
	if s.N == 0 {
		return true
	}
	if u == nil {
		return s.K == 1
	}
	return HostHash(u.Hostname())%uint64(s.N) == uint64(s.K-1)
}
