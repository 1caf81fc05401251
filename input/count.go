package input

import (
	"bytes"
	"io"
)

// CountLines counts the URL lines of r, as Lines would yield them (blank
// lines and # comments skipped), in one fast pass with no per-line
// allocation. The progress bar takes its total from it.
func CountLines(r io.Reader) (int64, error) {
	buf := make([]byte, 256<<10)
	var n int64
	// state: at line start (skipping white space), in a counted line, or
	// in a line that does not count (a comment).
	const (
		start = iota
		counted
		skipped
	)
	state := start
	for {
		m, err := r.Read(buf)
		b := buf[:m]
		for len(b) > 0 {
			if state != start {
				i := bytes.IndexByte(b, '\n')
				if i < 0 {
					break
				}
				b, state = b[i+1:], start
				continue
			}
			c := b[0]
			switch {
			case c == '\n' || c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f':
			case c == '#':
				state = skipped
			default:
				state = counted
				n++
			}
			b = b[1:]
		}
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}
