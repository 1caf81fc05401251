package extract

import "testing"

func TestNofollow(t *testing.T) {
	for _, c := range []struct {
		values []string
		want   bool
	}{
		{nil, false},
		{[]string{"noindex"}, false},
		{[]string{"nofollow"}, true},
		{[]string{"NoIndex, NOFOLLOW"}, true},
		{[]string{"none"}, true},
		{[]string{"noindex", "nofollow"}, true},
		{[]string{"googlebot: nofollow"}, false},
		{[]string{"trawl: nofollow"}, true},
		{[]string{"TRAWL: none"}, true},
		{[]string{"unavailable_after: 25 Jun 2010 15:00:00 PST"}, false},
		{[]string{"max-snippet: 20, nofollow"}, true},
		{[]string{"nofollowing"}, false},
	} {
		if got := Nofollow(c.values, "trawl"); got != c.want {
			t.Errorf("Nofollow(%q) = %v, want %v", c.values, got, c.want)
		}
	}
}
