package output

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestHistogramQuantilesWithinPrecision(t *testing.T) {
	var h Histogram
	rng := rand.New(rand.NewPCG(1, 2))
	vals := make([]int64, 10000)
	for i := range vals {
		// A long-tailed latency distribution, 1 ms to about 20 s.
		vals[i] = int64(rng.ExpFloat64()*200) + 1
		h.Record(vals[i])
	}
	slices.Sort(vals)
	for _, q := range []float64{0.5, 0.95, 0.99} {
		truth := vals[int(q*float64(len(vals)))-1]
		got := h.Quantile(q)
		if got < truth || float64(got) > float64(truth)*(1+1.0/64)+1 {
			t.Errorf("q%.2f = %d, true value %d: outside 1/64", q, got, truth)
		}
	}
	if h.Max() != vals[len(vals)-1] || h.Quantile(1) != vals[len(vals)-1] {
		t.Errorf("max = %d / q1 = %d, want %d", h.Max(), h.Quantile(1), vals[len(vals)-1])
	}
}

func TestHistogramBuckets(t *testing.T) {
	for _, v := range []int64{0, 1, 127, 128, 129, 255, 256, 1000, 1 << 20, 1<<40 + 12345} {
		i := bucketOf(v)
		if hi := bucketHigh(i); hi < v || (i > 0 && bucketHigh(i-1) >= v) {
			t.Errorf("value %d in bucket %d with high %d (previous high %d)", v, i, hi, bucketHigh(i-1))
		}
	}
}

func TestStatsJSON(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := NewStats(start)
	s.Add(&Record{Status: 200, Attempts: 1, ElapsedMS: 10, Bytes: 100})
	s.Add(&Record{Status: 503, Attempts: 3, ElapsedMS: 30, Bytes: 5, ErrorKind: KindHTTPStatus})
	s.Add(&Record{ErrorKind: KindInvalidURL})
	s.Finished = start.Add(1500 * time.Millisecond)
	msg, out := "write out.jsonl: disk full", "out.jsonl"
	s.Run = RunInfo{ExitCode: 1, Error: &msg, MaxFailures: 5, Version: "1.2.3", Inputs: []string{"a.txt", "-"}, Output: &out}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	for _, k := range []string{"urls", "ok", "failed", "by_error_kind", "by_status", "retries", "bytes",
		"elapsed_s", "pages_per_s", "latency_ms", "started_at", "finished_at", "interrupted",
		"exit_code", "error", "max_failures", "version", "inputs", "output", "slowdowns"} {
		if _, ok := m[k]; !ok {
			t.Errorf("key %q missing from %s", k, b)
		}
	}
	if len(m) != 20 {
		t.Errorf("%d keys, want 20: %s", len(m), b)
	}
	if m["exit_code"] != 1.0 || m["error"] != msg || m["max_failures"] != 5.0 || m["version"] != "1.2.3" ||
		m["output"] != out || len(m["inputs"].([]any)) != 2 || m["inputs"].([]any)[1] != "-" {
		t.Errorf("run info = %s", b)
	}
	if m["urls"] != 3.0 || m["ok"] != 1.0 || m["failed"] != 2.0 || m["retries"] != 2.0 || m["bytes"] != 105.0 ||
		m["elapsed_s"] != 1.5 || m["pages_per_s"] != 2.0 || m["started_at"] != "2026-01-02T03:04:05.000Z" {
		t.Errorf("stats = %s", b)
	}
	bk := m["by_error_kind"].(map[string]any)
	if bk["http_status"] != 1.0 || bk["invalid_url"] != 1.0 || bk["timeout"] != 0.0 || len(bk) != len(kinds) {
		t.Errorf("by_error_kind = %v", bk)
	}
	bs := m["by_status"].(map[string]any)
	if bs["200"] != 1.0 || bs["503"] != 1.0 || bs["0"] != 1.0 || len(bs) != 3 {
		t.Errorf("by_status = %v", bs)
	}
	lat := m["latency_ms"].(map[string]any)
	if lat["p50"] != 10.0 || lat["max"] != 30.0 {
		t.Errorf("latency = %v", lat)
	}
}

func TestReorderWindow(t *testing.T) {
	win := NewWindow(3)
	ro := NewReorder(win)
	var got []int64
	emit := func(r *Record) error { got = append(got, r.Seq); return nil }
	for range 3 {
		if err := win.Acquire(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []int64{2, 1} {
		ro.Push(&Record{Seq: s}, emit)
	}
	if len(got) != 0 || ro.Pending() != 2 {
		t.Fatalf("emitted %v before seq 0", got)
	}
	ro.Push(&Record{Seq: 0}, emit)
	if !slices.Equal(got, []int64{0, 1, 2}) || ro.Pending() != 0 {
		t.Fatalf("emitted %v", got)
	}
	// Three slots were released: three more can be taken at once.
	for range 3 {
		if err := win.Acquire(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	ro.Push(&Record{Seq: 5}, emit)
	ro.Push(&Record{Seq: 4}, emit)
	if err := ro.Drain(emit); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []int64{0, 1, 2, 4, 5}) {
		t.Fatalf("after drain emitted %v", got)
	}
}
