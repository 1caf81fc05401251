package output

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// validRunes is the reference for invalid UTF-8: U+FFFD for each invalid
// byte, as a []rune conversion makes it.
func validRunes(s string) string { return string([]rune(s)) }

// noControls is the reference for text: C0 controls but tab and newline
// dropped.
func noControls(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' {
			return -1
		}
		return r
	}, s)
}

func TestCleanText(t *testing.T) {
	for _, c := range []struct{ in, text, utf8 string }{
		{"", "", ""},
		{"plain ascii, $1.00", "plain ascii, $1.00", "plain ascii, $1.00"},
		{"tab\tnew\nline", "tab\tnew\nline", "tab\tnew\nline"},
		{"cr\r\nlf", "cr\nlf", "cr\r\nlf"},
		{"nul\x00bell\x07esc\x1b[31mred\x7f", "nulbellesc[31mred\x7f", "nul\x00bell\x07esc\x1b[31mred\x7f"},
		{"café ☕", "café ☕", "café ☕"},
		{"bad\xffbyte", "bad\uFFFDbyte", "bad\uFFFDbyte"},
		{"\xff\xfe", "\uFFFD\uFFFD", "\uFFFD\uFFFD"},
		{"cut\xc3", "cut\uFFFD", "cut\uFFFD"},
		{"surrogate\xed\xa0\x80", "surrogate\uFFFD\uFFFD\uFFFD", "surrogate\uFFFD\uFFFD\uFFFD"},
		{"\x01\xff\x02é\x03", "\uFFFDé", "\x01\uFFFD\x02é\x03"},
	} {
		if got := cleanText(c.in); got != c.text {
			t.Errorf("cleanText(%q) = %q, want %q", c.in, got, c.text)
		}
		if got := cleanUTF8(c.in); got != c.utf8 {
			t.Errorf("cleanUTF8(%q) = %q, want %q", c.in, got, c.utf8)
		}
		var back string
		if err := json.Unmarshal(appendText(nil, c.in), &back); err != nil || back != c.text {
			t.Errorf("appendText(%q) = %s, decodes to %q (%v), want %q", c.in, appendText(nil, c.in), back, err, c.text)
		}
		if err := json.Unmarshal(appendString(nil, c.in), &back); err != nil || back != c.utf8 {
			t.Errorf("appendString(%q) = %s, decodes to %q (%v), want %q", c.in, appendString(nil, c.in), back, err, c.utf8)
		}
	}
}

// TestCleanTextNoCopy: clean text is returned as it is, with no allocation.
func TestCleanTextNoCopy(t *testing.T) {
	for _, s := range []string{"https://example.com/a?b=c", "Café \"quotes\"\n\tü"} {
		if n := testing.AllocsPerRun(100, func() { cleanText(s); cleanUTF8(s) }); n != 0 {
			t.Errorf("cleaning %q allocates %v times", s, n)
		}
	}
}

func TestAppendCleanJSON(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`[{"@type":"Thing"}]`, `[{"@type":"Thing"}]`},
		{`"Hello\nworld\ttab"`, `"Hello\nworld\ttab"`},
		{`"a\u0000b\u001Fc\u0009d\u000ae\r\b\ff"`, `"abc\u0009d\u000aef"`},
		{`"q\"uote\\ back\/slash \u00e9 \u2028"`, `"q\"uote\\ back\/slash \u00e9 \u2028"`},
		{"\"bad\xff\xfe\"", "\"bad\uFFFD\uFFFD\""},
		{"\"raw\x00ctl\x1b\ttab\nnl\"", `"rawctl\ttab\nnl"`},
		{"\"line\u2028sep\"", `"line\u2028sep"`},
		{"{\n  \"a\": [1, 2],\r\n\t\"b c\": \"d e\"\n}", `{"a":[1,2],"b c":"d e"}`},
		{`{"k\u0001ey":"v"}`, `{"key":"v"}`},
		{`null`, `null`},
	} {
		got := string(appendCleanJSON(nil, []byte(c.in)))
		if got != c.want {
			t.Errorf("appendCleanJSON(%q) = %s, want %s", c.in, got, c.want)
		}
		if !json.Valid([]byte(got)) || !utf8.ValidString(got) {
			t.Errorf("appendCleanJSON(%q) = %q is not valid JSON in UTF-8", c.in, got)
		}
	}
}

// FuzzCleanText checks the cleaners against their references, and that
// JSON text decodes to what CSV writes.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"", "plain", "a\x00b\r\nc\td", "bad\xff\xc3", "é\u2028\x1f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		text, valid := noControls(validRunes(s)), validRunes(s)
		if got := cleanText(s); got != text {
			t.Fatalf("cleanText(%q) = %q, want %q", s, got, text)
		}
		if got := cleanUTF8(s); got != valid {
			t.Fatalf("cleanUTF8(%q) = %q, want %q", s, got, valid)
		}
		var back string
		if err := json.Unmarshal(appendText(nil, s), &back); err != nil || back != text {
			t.Fatalf("appendText(%q) decodes to %q, %v", s, back, err)
		}
		if err := json.Unmarshal(appendString(nil, s), &back); err != nil || back != valid {
			t.Fatalf("appendString(%q) decodes to %q, %v", s, back, err)
		}
		// An extractor's JSON string, cleaned, decodes to the clean text.
		raw, _ := json.Marshal(s)
		if err := json.Unmarshal(appendCleanJSON(nil, raw), &back); err != nil || back != noControls(back) || !utf8.ValidString(back) {
			t.Fatalf("appendCleanJSON(%s) decodes to %q, %v", raw, back, err)
		}
	})
}

func BenchmarkCleanText(b *testing.B) {
	cells := []string{"https://example.com/some/path?query=1&x=2", "Café \"quotes\" <b>", "line1\nline2\ttab", "HTTP 404 Not Found"}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range cells {
			cleanText(c)
		}
	}
}

// TestWordAtATime: the eight-byte checks agree with the byte tables for
// every byte in every position.
func TestWordAtATime(t *testing.T) {
	for c := 0; c < 256; c++ {
		for p := 0; p < 8; p++ {
			w := []byte("aaaaaaaa")
			w[p] = byte(c)
			s := string(w)
			wantSafe := c < utf8.RuneSelf && safeJSON[c]
			if got := jsonSafe8(load64(s, 0)); got != wantSafe {
				t.Errorf("jsonSafe8 of byte %#x at %d = %v", c, p, got)
			}
			wantText := p + 1
			if c < utf8.RuneSelf && !textControl(byte(c)) {
				wantText = 9
			}
			if got := dirtyAt(s+"b", true) + 1; (got <= 8) != (wantText <= 8) {
				t.Errorf("dirtyAt(text) of byte %#x at %d = %d", c, p, got-1)
			}
		}
	}
}
