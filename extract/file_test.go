package extract

import (
	"slices"
	"strings"
	"testing"
)

func TestParseRulesFile(t *testing.T) {
	yamlDoc := "# product rules\nprice: .price\nlinks[]: a@href\ntitle2: 'h1, h2'\n"
	got, err := ParseRulesFile([]byte(yamlDoc))
	if err != nil || !slices.Equal(got, []string{"price=.price", "links[]=a@href", "title2=h1, h2"}) {
		t.Fatalf("yaml: %q, %v", got, err)
	}
	got, err = ParseRulesFile([]byte(`{"b": "p", "a[]": "img@src"}`))
	if err != nil || !slices.Equal(got, []string{"b=p", "a[]=img@src"}) {
		t.Fatalf("json: %q, %v", got, err)
	}
	for doc, want := range map[string]string{
		"- a\n- b\n":     "want a mapping",
		"a: [1, 2]\n":    "as strings",
		"a: b\n  c: d\n": "yaml",
		"{\"a\": \"b\"":  "yaml",
	} {
		if _, err := ParseRulesFile([]byte(doc)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", doc, err, want)
		}
	}
}

func TestMergeFlagsLast(t *testing.T) {
	got, err := Merge([]string{"a=p", "b[]=li", "c=h1"}, []string{"d=h2", "b=.new"})
	if err != nil || !slices.Equal(got, []string{"a=p", "b=.new", "c=h1", "d=h2"}) {
		t.Fatalf("Merge = %q, %v", got, err)
	}
	if _, err := Compile(got); err != nil {
		t.Fatal(err)
	}
}
