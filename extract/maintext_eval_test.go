package extract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// evalPage is one page of an evaluation set: segments that must appear in
// the extracted text and segments that must not.
type evalPage struct {
	URL     string   `json:"url"`
	File    string   `json:"file,omitempty"`
	Source  string   `json:"source,omitempty"`
	With    []string `json:"with"`
	Without []string `json:"without"`
}

// evalScore counts segments as trafilatura's evaluation does: a must
// segment found is a true positive, missing a false negative; a must-not
// segment found is a false positive, missing a true negative.
type evalScore struct{ tp, fn, fp, tn int }

func (s *evalScore) add(p evalPage, text string) (missed, leaked []string) {
	for _, w := range p.With {
		if text != "" && strings.Contains(text, w) {
			s.tp++
		} else {
			s.fn++
			missed = append(missed, w)
		}
	}
	for _, w := range p.Without {
		if text != "" && strings.Contains(text, w) {
			s.fp++
			leaked = append(leaked, w)
		} else {
			s.tn++
		}
	}
	return missed, leaked
}

func (s evalScore) precision() float64 { return float64(s.tp) / float64(s.tp+s.fp) }
func (s evalScore) recall() float64    { return float64(s.tp) / float64(s.tp+s.fn) }
func (s evalScore) f1() float64        { return 2 * float64(s.tp) / float64(2*s.tp+s.fp+s.fn) }

func (s evalScore) String() string {
	return fmt.Sprintf("P=%.3f R=%.3f F1=%.3f (tp %d fn %d fp %d tn %d)",
		s.precision(), s.recall(), s.f1(), s.tp, s.fn, s.fp, s.tn)
}

// mainText is the text extractor's output as a Go string.
func mainText(body []byte, pageURL string) string {
	root, _ := html.Parse(bytes.NewReader(body))
	u, _ := url.Parse(pageURL)
	var s string
	json.Unmarshal(mainContent(root, u).appendText(nil), &s)
	return s
}

// TestMainTextExternal scores the text extractor on an evaluation set kept
// outside the repository (third-party pages that cannot be redistributed):
// MAINTEXT_EVAL names a directory with eval.json ([{url, file, with,
// without}]) and the UTF-8 pages; MAINTEXT_DUMP, when set, receives each
// page's text. extract/MAINTEXT.md gives the numbers.
func TestMainTextExternal(t *testing.T) {
	dir := os.Getenv("MAINTEXT_EVAL")
	if dir == "" {
		t.Skip("MAINTEXT_EVAL not set")
	}
	b, err := os.ReadFile(filepath.Join(dir, "eval.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pages []evalPage
	if err := json.Unmarshal(b, &pages); err != nil {
		t.Fatal(err)
	}
	dump := os.Getenv("MAINTEXT_DUMP")
	var sc evalScore
	var spent time.Duration
	var size int
	var alloc uint64
	n := 0
	for _, p := range pages {
		body, err := os.ReadFile(filepath.Join(dir, p.File))
		if err != nil {
			continue
		}
		n++
		root, _ := html.Parse(bytes.NewReader(body))
		u, _ := url.Parse(p.URL)
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		start := cpuTime()
		out := mainContent(root, u).appendText(nil)
		spent += cpuTime() - start
		runtime.ReadMemStats(&m1)
		alloc += m1.TotalAlloc - m0.TotalAlloc
		size += len(body)
		var text string
		json.Unmarshal(out, &text)
		missed, leaked := sc.add(p, text)
		if dump != "" {
			os.MkdirAll(dump, 0o755)
			note := fmt.Sprintf("MISSED %q\nLEAKED %q\n\n", missed, leaked)
			os.WriteFile(filepath.Join(dump, p.File+".txt"), []byte(note+text), 0o644)
		}
	}
	t.Logf("%d pages: %v; CPU %.2f ms/page, %.1f ms/MiB; allocated %.2f MiB/page", n, sc,
		float64(spent.Microseconds())/1000/float64(n), float64(spent.Microseconds())/1000/(float64(size)/(1<<20)),
		float64(alloc)/(1<<20)/float64(n))
}
