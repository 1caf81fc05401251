package frontier

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/trawl-dev/trawl/fetch"
	"github.com/trawl-dev/trawl/input"
	"github.com/trawl-dev/trawl/output"
)

func stream(t *testing.T, format, text string) *input.Stream {
	t.Helper()
	s, err := input.Open(format, "url", []input.Source{{Name: "test", R: strings.NewReader(text)}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// collect runs f to its end and returns the jobs it sent.
func collect(t *testing.T, f *Frontier) ([]fetch.Job, error) {
	t.Helper()
	jobs := make(chan fetch.Job)
	errc := make(chan error, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go func() { errc <- f.Run(ctx, jobs) }()
	var got []fetch.Job
	for j := range jobs {
		got = append(got, j)
	}
	return got, <-errc
}

func TestNumbersAndFilters(t *testing.T) {
	// Hosts of shard 2/3 by SPEC's FNV-1a rule; the test below checks it
	// with input.Shard itself, so only the frontier's use of it is tested.
	text := "http://a.example/1\n# comment\nhttp://b.example/2\nnot a url\nhttp://c.example/3\nhttp://a.example/done\nhttp://d.example/4\n"
	done := output.NewDone()
	done.Add("http://a.example/done")
	for _, shard := range []input.Shard{{}, {K: 1, N: 3}, {K: 2, N: 3}} {
		got, err := collect(t, New(stream(t, "lines", text), Config{Shard: shard, Done: done}))
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
			it := input.Parse(line)
			if strings.HasPrefix(line, "#") || it.Raw == "http://a.example/done" || !shard.Keep(it.URL) {
				continue
			}
			want = append(want, it.Raw)
		}
		if len(got) != len(want) {
			t.Fatalf("shard %v: %d jobs, want %d (%q)", shard, len(got), len(want), want)
		}
		for i, j := range got {
			if j.Seq != int64(i) || j.Raw != want[i] {
				t.Errorf("shard %v: job %d = seq %d %q, want seq %d %q", shard, i, j.Seq, j.Raw, i, want[i])
			}
			if (j.URL == nil) != (j.Err != nil) {
				t.Errorf("job %q: URL %v, Err %v", j.Raw, j.URL, j.Err)
			}
		}
	}
}

func TestInputFieldsAndColumns(t *testing.T) {
	f := New(stream(t, "jsonl", `{"url":"http://a.example/","id":7,"name":"x"}`+"\n"+`{"id":8}`+"\n"), Config{})
	got, err := collect(t, f)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d jobs", len(got))
	}
	in := got[0].Input
	if len(in) != 2 || in[0].Key != "id" || string(in[0].Raw) != "7" || in[1].Key != "name" || string(in[1].Raw) != `"x"` {
		t.Errorf("input = %+v", in)
	}
	if got[1].URL != nil || got[1].Err == nil || len(got[1].Input) != 1 {
		t.Errorf("line without url = %+v", got[1])
	}
	if cols := f.Columns(); strings.Join(cols, ",") != "id,name" {
		t.Errorf("columns = %q", cols)
	}
}

// TestWindowHoldsTheInput: with --ordered, no more URLs pass than the
// window has slots until the writer frees one.
func TestWindowHoldsTheInput(t *testing.T) {
	win := output.NewWindow(2)
	f := New(stream(t, "lines", "http://a.example/1\nhttp://a.example/2\nhttp://a.example/3\n"), Config{Window: win})
	jobs := make(chan fetch.Job, 10)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- f.Run(ctx, jobs) }()
	for range 2 {
		<-jobs
	}
	select {
	case j := <-jobs:
		t.Fatalf("a third job passed a full window: %+v", j)
	case <-time.After(200 * time.Millisecond):
	}
	win.Release()
	if j := <-jobs; j.Raw != "http://a.example/3" || j.Seq != 2 {
		t.Fatalf("after a release: %+v", j)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if _, ok := <-jobs; ok {
		t.Fatal("jobs not closed")
	}
}

type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		r.n++
		return copy(p, "http://a.example/1\n"), nil
	}
	return 0, errors.New("disk on fire")
}

func TestReadErrorEndsTheRun(t *testing.T) {
	s, err := input.Open("lines", "url", []input.Source{{Name: "list.txt", R: &failingReader{}}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := collect(t, New(s, Config{}))
	if err == nil || !strings.Contains(err.Error(), "list.txt") || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("err = %v", err)
	}
	if len(got) != 1 {
		t.Fatalf("%d jobs before the error, want 1", len(got))
	}
}

// TestCanceledWhileReading: an input that never ends (an idle stdin) does
// not keep a canceled run alive.
func TestCanceledWhileReading(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	s, err := input.Open("lines", "url", []input.Source{{Name: "stdin", R: pr}})
	if err != nil {
		t.Fatal(err)
	}
	jobs := make(chan fetch.Job)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- New(s, Config{}).Run(ctx, jobs) }()
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel while its input was idle")
	}
}
