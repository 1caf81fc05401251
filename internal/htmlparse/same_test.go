package htmlparse

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// xnetDir returns the directory of the golang.org/x/net module this package
// builds against, where x/net/html keeps the html5lib tree-construction tests.
func xnetDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "golang.org/x/net").Output()
	if err != nil {
		t.Skipf("go list -m golang.org/x/net: %v", err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		t.Skip("golang.org/x/net has no module directory (vendored?)")
	}
	return dir
}

// datInputs returns the #data sections of an html5lib .dat file.
func datInputs(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var inputs []string
	var cur []string
	in := false
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "#data":
			in, cur = true, cur[:0]
		case in && strings.HasPrefix(line, "#"):
			in = false
			inputs = append(inputs, strings.Join(cur, "\n"))
		case in:
			cur = append(cur, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return inputs
}

// TestSameAsXNetHTML5Lib parses every input of x/net/html's copy of the
// html5lib tree-construction tests (fragment cases too, as documents) with
// both parsers and wants the same tree.
func TestSameAsXNetHTML5Lib(t *testing.T) {
	root := filepath.Join(xnetDir(t), "html", "testdata")
	var files []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".dat") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 50 {
		t.Fatalf("found %d .dat files under %s, want at least 50", len(files), root)
	}
	cases := 0
	for _, path := range files {
		for i, src := range datInputs(t, path) {
			cases++
			got, want, _ := parseBoth(t, []byte(src))
			if got != want {
				t.Errorf("%s #%d %q: trees differ at %s", filepath.Base(path), i, src, firstDiff(got, want))
			}
		}
	}
	if cases < 1000 {
		t.Fatalf("ran %d cases, want at least 1000", cases)
	}
	t.Logf("%d files, %d cases", len(files), cases)
}

// corpus returns the pages of testdata/pages, the repository's HTML fixtures
// and x/net/html's go1.html.
func corpus(t *testing.T) map[string][]byte {
	t.Helper()
	pages := map[string][]byte{}
	var paths []string
	for _, pat := range []string{"testdata/pages/*.html", "../../testdata/*/*.html"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	paths = append(paths, filepath.Join(xnetDir(t), "html", "testdata", "go1.html"))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		pages[p] = b
	}
	return pages
}

// TestSameAsXNetCorpus wants the same tree as html.Parse on every corpus
// page, and on every prefix of the smaller ones, since a page cut short by
// a size limit or a dropped connection leaves elements open.
func TestSameAsXNetCorpus(t *testing.T) {
	pages := corpus(t)
	if len(pages) < 50 {
		t.Fatalf("corpus has %d pages, want at least 50", len(pages))
	}
	for name, src := range pages {
		got, want, depth := parseBoth(t, src)
		if depth >= MaxDepth {
			t.Fatalf("%s: depth %d; the corpus is of pages under the cap", name, depth)
		}
		if got != want {
			t.Errorf("%s: trees differ at %s", name, firstDiff(got, want))
			continue
		}
		if len(src) > 64<<10 {
			continue
		}
		step := max(1, len(src)/200)
		for n := 0; n < len(src); n += step {
			got, want, _ := parseBoth(t, src[:n])
			if got != want {
				t.Errorf("%s cut at %d: trees differ at %s", name, n, firstDiff(got, want))
				break
			}
		}
	}
}
