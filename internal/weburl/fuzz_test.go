package weburl

import (
	"errors"
	"testing"
)

// FuzzParse checks the invariants of checkURL on whatever Parse accepts,
// and that whatever it refuses comes with an *Error.
func FuzzParse(f *testing.F) {
	f.Add("http://example.com/a/../b?c#d")
	f.Fuzz(func(t *testing.T, s string) {
		u, err := Parse(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q): error %T %v", s, err, err)
			}
			return
		}
		checkURL(t, s, u)
	})
}

// FuzzResolve does the same for a reference resolved against a base.
func FuzzResolve(f *testing.F) {
	f.Add("http://example.com/dir/page?q#f", "../a b?c#d")
	f.Fuzz(func(t *testing.T, base, ref string) {
		b, err := Parse(base)
		if err != nil {
			return
		}
		u, err := Resolve(b, ref)
		nb, berr := NewBase(b)
		if berr != nil {
			t.Fatalf("NewBase(%q): %v", base, berr)
		}
		n, nerr := nb.ResolveNormal(ref)
		if (err == nil) != (nerr == nil) {
			t.Fatalf("Resolve(%q, %q) err %v, ResolveNormal err %v", base, ref, err, nerr)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Resolve(%q, %q): error %T %v", base, ref, err, err)
			}
			return
		}
		checkURL(t, ref, u)
		if want := Normalize(u); n != want {
			t.Fatalf("ResolveNormal(%q, %q) = %q, Normalize(Resolve) %q", base, ref, n, want)
		}
	})
}
