package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The tests of SPEC.md's "Trust" section that an in-process run shows: the
// user's files, flag bounds, --stats on every exit, what stderr says.

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSameFileRefused: -o, --stats, --rules and every input FILE must be
// different files, judged by device and inode; nothing is written.
func TestSameFileRefused(t *testing.T) {
	ts := newServer(t, pageHandler)
	dir := t.TempDir()
	list := filepath.Join(dir, "list.txt")
	content := ts.URL + "/a\n"
	rules := filepath.Join(dir, "rules.yaml")
	hard := filepath.Join(dir, "hard.txt")
	soft := filepath.Join(dir, "soft.txt")
	stats := filepath.Join(dir, "stats.json")
	reset := func() {
		writeFile(t, list, content)
		writeFile(t, rules, "h: h1\n")
		os.Remove(hard)
		os.Remove(soft)
		os.Remove(stats)
		if err := os.Link(list, hard); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(list, soft); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	for _, c := range []struct {
		args  []string
		names []string // both files named in the message
	}{
		{[]string{list, "-o", list}, []string{"--output " + list, "input " + list}},
		{[]string{"list.txt", "-o", "./list.txt"}, []string{"--output ./list.txt", "input list.txt"}},
		{[]string{list, "-o", hard}, []string{"--output " + hard}},
		{[]string{soft, "-o", list}, []string{"--output " + list, "input " + soft}},
		{[]string{list, "-o", filepath.Join(dir, "out.jsonl"), "--stats", filepath.Join(dir, "out.jsonl")}, []string{"--stats"}},
		{[]string{list, "--stats", list}, []string{"--stats " + list, "input " + list}},
		{[]string{list, "--rules", rules, "-o", rules}, []string{"--output " + rules, "--rules " + rules}},
		{[]string{list, "-o", stats, "--stats", stats}, []string{"--output " + stats, "--stats " + stats}},
	} {
		reset()
		code, out, errOut := run(t, "", append([]string{"scrape", "-q"}, c.args...)...)
		if code != 1 || out != "" || !strings.Contains(errOut, "are the same file") {
			t.Errorf("%v: exit %d, stderr %q; want 1, same file", c.args, code, errOut)
		}
		for _, n := range c.names {
			if !strings.Contains(errOut, n) {
				t.Errorf("%v: stderr %q does not name %q", c.args, errOut, n)
			}
		}
		if got := readFile(t, list); got != content {
			t.Errorf("%v: the list became %q", c.args, got)
		}
		if got := readFile(t, rules); got != "h: h1\n" {
			t.Errorf("%v: the rules became %q", c.args, got)
		}
		if _, err := os.Stat(stats); err == nil && !strings.Contains(strings.Join(c.args, " "), "-o "+stats) {
			t.Errorf("%v: a stats file was written", c.args)
		}
	}
	if n := ts.Hits(); n != 0 {
		t.Errorf("the server saw %d requests", n)
	}
}

// TestOutputUntouchedOnEarlyFailure: a run that exits 1 before its first
// record leaves an existing -o FILE byte for byte as it was.
func TestOutputUntouchedOnEarlyFailure(t *testing.T) {
	ts := newServer(t, pageHandler)
	dir := t.TempDir()
	out := filepath.Join(dir, "k.jsonl")
	const before = `{"url":"https://kept.example/","error_kind":null}` + "\n"
	badCSV := filepath.Join(dir, "bad.csv")
	writeFile(t, badCSV, "link,name\n"+ts.URL+"/a,x\n")
	list := filepath.Join(dir, "list.txt")
	writeFile(t, list, ts.URL+"/a\n")
	for _, args := range [][]string{
		{"--input-format", "csv", badCSV},
		{dir},
		{"-c", "1000000000", list},
		{"-c", "144115188075855872", list},
		{"--rate", "1e-9/s", list},
		{list, filepath.Join(dir, "missing.txt")},
	} {
		writeFile(t, out, before)
		code, _, errOut := run(t, "", append([]string{"scrape", "-q", "-o", out}, args...)...)
		if code != 1 || strings.Count(errOut, "\n") != 1 || strings.Contains(errOut, "goroutine") {
			t.Errorf("%v: exit %d, stderr %q; want 1 and one line", args, code, errOut)
		}
		if got := readFile(t, out); got != before {
			t.Errorf("%v: -o file is now %q", args, got)
		}
	}
	if n := ts.Hits(); n != 0 {
		t.Errorf("the server saw %d requests", n)
	}
}

// TestFlagBounds: values far out of range are refused at start, naming the
// flag, never a panic or a stack trace.
func TestFlagBounds(t *testing.T) {
	ts := newServer(t, pageHandler)
	for _, c := range []struct {
		args []string
		flag string
	}{
		{[]string{"-c", "10001"}, "--concurrency"},
		{[]string{"-c", "144115188075855872"}, "--concurrency"},
		{[]string{"-c", "99999999999999999999999"}, "concurrency"},
		{[]string{"--per-host", "1000000"}, "--per-host"},
		{[]string{"--burst", "1000000000"}, "--burst"},
		{[]string{"--rate", "1e-9/s"}, "--rate"},
		{[]string{"--host-rate", "1/d"}, "--host-rate"},
		{[]string{"--host-rate", "0.5/h"}, "--host-rate"},
		{[]string{"--max-body", "100GiB"}, "--max-body"},
		{[]string{"--max-body", "1e30"}, "--max-body"},
		{[]string{"-t", "1000h"}, "--timeout"},
		{[]string{"--connect-timeout", "2562047h"}, "--connect-timeout"},
		{[]string{"--max-retry-wait", "8760h"}, "--max-retry-wait"},
		{[]string{"--retries", "1000"}, "--retries"},
		{[]string{"--max-redirects", "100000"}, "--max-redirects"},
	} {
		code, out, errOut := run(t, ts.URL+"/a\n", append([]string{"scrape"}, c.args...)...)
		if code != 1 || out != "" || !strings.Contains(errOut, c.flag) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want 1 naming %s", c.args, code, errOut, c.flag)
		}
	}
	// robots.txt would take --rate 1/h's one token for the hour.
	for _, ok := range [][]string{{"-c", "10000"}, {"--rate", "1/h", "--ignore-robots"}, {"--max-body", "1GiB"}, {"-t", "24h"}} {
		code, _, errOut := run(t, ts.URL+"/a\n", append([]string{"scrape", "-q"}, ok...)...)
		if code != 0 {
			t.Errorf("%v, at the bound: exit %d, %q", ok, code, errOut)
		}
	}
	if n := ts.Hits(); n != 4 {
		t.Errorf("server saw %d requests, want 4 (the runs at the bounds)", n)
	}
}

// TestStatsOnEveryExit: --stats is written on exit 0, 1 (with the message)
// and 2, with SPEC's keys, through a rename (no temporary file is left).
func TestStatsOnEveryExit(t *testing.T) {
	ts := newServer(t, pageHandler)
	dir := t.TempDir()
	list := filepath.Join(dir, "list.txt")
	writeFile(t, list, ts.URL+"/a\n"+ts.URL+"/missing\n")
	out := filepath.Join(dir, "out.jsonl")
	for _, c := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"--max-failures", "1", "-o", out, list}, 0, ""},
		{[]string{list}, 2, ""},
		{[]string{list, filepath.Join(dir, "nope.txt")}, 1, "nope.txt"},
		{[]string{"--input-format", "csv", list}, 1, "csv header"},
	} {
		stats := filepath.Join(dir, "stats.json")
		os.Remove(stats)
		code, _, errOut := run(t, "", append([]string{"scrape", "-q", "--stats", stats}, c.args...)...)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d (%s)", c.args, code, c.code, errOut)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(readFile(t, stats)), &m); err != nil {
			t.Fatalf("%v: stats: %v", c.args, err)
		}
		for _, k := range []string{"urls", "ok", "failed", "by_error_kind", "by_status", "retries", "bytes",
			"elapsed_s", "pages_per_s", "latency_ms", "started_at", "finished_at", "interrupted",
			"exit_code", "error", "max_failures", "version", "inputs", "output"} {
			if _, ok := m[k]; !ok {
				t.Errorf("%v: stats lack %q", c.args, k)
			}
		}
		if m["exit_code"] != float64(c.code) || m["version"] != "test" {
			t.Errorf("%v: exit_code %v version %v", c.args, m["exit_code"], m["version"])
		}
		msg, _ := m["error"].(string)
		if c.err == "" && m["error"] != nil || c.err != "" && !strings.Contains(msg, c.err) {
			t.Errorf("%v: error %v, want %q", c.args, m["error"], c.err)
		}
		if ins := m["inputs"].([]any); len(ins) == 0 || ins[len(ins)-1] == "" {
			t.Errorf("%v: inputs %v", c.args, ins)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".stats.json") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

// TestQuietStillSaysWhy: under -q, exit 1 and exit 2 print one line.
func TestQuietStillSaysWhy(t *testing.T) {
	ts := newServer(t, pageHandler)
	code, _, errOut := run(t, ts.URL+"/missing\n", "scrape", "-q")
	if code != 2 || errOut != "trawl: 1 URLs failed, more than --max-failures 0\n" {
		t.Errorf("exit 2 under -q: %d %q", code, errOut)
	}
	code, _, errOut = run(t, "", "scrape", "-q", "/no/such/list.txt")
	if code != 1 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "/no/such/list.txt") {
		t.Errorf("exit 1 under -q: %d %q", code, errOut)
	}
}

// TestNoURLsSaysSo: a run that read no URL says so on stderr (not under -q).
func TestNoURLsSaysSo(t *testing.T) {
	code, out, errOut := run(t, "# only a comment\n\n", "scrape", "--progress", "never")
	if code != 0 || out != "" || !strings.Contains(errOut, "trawl: the input had no URLs") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, _, errOut := run(t, "\n", "scrape", "-q"); code != 0 || errOut != "" {
		t.Errorf("-q: exit %d, stderr %q", code, errOut)
	}
}

// TestDemoFlags: demo lists exactly the flags that apply to it.
func TestDemoFlags(t *testing.T) {
	_, out, _ := run(t, "", "demo", "--help")
	for _, absent := range []string{"--input-format", "--url-field", "--shard"} {
		if strings.Contains(out, absent) {
			t.Errorf("demo --help lists %s", absent)
		}
	}
	for _, present := range []string{"--pages", "--port", "--serve", "--select", "--max-failures"} {
		if !strings.Contains(out, present) {
			t.Errorf("demo --help does not list %s", present)
		}
	}
	code, _, errOut := run(t, "", "demo", "--input-format", "csv")
	if code != 1 || !strings.Contains(errOut, "unknown flag: --input-format") {
		t.Errorf("demo --input-format: exit %d, %q", code, errOut)
	}
	_, out, _ = run(t, "", "scrape", "--help")
	if !strings.Contains(out, "default 0") || !strings.Contains(out, "--max-failures") {
		t.Errorf("scrape --help does not show --max-failures' default 0:\n%s", out)
	}
}
