package cmd

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/klauspost/compress/zstd"

	"github.com/trawl-dev/trawl/internal/site"
)

// TestOutputFormatFromName: the output's extension picks the format and the
// compression; one trawl cannot tell is refused before anything is written.
func TestOutputFormatFromName(t *testing.T) {
	ts := newServer(t, pageHandler)
	dir := t.TempDir()
	list := ts.URL + "/a\n" + ts.URL + "/b\n"
	for _, name := range []string{"out.xml", "out.csv.bz2", "out.txt"} {
		code, _, errOut := run(t, list, "scrape", "-q", "-o", filepath.Join(dir, name))
		if code != 1 || !strings.Contains(errOut, "cannot tell the format of "+name+"; use -f") {
			t.Errorf("%s: exit %d, %q", name, code, errOut)
		}
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s was created", name)
		}
	}
	decompress := map[string]func(io.Reader) (io.Reader, error){
		".gz":  func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
		".zst": func(r io.Reader) (io.Reader, error) { return zstd.NewReader(r) },
	}
	for _, name := range []string{"out.jsonl.gz", "out.json.zst", "out.csv.gz", "out.ndjson.zst"} {
		path := filepath.Join(dir, name)
		if code, _, errOut := run(t, list, "scrape", "-q", "-o", path); code != 0 {
			t.Fatalf("%s: exit %d, %q", name, code, errOut)
		}
		f, _ := os.Open(path)
		zr, err := decompress[filepath.Ext(name)](f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		body, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			t.Fatalf("%s: decompress: %v", name, err)
		}
		switch {
		case strings.Contains(name, ".csv"):
			rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
			if err != nil || len(rows) != 3 || rows[0][0] != "url" {
				t.Errorf("%s: %d rows, %v", name, len(rows), err)
			}
		case strings.Contains(name, ".json."):
			var arr []map[string]any
			if err := json.Unmarshal(body, &arr); err != nil || len(arr) != 2 {
				t.Errorf("%s: %v, %d records", name, err, len(arr))
			}
		default:
			if n := len(records(t, string(body))); n != 2 {
				t.Errorf("%s: %d records", name, n)
			}
		}
	}
}

// TestResumeRefusals: --resume appends only to a trawl output in JSON
// Lines, uncompressed; anything else is exit 1 before any request, and the
// file is untouched.
func TestResumeRefusals(t *testing.T) {
	ts := newServer(t, pageHandler)
	dir := t.TempDir()
	arr := filepath.Join(dir, "out.jsonl")
	const array = "[\n{\"url\":\"https://a.example/\",\"error_kind\":null}\n]\n"
	writeFile(t, arr, array)
	code, _, errOut := run(t, ts.URL+"/a\n", "scrape", "-q", "--resume", "-o", arr)
	if code != 1 || !strings.Contains(errOut, "not a trawl output") || !strings.Contains(errOut, "line 1") {
		t.Errorf("JSON array file: exit %d, %q", code, errOut)
	}
	if got := readFile(t, arr); got != array {
		t.Errorf("the file became %q", got)
	}
	code, _, errOut = run(t, ts.URL+"/a\n", "scrape", "-q", "--resume", "-o", filepath.Join(dir, "out.jsonl.gz"))
	if code != 1 || !strings.Contains(errOut, "--resume") || !strings.Contains(errOut, "compressed") {
		t.Errorf("compressed file: exit %d, %q", code, errOut)
	}
	if n := ts.Hits(); n != 0 {
		t.Errorf("server saw %d requests", n)
	}
}

// TestCSVNamesNeverRepeat: with CSV output a --select NAME that is a record
// column is refused; an input column of such a name is written input.NAME.
func TestCSVNamesNeverRepeat(t *testing.T) {
	ts := newServer(t, pageHandler)
	code, _, errOut := run(t, ts.URL+"/a\n", "scrape", "-q", "-f", "csv", "-s", "title=h1")
	if code != 1 || !strings.Contains(errOut, "--select") || !strings.Contains(errOut, `"title"`) {
		t.Errorf("-s title=h1 with csv: exit %d, %q", code, errOut)
	}
	// In JSON the names cannot clash: allowed.
	if code, _, errOut := run(t, ts.URL+"/a\n", "scrape", "-q", "-s", "title=h1"); code != 0 {
		t.Errorf("-s title=h1 with jsonl: exit %d, %q", code, errOut)
	}
	in := "url,status,note\n" + ts.URL + "/a,active,hi\n"
	code, out, errOut := run(t, in, "scrape", "-q", "--input-format", "csv", "-f", "csv")
	if code != 0 {
		t.Fatalf("exit %d, %q", code, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("%v %q", err, out)
	}
	h := strings.Join(rows[0], ",")
	if !strings.HasSuffix(h, ",error,input.status,note") || strings.Count(h, "status") != 2 {
		t.Errorf("header %s", h)
	}
	if rows[1][len(rows[1])-2] != "active" || rows[1][2] != "200" {
		t.Errorf("row %q", rows[1])
	}
}

// TestHostileBytesValidUTF8: a server that sends invalid UTF-8 and control
// characters in every place gives output that is valid UTF-8 in every
// format, with no C0 control but tab and newline in text values.
func TestHostileBytesValidUTF8(t *testing.T) {
	h := &site.Hostile{}
	ts := newServer(t, func(w http.ResponseWriter, r *http.Request) { h.Serve(w, r, 0) })
	list := ts.URL + "/bytes\n" + ts.URL + "/b\xffad\x01url\n"
	for _, f := range []string{"jsonl", "json", "csv"} {
		code, out, errOut := run(t, list, "scrape", "-q", "-f", f, "-s", "h=h1", "-s", "links[]=a@href", "--max-failures", "5")
		if code != 0 {
			t.Fatalf("%s: exit %d, %q", f, code, errOut)
		}
		if !utf8.ValidString(out) {
			t.Errorf("%s: output is not valid UTF-8: %q", f, out)
		}
		var texts []string
		switch f {
		case "csv":
			rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if err != nil || len(rows) != 3 {
				t.Fatalf("csv: %v %q", err, out)
			}
			for _, row := range rows[1:] {
				texts = append(texts, row[4], row[5], row[12])
			}
		default:
			var recs []map[string]any
			if f == "json" {
				json.Unmarshal([]byte(out), &recs)
			} else {
				recs = records(t, out)
			}
			if len(recs) != 2 {
				t.Fatalf("%s: %d records", f, len(recs))
			}
			for _, r := range recs {
				for _, k := range []string{"title", "description"} {
					if s, ok := r[k].(string); ok {
						texts = append(texts, s)
					}
				}
				if fl, ok := r["fields"].(map[string]any); ok {
					if s, ok := fl["h"].(string); ok {
						texts = append(texts, s)
					}
				}
				if ct, ok := r["content_type"].(string); ok && !utf8.ValidString(ct) {
					t.Errorf("%s: content_type %q", f, ct)
				}
			}
		}
		if len(texts) == 0 || !strings.Contains(strings.Join(texts, "|"), "title") {
			t.Fatalf("%s: no title came through: %q", f, texts)
		}
		for _, s := range texts {
			if strings.ContainsFunc(s, func(r rune) bool { return r < ' ' && r != '\t' && r != '\n' || r == 0x7f }) {
				t.Errorf("%s: text value with a control character: %q", f, s)
			}
		}
	}
}
