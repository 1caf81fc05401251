package output

import (
	"strings"
	"testing"
)

func TestScanResume(t *testing.T) {
	file := `{"url":"https://a/","error_kind":null}
{"url":"https://b/","error_kind":"timeout"}
not json at all
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
