package extract

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestAppendJSONString(t *testing.T) {
	for in, want := range map[string]string{
		"":                  `""`,
		"plain":             `"plain"`,
		`a"b\c`:             `"a\"b\\c"`,
		"<a href='x'>&amp;": `"<a href='x'>&amp;"`,
		"tab\tnl\ncr\r":     `"tab\tnl\ncr"`,
		"\x00\x01\x1f\x7f":  "\"\x7f\"",
		"\b\f":              `""`,
		"é ü 中 🙂":           `"é ü 中 🙂"`,
		"bad\xffbyte\xc3":   "\"bad\uFFFDbyte\uFFFD\"",
		"\u2028\u2029":      `"\u2028\u2029"`,
		"\ufffd":            "\"\ufffd\"",
	} {
		if got := string(appendJSONString(nil, in)); got != want {
			t.Errorf("appendJSONString(%q) = %s, want %s", in, got, want)
		}
	}
	if got := string(appendJSONString([]byte("x:"), "y")); got != `x:"y"` {
		t.Errorf("append to a prefix: %s", got)
	}
	if got := string(appendJSONStringOrNull(nil, "v", false)); got != "null" {
		t.Errorf("null: %s", got)
	}
}

// stripC0 removes the C0 controls the output rules drop.
func stripC0(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' {
			return -1
		}
		return r
	}, s)
}

// encodingJSON is the reference: encoding/json without HTML escaping.
func encodingJSON(t *testing.T, s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// FuzzAppendJSONString holds the encoder to encoding/json's escaping on
// the string with its C0 controls (but tab and newline) removed.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "a\"b", "\x00\t\n\r", "\xff\xfe", "\u2028<>&", "é\xe2\x82"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := string(appendJSONString(nil, s))
		if want := encodingJSON(t, stripC0(s)); got != want {
			t.Fatalf("appendJSONString(%q) = %s, encoding/json %s", s, got, want)
		}
	})
}
