package input

import (
	"io"
)

// CountLines counts the items the lines format gives for r, as Lines would
// yield them: blank lines and # comments skipped, an over-long line one
// item. It splits lines with the same code as Lines, so the two always
// agree, but parses no URL and allocates nothing per line. The progress bar
// takes its total from it.
func CountLines(r io.Reader) (int64, error) {
	sp := newLineSplitter(r)
	var n int64
	for {
		line, long, err := sp.next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if long || urlLine(line, sp.n == 1) != nil {
			n++
		}
	}
}
