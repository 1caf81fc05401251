package input

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestHostHash pins the hash: these values must never change, or machines
// running different versions of trawl would split a list differently.
func TestHostHash(t *testing.T) {
	for _, tc := range []struct {
		host  string
		hash  uint64
		shard int // of 3
	}{
		{"a", 0xaf63dc4c8601ec8c, 2}, // FNV-1a 64's published test vector
		{"example.com", 6298361471204529350, 3},
		{"trawl.dev", 13450323734162765856, 1},
		{"news.ycombinator.com", 7592444387941270414, 2},
		{"::1", 11892171635372837804, 3},
	} {
		if got := HostHash(tc.host); got != tc.hash {
			t.Errorf("HostHash(%q) = %d, want %d", tc.host, got, tc.hash)
		}
		u := &url.URL{Scheme: "https", Host: tc.host, Path: "/x"}
		if strings.Contains(tc.host, ":") {
			u.Host = "[" + tc.host + "]:8443"
		}
		for k := 1; k <= 3; k++ {
			if got, want := (Shard{k, 3}).Keep(u), k == tc.shard; got != want {
				t.Errorf("Shard{%d, 3}.Keep(%v) = %v, want %v", k, u, got, want)
			}
		}
	}
}

func TestHostHashNormalises(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"Example.COM:8080", "example.com"},
		{"EXAMPLE.com", "example.com"},
		{"[::1]:80", "::1"},
		{"[::1]", "::1"},
		{"[2001:DB8::1]", "2001:db8::1"},
		{"127.0.0.1:9", "127.0.0.1"},
	} {
		if HostHash(tc.a) != HostHash(tc.b) {
			t.Errorf("HostHash(%q) != HostHash(%q)", tc.a, tc.b)
		}
	}
	for _, raw := range []string{"http://Example.COM:8080/a", "https://example.com/b?c", "https://user@EXAMPLE.com:443/"} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if !(Shard{3, 3}).Keep(u) || (Shard{1, 3}).Keep(u) || (Shard{2, 3}).Keep(u) {
			t.Errorf("%s is not in shard 3/3 alone, as example.com is", raw)
		}
	}
}

// TestShardSplit: over N = 3 shards, ~300 URLs on 60 hosts are split
// without overlap or gap, each host whole in one shard.
func TestShardSplit(t *testing.T) {
	var urls []*url.URL
	for h := 0; h < 60; h++ {
		for i := 0; i < 5; i++ {
			host := fmt.Sprintf("host%d.example", h)
			switch i {
			case 1:
				host = strings.ToUpper(host)
			case 2:
				host += ":8080"
			}
			urls = append(urls, Parse(fmt.Sprintf("https://%s/page/%d", host, i)).URL)
		}
	}
	urls = append(urls, Parse("http://[::1]:8080/").URL, Parse("http://127.0.0.1/").URL)
	shards := []Shard{{1, 3}, {2, 3}, {3, 3}}
	hostShard := map[string]int{}
	sizes := make([]int, 3)
	for _, u := range urls {
		in := -1
		for k, s := range shards {
			if !s.Keep(u) {
				continue
			}
			if in >= 0 {
				t.Fatalf("%v is in shards %d and %d", u, in+1, k+1)
			}
			in = k
		}
		if in < 0 {
			t.Fatalf("%v is in no shard", u)
		}
		sizes[in]++
		host := strings.ToLower(u.Hostname())
		if k, ok := hostShard[host]; ok && k != in {
			t.Fatalf("host %s is in shards %d and %d", host, k+1, in+1)
		}
		hostShard[host] = in
	}
	if len(hostShard) != 62 {
		t.Errorf("%d hosts, want 62", len(hostShard))
	}
	for k, n := range sizes {
		if n < 50 {
			t.Errorf("shard %d/3 has %d of %d URLs: %v", k+1, n, len(urls), sizes)
		}
	}
}

func TestShardKeepSpecialCases(t *testing.T) {
	u := Parse("https://example.com/").URL
	if !(Shard{}).Keep(u) || !(Shard{}).Keep(nil) {
		t.Error("the zero Shard does not keep everything")
	}
	if !(Shard{1, 1}).Keep(u) {
		t.Error("1/1 does not keep everything")
	}
	if !(Shard{1, 3}).Keep(nil) || (Shard{2, 3}).Keep(nil) || (Shard{3, 3}).Keep(nil) {
		t.Error("an item without URL is not kept by shard 1 alone")
	}
}

func TestParseShard(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Shard
		err  string
	}{
		{"1/3", Shard{1, 3}, ""},
		{"3/3", Shard{3, 3}, ""},
		{"1/1", Shard{1, 1}, ""},
		{"07/10", Shard{7, 10}, ""},
		{"0/3", Shard{}, `shard "0/3": K must be from 1 to N`},
		{"4/3", Shard{}, `shard "4/3": K must be from 1 to N`},
		{"1/0", Shard{}, `shard "1/0": N must be at least 1`},
		{"0/0", Shard{}, `shard "0/0": N must be at least 1`},
		{"", Shard{}, `shard "": want K/N, such as 1/3`},
		{"3", Shard{}, `shard "3": want K/N, such as 1/3`},
		{"-1/3", Shard{}, `shard "-1/3": K must be a whole number`},
		{"+1/3", Shard{}, `shard "+1/3": K must be a whole number`},
		{"1/3/5", Shard{}, `shard "1/3/5": N must be a whole number`},
		{" 1/3", Shard{}, `shard " 1/3": K must be a whole number`},
		{"1/", Shard{}, `shard "1/": N must be a whole number`},
		{"1/99999999999999999999", Shard{}, `shard "1/99999999999999999999": N is too large`},
	} {
		got, err := ParseShard(tc.in)
		if tc.err == "" {
			if err != nil || got != tc.want {
				t.Errorf("ParseShard(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
			continue
		}
		if err == nil || err.Error() != tc.err || got != (Shard{}) {
			t.Errorf("ParseShard(%q) = %v, %v; want error %q", tc.in, got, err, tc.err)
		}
	}
}

func TestShardString(t *testing.T) {
	if s := (Shard{2, 5}).String(); s != "2/5" {
		t.Errorf("Shard{2, 5}.String() = %q", s)
	}
	if s := (Shard{}).String(); s != "" {
		t.Errorf("Shard{}.String() = %q", s)
	}
}

// FuzzParseShard: no panic; a shard that parses has 1 ≤ K ≤ N, prints back
// to a string that parses to it, and with every K of its N the URLs of a
// host are in exactly one shard; an error names the value.
func FuzzParseShard(f *testing.F) {
	for _, s := range []string{"1/3", "3/3", "0/3", "1/0", "12/7", "/", "1/99999999999999999999", "٣/٣"} {
		f.Add(s)
	}
	u := Parse("https://Example.COM:8080/").URL
	f.Fuzz(func(t *testing.T, s string) {
		sh, err := ParseShard(s)
		if err != nil {
			if sh != (Shard{}) || !strings.HasPrefix(err.Error(), fmt.Sprintf("shard %q: ", s)) {
				t.Fatalf("ParseShard(%q) = %v, %v", s, sh, err)
			}
			return
		}
		if sh.K < 1 || sh.K > sh.N {
			t.Fatalf("ParseShard(%q) = %v", s, sh)
		}
		if again, err := ParseShard(sh.String()); err != nil || again != sh {
			t.Fatalf("%v prints as %q, which parses to %v, %v", sh, sh.String(), again, err)
		}
		if sh.N > 1000 {
			return
		}
		kept := 0
		for k := 1; k <= sh.N; k++ {
			if (Shard{k, sh.N}).Keep(u) {
				kept++
			}
		}
		if kept != 1 {
			t.Fatalf("%s is in %d of %d shards", u, kept, sh.N)
		}
	})
}
