package output

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestScanResume(t *testing.T) {
	file := `{"url":"https://a/","error_kind":null}
{"url":"https://b/","error_kind":"timeout"}
{"url":42,"error_kind":null}
{"status":200}
{"url":"https://c/","status":200,"error_kind":null}
{"url":"https://d/","error_kind":nu`
	done, keep, err := ScanResume(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(strings.LastIndexByte(file, '\n') + 1); keep != want {
		t.Errorf("keep = %d, want %d (the torn last line cut off)", keep, want)
	}
	for url, want := range map[string]bool{"https://a/": true, "https://b/": false, "https://c/": true, "https://d/": false, "https://e/": false} {
		if done.Has(url) != want {
			t.Errorf("done(%s) = %v, want %v", url, !want, want)
		}
	}
	if done.Len() != 2 {
		t.Errorf("Len = %d", done.Len())
	}
	// A file that ends with its newline is kept whole; an empty one too.
	if _, keep, _ := ScanResume(strings.NewReader("{\"url\":\"x\",\"error_kind\":null}\n")); keep != 30 {
		t.Errorf("whole file keep = %d", keep)
	}
	if d, keep, _ := ScanResume(strings.NewReader("")); keep != 0 || d.Len() != 0 {
		t.Errorf("empty: %d %d", keep, d.Len())
	}
	// A line longer than the reader's buffer is still one record.
	long := `{"url":"https://long/` + strings.Repeat("x", 600_000) + `","error_kind":null}` + "\n"
	if d, keep, _ := ScanResume(strings.NewReader(long)); keep != int64(len(long)) || d.Len() != 1 {
		t.Errorf("long line: keep %d of %d, %d done", keep, len(long), d.Len())
	}
}

// TestScanResumeTorn: a torn last line that may be the start of a record
// (or holds nothing but white space and NUL bytes) is cut off.
func TestScanResumeTorn(t *testing.T) {
	rec := `{"url":"https://a/","error_kind":null}` + "\n"
	for _, tail := range []string{"", "{", `  {"url":"https://b/","err`, "\x00\x00\x00", "  ", "\r", "{" + strings.Repeat("x", 300_000)} {
		done, keep, err := ScanResume(strings.NewReader(rec + tail))
		if err != nil || keep != int64(len(rec)) || done.Len() != 1 {
			t.Errorf("tail %.20q: keep %d, %v", tail, keep, err)
		}
	}
}

// TestScanResumeNotRecords: a file with a complete line that is not a JSON
// object is not a trawl output: refused, naming the line.
func TestScanResumeNotRecords(t *testing.T) {
	rec := `{"url":"https://a/","error_kind":null}` + "\n"
	long := strings.Repeat("x", 300_000)
	for _, c := range []struct{ file, want string }{
		{rec + "not json at all\n" + rec, `line 2 is not a JSON object: "not json at all"`},
		{"[\n" + rec + "]\n", `line 1 is not a JSON object: "["`},
		{rec + "\n" + rec, `line 2 is blank, not a JSON object`},
		{rec + "  \r\n", `line 2 is blank, not a JSON object`},
		{rec + `{"url":"https://b/"` + "\n", `line 2 is not a JSON object: "{\"url\":\"https://b/\""`},
		{rec + `{"url":"x"} {"url":"y"}` + "\n", `line 2 is not a JSON object: "{\"url\":\"x\"} {\"url\":\"y\"}"`},
		{rec + `"a string"` + "\n", `line 2 is not a JSON object: "\"a string\""`},
		{rec + "null\n", `line 2 is not a JSON object: "null"`},
		{rec + "\x00\x00{}\n", `line 2 is not a JSON object: "\x00\x00{}"`},
		{rec + "\x00\x00\n", `line 2 is not a JSON object: "\x00\x00"`},
		{rec + rec + "https://a.example/list\nhttps://b.example/", `line 3 is not a JSON object: "https://a.example/list"`},
		// A torn last line that cannot start a record is refused too:
		// cutting it would lose bytes trawl did not write.
		{rec + "hello", `line 2 is not a JSON object: "hello"`},
		{"\x1f\x8b\x08\x00", `line 1 is not a JSON object: "\x1f\x8b\b\x00"`},
		// The quote is short, cut at a character.
		{"# " + long + "\n", `line 1 is not a JSON object: "# ` + strings.Repeat("x", 38) + `"...`},
		{strings.Repeat("é", 30) + "\n", `line 1 is not a JSON object: "` + strings.Repeat("é", 20) + `"...`},
	} {
		done, keep, err := ScanResume(strings.NewReader(c.file))
		var nr *NotRecordError
		if !errors.As(err, &nr) || err.Error() != c.want || done != nil || keep != 0 {
			t.Errorf("ScanResume(%.30q) = %v, %d, %v\nwant error %s", c.file, done, keep, err, c.want)
		}
	}
}

// TestScanResumeReadError: a read error is returned as it is.
func TestScanResumeReadError(t *testing.T) {
	disk := errors.New("disk on fire")
	r := io.MultiReader(strings.NewReader(`{"url":"a"}`+"\n"), &errReader{disk})
	if _, _, err := ScanResume(r); !errors.Is(err, disk) {
		t.Errorf("err = %v", err)
	}
}

type errReader struct{ err error }

func (e *errReader) Read([]byte) (int, error) { return 0, e.err }

// FuzzScanResume checks, for any file: no panic; either a *NotRecordError
// or a keep that ends a line, every complete line before it a JSON object,
// and what follows it no complete line.
func FuzzScanResume(f *testing.F) {
	f.Add([]byte(`{"url":"a","error_kind":null}` + "\n" + `{"url":"b"`))
	f.Add([]byte("[\n{}\n]\n"))
	f.Add([]byte("{}\n\n{}\n"))
	f.Fuzz(func(t *testing.T, file []byte) {
		done, keep, err := ScanResume(strings.NewReader(string(file)))
		if err != nil {
			var nr *NotRecordError
			if !errors.As(err, &nr) || nr.Line < 1 || done != nil {
				t.Fatalf("error %v", err)
			}
			return
		}
		if keep < 0 || keep > int64(len(file)) || (keep > 0 && file[keep-1] != '\n') {
			t.Fatalf("keep %d of %d", keep, len(file))
		}
		if strings.Contains(string(file[keep:]), "\n") {
			t.Fatalf("a complete line after keep %d", keep)
		}
		for _, line := range strings.SplitAfter(string(file[:keep]), "\n") {
			if line == "" {
				continue
			}
			var v map[string]any
			if json.Unmarshal([]byte(line), &v) != nil {
				t.Fatalf("kept line %q is not an object", line)
			}
		}
	})
}
