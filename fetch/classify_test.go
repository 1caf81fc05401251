package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/trawl-dev/trawl/internal/site"
	"github.com/trawl-dev/trawl/output"
)

func TestClassifyKinds(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9},
		Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
	notFound := &net.DNSError{Err: "no such host", Name: "nope.invalid", IsNotFound: true}
	dnsTimeout := &net.DNSError{Err: "i/o timeout", Name: "slow.example", IsTimeout: true}
	dnsTemporary := &net.DNSError{Err: "server misbehaving", Name: "x.example", IsTemporary: true}
	cases := []struct {
		name string
		err  error
		kind output.ErrorKind
	}{
		{"dns not found", notFound, output.KindDNS},
		{"dns not found, wrapped in url.Error and OpError", &url.Error{Op: "Get", URL: "http://nope.invalid/", Err: &net.OpError{Op: "dial", Net: "tcp", Err: notFound}}, output.KindDNS},
		{"dns temporary", dnsTemporary, output.KindDNS},
		{"dns timeout", dnsTimeout, output.KindTimeout},
		{"deadline", context.DeadlineExceeded, output.KindTimeout},
		{"deadline wrapped", &url.Error{Op: "Get", URL: "http://a/", Err: fmt.Errorf("reading: %w", context.DeadlineExceeded)}, output.KindTimeout},
		{"os deadline (net.Error Timeout)", &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}, output.KindTimeout},
		{"dial timeout", &net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded}, output.KindTimeout},
		{"connection refused", refused, output.KindConnect},
		{"connection refused in url.Error", &url.Error{Op: "Get", URL: "http://127.0.0.1:9/", Err: refused}, output.KindConnect},
		{"unknown authority", x509.UnknownAuthorityError{}, output.KindTLS},
		{"unknown authority wrapped", &url.Error{Op: "Get", URL: "https://a/", Err: &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}}, output.KindTLS},
		{"hostname", x509.HostnameError{Certificate: &x509.Certificate{}, Host: "a"}, output.KindTLS},
		{"expired", x509.CertificateInvalidError{Cert: &x509.Certificate{}, Reason: x509.Expired}, output.KindTLS},
		{"record header", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, output.KindTLS},
		{"alert", tls.AlertError(40), output.KindTLS},
		{"plain tls error", errors.New("tls: handshake failure"), output.KindTLS},
		{"too large", errTooLarge, output.KindTooLarge},
		{"too large wrapped", fmt.Errorf("reading body: %w", errTooLarge), output.KindTooLarge},
		{"redirect", &redirectError{"stopped after 10 redirects (--max-redirects 10)"}, output.KindRedirect},
		{"redirect in url.Error", &url.Error{Op: "Get", URL: "http://a/", Err: &redirectError{"x"}}, output.KindRedirect},
		{"eof", &url.Error{Op: "Get", URL: "http://a/", Err: io.EOF}, output.KindOther},
		{"other", errors.New("boom"), output.KindOther},
		{"non-dial OpError", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, output.KindOther},
	}
	for _, c := range cases {
		kind, msg := Classify(c.err)
		if kind != c.kind {
			t.Errorf("%s: Classify(%#v) = %q, want %q", c.name, c.err, kind, c.kind)
		}
		if msg == "" {
			t.Errorf("%s: empty message", c.name)
		}
	}
	if kind, msg := Classify(nil); kind != output.KindNone || msg != "" {
		t.Errorf("Classify(nil) = %q, %q", kind, msg)
	}
}

// net/http's `Get "URL": ` prefix is taken off: the record has the URL.
func TestClassifyMessage(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{&url.Error{Op: "Get", URL: "http://a.example/x", Err: errors.New("boom")}, "boom"},
		{fmt.Errorf("outer: %w", &url.Error{Op: "Get", URL: "http://a.example/x", Err: errors.New("inner")}), "inner"},
		{&url.Error{Op: "Get", URL: "http://nope.invalid/", Err: &net.DNSError{Err: "no such host", Name: "nope.invalid", IsNotFound: true}}, "lookup nope.invalid: no such host"},
		{errors.New("plain"), "plain"},
		{&redirectError{"redirect to \"ftp://x/\": scheme is not http or https"}, "redirect to \"ftp://x/\": scheme is not http or https"},
	}
	for _, c := range cases {
		_, msg := Classify(c.err)
		if msg != c.want {
			t.Errorf("Classify(%v) message %q, want %q", c.err, msg, c.want)
		}
		if strings.Contains(msg, `Get "`) {
			t.Errorf("message %q keeps net/http's prefix", msg)
		}
	}
}

// Real failures, from a real client.
func TestClassifyRealErrors(t *testing.T) {
	client := &http.Client{Timeout: 5 * time.Second}

	// Connection refused.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = client.Get("http://" + addr + "/")
	if kind, msg := Classify(err); kind != output.KindConnect || strings.HasPrefix(msg, "Get ") {
		t.Errorf("refused: %q, %q; want connect without the Get prefix", kind, msg)
	}

	// A certificate nobody vouches for.
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	_, err = client.Get(srv.URL)
	if kind, msg := Classify(err); kind != output.KindTLS {
		t.Errorf("untrusted certificate: %q, %q; want tls", kind, msg)
	}

	// Plain HTTP spoken to a TLS server... and TLS to a plain one.
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer plain.Close()
	_, err = client.Get(strings.Replace(plain.URL, "http://", "https://", 1))
	if kind, msg := Classify(err); kind != output.KindTLS || retryableKind(kind, err) {
		t.Errorf("TLS to a plain server: %q, %q; want tls, not retried", kind, msg)
	}

	// A response header that does not come in time.
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		polSleep(r, 5*time.Second)
	}))
	defer hang.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", hang.URL, nil)
	_, err = client.Do(req)
	if kind, msg := Classify(err); kind != output.KindTimeout {
		t.Errorf("deadline: %q, %q; want timeout", kind, msg)
	}
}

// The engine against a TLS server: without Insecure the URL fails with tls
// and is not retried; with it, it is fetched.
func TestEngineTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		site.Page(w, r, 0)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()

	cfg := polConfig()
	res := polRun(t, t.Context(), cfg, []string{srv.URL + "/a"}, nil, nil)
	r := res.ByURL(t)[srv.URL+"/a"]
	if r.Record == nil || r.ErrorKind != output.KindTLS || r.Status != 0 || r.Attempts != 1 {
		t.Fatalf("record %+v; want tls, status 0, attempts 1 (a bad certificate is not retried)", r.Record)
	}
	if !strings.Contains(r.Error, "certificate") {
		t.Errorf("error %q does not say what was wrong", r.Error)
	}

	cfg.Insecure = true
	res = polRun(t, t.Context(), cfg, []string{srv.URL + "/b"}, nil, nil)
	r = res.ByURL(t)[srv.URL+"/b"]
	if r.Record == nil || r.ErrorKind != "" || r.Status != 200 {
		t.Fatalf("with Insecure: %+v; want 200", r.Record)
	}
}

func TestRetryableKinds(t *testing.T) {
	cases := []struct {
		err  error
		want bool
	}{
		{&net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}, false},
		{&net.DNSError{Err: "server misbehaving", Name: "x", IsTemporary: true}, true},
		{&net.DNSError{Err: "timeout", Name: "x", IsTimeout: true}, true},
		{context.DeadlineExceeded, true},
		{&net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, true},
		{errors.New("connection reset"), true},
		{x509.UnknownAuthorityError{}, false},
		{errTooLarge, false},
		{&redirectError{"x"}, false},
	}
	for _, c := range cases {
		kind, _ := Classify(c.err)
		if got := retryableKind(kind, c.err); got != c.want {
			t.Errorf("retryableKind(%q, %v) = %v, want %v", kind, c.err, got, c.want)
		}
	}
	for code := 100; code < 600; code++ {
		want := code == 408 || code == 429 || code == 500 || code == 502 || code == 503 || code == 504
		if got := retryableStatus(code); got != want {
			t.Errorf("retryableStatus(%d) = %v", code, got)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"1", time.Second, true},
		{"120", 2 * time.Minute, true},
		{" 5 ", 5 * time.Second, true},
		{"0", 0, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(3 * time.Hour).Format(time.RFC850), 3 * time.Hour, true},
		{now.Add(10 * time.Second).Format(time.ANSIC), 10 * time.Second, true},
		// A date in the past: retry now.
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		// A wait beyond ten years is ten years: no overflow.
		{"99999999999999", maxRetryAfter, true},
		{"", 0, false},
		{"soon", 0, false},
		{"-5", 0, false},
		{"-1", 0, false},
		{"1.5", 0, false},
		{"5s", 0, false},
		{"Mon, 99 Foo 2030 00:00:00 GMT", 0, false},
		{"99999999999999999999999", 0, false},
	}
	for _, c := range cases {
		got, ok := retryAfter(c.in, now)
		if got != c.want || ok != c.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestBackoffBounds(t *testing.T) {
	for _, base := range []time.Duration{10 * time.Millisecond, 500 * time.Millisecond, 7 * time.Second, time.Minute} {
		e := New(Config{RetryWait: base})
		for n := 1; n <= 10; n++ {
			ceiling := base
			for i := 1; i < n; i++ {
				ceiling *= 2
			}
			ceiling = min(ceiling, 30*time.Second)
			var top time.Duration
			for range 300 {
				d := e.backoff(n)
				if d < 0 || d > ceiling {
					t.Fatalf("backoff(%d) with base %v = %v, want within [0, %v]", n, base, d, ceiling)
				}
				top = max(top, d)
			}
			// Full jitter spreads over the whole range: 300 draws all in its
			// lower half happen with probability 2^-300.
			if top <= ceiling/2 {
				t.Errorf("backoff(%d) with base %v: largest of 300 draws %v, not spread up to %v", n, base, top, ceiling)
			}
		}
	}
	if d := New(Config{}).backoff(3); d != 0 {
		t.Errorf("backoff with RetryWait 0 = %v, want 0", d)
	}
}
