package extract

import (
	"strconv"
	"strings"
)

// appendText appends the article as plain text, a JSON string value:
// paragraphs, headings, list items and table rows on their own lines,
// paragraphs separated by a blank line, consecutive list items and rows of
// one table by a line break, a table's cells by a tab.
func (a *article) appendText(dst []byte) []byte {
	return appendJSONStr(dst, string(a.renderText(make([]byte, 0, a.size()))))
}

// appendMarkdown appends the article as CommonMark with GFM tables, a JSON
// string value.
func (a *article) appendMarkdown(dst []byte) []byte {
	return appendJSONStr(dst, string(a.renderMarkdown(make([]byte, 0, a.size()))))
}

// size guesses the rendered length, to allocate it once.
func (a *article) size() int { return len(a.buf) + len(a.buf)/8 + 4*len(a.blocks) }

// tight tells whether two consecutive blocks are separated by a line break
// rather than a blank line: items of one list, rows of one table.
func tight(prev, cur *mblock) bool {
	if prev.kind == bRow && cur.kind == bRow {
		return prev.table == cur.table
	}
	return cur.kind == bItem && prev.kind == bItem && prev.quote == cur.quote
}

func (a *article) renderText(out []byte) []byte {
	for k := range a.blocks {
		blk := &a.blocks[k]
		if k > 0 {
			if tight(&a.blocks[k-1], blk) {
				out = append(out, '\n')
			} else {
				out = append(out, '\n', '\n')
			}
		}
		switch blk.kind {
		case bItem:
			out = appendIndent(out, int(blk.list)-1, 2)
			if blk.num > 0 {
				out = strconv.AppendInt(out, int64(blk.num), 10)
				out = append(out, ". "...)
			} else {
				out = append(out, "- "...)
			}
		case bCode:
			out = appendIndent(out, int(blk.list), 2)
			out = append(out, a.codeText(blk)...)
			continue
		default:
			out = appendIndent(out, int(blk.list), 2)
		}
		for _, t := range a.toks[blk.lo:blk.hi] {
			switch t.kind {
			case tText:
				out = append(out, a.buf[t.a:t.b]...)
			case tBr:
				out = append(out, '\n')
			case tCell:
				out = append(out, '\t')
			}
		}
	}
	return out
}

func appendIndent(out []byte, n, width int) []byte {
	for i := 0; i < n*width && i < 64; i++ {
		out = append(out, ' ')
	}
	return out
}

// codeText is a code block's text: line ends made \n, blank lines around
// it and trailing spaces trimmed.
func (a *article) codeText(blk *mblock) string {
	var sb strings.Builder
	for _, t := range a.toks[blk.lo:blk.hi] {
		if t.kind == tText {
			sb.Write(a.buf[t.a:t.b])
		}
	}
	s := sb.String()
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	// Leading blank lines go, the first line's indentation stays.
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 || strings.TrimSpace(s[:i]) != "" {
			break
		}
		s = s[i+1:]
	}
	return strings.TrimRight(s, " \t\n")
}

// mdWriter renders blocks as Markdown.
type mdWriter struct {
	a      *article
	out    []byte
	prefix []byte // quote markers and list indentation for each new line
}

func (a *article) renderMarkdown(out []byte) []byte {
	w := mdWriter{a: a, out: out}
	for k := 0; k < len(a.blocks); k++ {
		blk := &a.blocks[k]
		if k > 0 {
			prev := &a.blocks[k-1]
			w.out = append(w.out, '\n')
			if !tight(prev, blk) {
				w.out = appendQuote(w.out, int(min(prev.quote, blk.quote)), true)
				w.out = append(w.out, '\n')
			}
		}
		w.prefix = appendQuote(w.prefix[:0], int(blk.quote), false)
		switch blk.kind {
		case bRow:
			k = w.table(k)
			continue
		case bHeading:
			w.out = append(w.out, w.prefix...)
			w.out = append(w.out, "######"[:max(1, min(int(blk.level), 6))]...)
			w.out = append(w.out, ' ')
			w.inline(blk, true)
			continue
		case bItem:
			w.out = append(w.out, w.prefix...)
			w.out = appendIndent(w.out, int(blk.list)-1, 4)
			if blk.num > 0 {
				w.out = strconv.AppendInt(w.out, int64(blk.num), 10)
				w.out = append(w.out, ". "...)
			} else {
				w.out = append(w.out, "- "...)
			}
			w.prefix = appendIndent(w.prefix, int(blk.list), 4)
			w.inline(blk, false)
			continue
		}
		w.prefix = appendIndent(w.prefix, int(blk.list), 4)
		w.out = append(w.out, w.prefix...)
		if blk.kind == bCode {
			w.code(blk)
			continue
		}
		w.inline(blk, false)
	}
	return w.out
}

// appendQuote appends depth "> " markers; trim leaves the last one's space
// out (for a blank line inside a quote).
func appendQuote(out []byte, depth int, trim bool) []byte {
	for i := 0; i < depth && i < 32; i++ {
		out = append(out, '>')
		if !trim || i < depth-1 {
			out = append(out, ' ')
		}
	}
	return out
}

func (w *mdWriter) code(blk *mblock) {
	s := w.a.codeText(blk)
	fence := "```"
	if run := longestRun(s, '`'); run >= 3 {
		fence = strings.Repeat("`", run+1)
	}
	w.out = append(w.out, fence...)
	w.out = append(w.out, blk.lang...)
	w.out = append(w.out, '\n')
	for len(s) > 0 {
		line := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		if line != "" {
			w.out = append(w.out, w.prefix...)
		} else {
			w.out = append(w.out, strings.TrimRight(string(w.prefix), " ")...)
		}
		w.out = append(w.out, line...)
		w.out = append(w.out, '\n')
	}
	w.out = append(w.out, w.prefix...)
	w.out = append(w.out, fence...)
}

func longestRun(s string, c byte) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}

// table renders the rows of one table from block k on, the first row as the
// header (GFM needs one); it returns the index of the table's last row.
func (w *mdWriter) table(k int) int {
	blocks := w.a.blocks
	last, cols := k, 0
	for ; last < len(blocks) && blocks[last].kind == bRow && blocks[last].table == blocks[k].table; last++ {
		n := 1
		for _, t := range w.a.toks[blocks[last].lo:blocks[last].hi] {
			if t.kind == tCell {
				n++
			}
		}
		cols = max(cols, n)
	}
	for r := k; r < last; r++ {
		if r > k {
			w.out = append(w.out, '\n')
		}
		w.out = append(w.out, w.prefix...)
		w.out = append(w.out, "| "...)
		w.cells(&blocks[r], cols)
		if r == k {
			w.out = append(w.out, '\n')
			w.out = append(w.out, w.prefix...)
			w.out = append(w.out, '|')
			for c := 0; c < cols; c++ {
				w.out = append(w.out, " --- |"...)
			}
		}
	}
	return last - 1
}

// cells renders a row's cells, padded to cols.
func (w *mdWriter) cells(blk *mblock, cols int) {
	n := 1
	sub := *blk
	start := blk.lo
	for j := blk.lo; j <= blk.hi; j++ {
		if j < blk.hi && w.a.toks[j].kind != tCell {
			continue
		}
		sub.lo, sub.hi = start, j
		w.inlineTable(&sub)
		w.out = append(w.out, " |"...)
		if j < blk.hi {
			w.out = append(w.out, ' ')
			n++
		}
		start = j + 1
	}
	for ; n < cols; n++ {
		w.out = append(w.out, "  |"...)
	}
}

func (w *mdWriter) inlineTable(blk *mblock) { w.inlineMode(blk, true, true) }

func (w *mdWriter) inline(blk *mblock, oneLine bool) { w.inlineMode(blk, oneLine, false) }

// inlineState is what inlineMode tracks while writing one block: the
// markers open (tEmOn, tStrongOn, tLinkOn), the open link's destination,
// and an open code span's fence.
type inlineState struct {
	open      []uint8
	href      []byte
	inCode    bool
	fence     string
	lineStart bool
}

// inlineMode renders a block's inline tokens: emphasis, code spans and
// links balanced within the block, text escaped.
func (w *mdWriter) inlineMode(blk *mblock, oneLine, table bool) {
	st := inlineState{lineStart: true}
	toks := w.a.toks[blk.lo:blk.hi]
	for j, t := range toks {
		switch t.kind {
		case tText:
			s := w.a.buf[t.a:t.b]
			if st.inCode {
				w.out = append(w.out, s...)
			} else {
				w.out = escapeMD(w.out, s, st.lineStart, table)
			}
			st.lineStart = false
		case tBr:
			if oneLine || st.inCode {
				w.out = append(w.out, ' ')
				continue
			}
			w.out = append(w.out, "\\\n"...)
			w.out = append(w.out, w.prefix...)
			st.lineStart = true
		case tCodeOn:
			if !st.inCode {
				w.openCode(&st, toks[j+1:])
			}
		case tCodeOff:
			if st.inCode {
				w.out = append(w.out, reverse(st.fence)...)
				st.inCode = false
			}
		case tEmOn, tStrongOn, tLinkOn:
			if !st.inCode && !st.isOpen(t.kind) {
				w.openMark(&st, t)
			}
		case tEmOff, tStrongOff, tLinkOff:
			if !st.inCode && st.isOpen(t.kind-1) {
				w.closeTo(&st, t.kind-1)
			}
		}
	}
	if st.inCode {
		w.out = append(w.out, reverse(st.fence)...)
	}
	w.closeTo(&st, 0)
}

func (st *inlineState) isOpen(k uint8) bool {
	for _, o := range st.open {
		if o == k {
			return true
		}
	}
	return false
}

// openCode starts a code span with a fence longer than any backtick run in
// it (rest is the block's tokens after the opening one).
func (w *mdWriter) openCode(st *inlineState, rest []mtok) {
	st.inCode = true
	st.fence = "`"
	body := 0
	for _, u := range rest {
		if u.kind == tCodeOff {
			break
		}
		if u.kind == tText {
			body = max(body, longestRun(string(w.a.buf[u.a:u.b]), '`'))
		}
	}
	if body > 0 {
		st.fence = strings.Repeat("`", body+1) + " "
	}
	w.out = append(w.out, st.fence...)
	st.lineStart = false
}

func (w *mdWriter) openMark(st *inlineState, t mtok) {
	st.open = append(st.open, t.kind)
	switch t.kind {
	case tEmOn:
		w.out = append(w.out, '*')
	case tStrongOn:
		w.out = append(w.out, "**"...)
	case tLinkOn:
		st.href = appendURL(st.href[:0], w.a.buf[t.a:t.b])
		w.out = append(w.out, '[')
	}
}

// closeTo closes open markers down to and including k (all for 0).
func (w *mdWriter) closeTo(st *inlineState, k uint8) {
	for len(st.open) > 0 {
		top := st.open[len(st.open)-1]
		st.open = st.open[:len(st.open)-1]
		switch top {
		case tEmOn:
			w.out = append(w.out, '*')
		case tStrongOn:
			w.out = append(w.out, "**"...)
		case tLinkOn:
			w.out = append(w.out, "]("...)
			w.out = append(w.out, st.href...)
			w.out = append(w.out, ')')
		}
		if top == k {
			return
		}
	}
}

func reverse(fence string) string {
	if strings.HasSuffix(fence, " ") {
		return " " + fence[:len(fence)-1]
	}
	return fence
}

// appendURL writes a link destination that Markdown reads back whole.
func appendURL(out, u []byte) []byte {
	for _, c := range u {
		switch c {
		case ' ':
			out = append(out, "%20"...)
		case '(':
			out = append(out, "%28"...)
		case ')':
			out = append(out, "%29"...)
		case '<':
			out = append(out, "%3C"...)
		case '>':
			out = append(out, "%3E"...)
		default:
			out = append(out, c)
		}
	}
	return out
}

// escapeMD appends text with the characters that Markdown would read as
// markup backslash-escaped.
func escapeMD(out, s []byte, lineStart, table bool) []byte {
	if lineStart && len(s) > 0 {
		switch s[0] {
		case '#', '>', '-', '+', '=':
			out = append(out, '\\')
		default:
			// "1." or "1)" at a line's start would begin a list.
			i := 0
			for i < len(s) && i < 10 && s[i] >= '0' && s[i] <= '9' {
				i++
			}
			if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') {
				out = append(out, s[:i]...)
				out = append(out, '\\')
				s = s[i:]
			}
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '`', '*', '[', ']', '<':
			out = append(out, '\\')
		case '_':
			if !(i > 0 && isWordByte(s[i-1]) && i+1 < len(s) && isWordByte(s[i+1])) {
				out = append(out, '\\')
			}
		case '|':
			if table {
				out = append(out, '\\')
			}
		case '&':
			if i+1 < len(s) && (s[i+1] == '#' || s[i+1] >= 'a' && s[i+1] <= 'z' || s[i+1] >= 'A' && s[i+1] <= 'Z') {
				out = append(out, '\\')
			}
		}
		out = append(out, c)
	}
	return out
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
