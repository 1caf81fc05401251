package extract

// The streaming matcher's model of tables, as the parser's table modes
// (inTableIM, inTableBodyIM, inRowIM, inCellIM, inCaptionIM,
// inColumnGroupIM) read them: implied tbody, tr and colgroup; cells and
// captions, which keep the formatting elements opened in them from
// reopening outside; nested tables. It gives up where the parser moves
// content out of the table (foster parenting: text other than white space,
// or a tag other than a table's, right in a table, a row group or a row),
// on <input> and <select> there, and on a <table> opened while a p is in
// button scope (whether it closes the p depends on quirks mode).

import (
	"bytes"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// tableStart reads <table> in body.
func (s *streamer) tableStart(t *streamTok) {
	if s.pInButtonScope() >= 0 {
		s.bail("<table> in a <p>")
		return
	}
	if s.open(t, s.top()) != nil {
		s.mode = modeInTable
	}
}

// inTableScope returns the index of the highest open element with one of
// tags in table scope, or -1.
func (s *streamer) inTableScope(tags ...atom.Atom) int {
	for i := len(s.stack) - 1; i >= 0; i-- {
		e := s.stack[i]
		for _, a := range tags {
			if e.a == a {
				return i
			}
		}
		switch e.a {
		case atom.Html, atom.Table, atom.Template:
			return -1
		}
	}
	return -1
}

// clearTo pops elements until one of tags (or html) is the current node:
// the parser's "clear the stack back to a table context" and the like.
func (s *streamer) clearTo(tags ...atom.Atom) {
	for !s.bailed {
		top := s.top()
		if top.a == atom.Html {
			return
		}
		for _, a := range tags {
			if top.a == a {
				return
			}
		}
		s.popTo(len(s.stack)-1, false)
	}
}

// resetMode is the parser's "reset the insertion mode", after a table
// closes.
func (s *streamer) resetMode() {
	for i := len(s.stack) - 1; i >= 0; i-- {
		switch s.stack[i].a {
		case atom.Td, atom.Th:
			s.mode = modeInCell
		case atom.Tr:
			s.mode = modeInRow
		case atom.Tbody, atom.Thead, atom.Tfoot:
			s.mode = modeInTableBody
		case atom.Caption:
			s.mode = modeInCaption
		case atom.Colgroup:
			s.mode = modeInColumnGroup
		case atom.Table:
			s.mode = modeInTable
		case atom.Body:
			s.mode = modeInBody
		case atom.Html:
			s.mode = modeAfterHead
		default:
			if i == 0 {
				s.mode = modeInBody
				return
			}
			continue
		}
		return
	}
}

func (s *streamer) inTable(t *streamTok) bool {
	switch t.tt {
	case html.TextToken:
		d := t.text
		if bytes.IndexByte(d, 0) >= 0 {
			d = bytes.ReplaceAll(d, []byte{0}, nil)
		}
		if len(bytes.Trim(d, whitespace)) > 0 {
			return s.bail("text in a table")
		}
		if len(d) > 0 {
			s.addText(s.top(), d)
		}
	case html.StartTagToken:
		return s.tableStartTag(t)
	case html.EndTagToken:
		switch t.a {
		case atom.Table:
			if i := s.inTableScope(atom.Table); i >= 0 {
				s.popTo(i, false)
				s.resetMode()
			}
		case atom.Body, atom.Caption, atom.Col, atom.Colgroup, atom.Html, atom.Tbody, atom.Td,
			atom.Tfoot, atom.Th, atom.Thead, atom.Tr, atom.Template:
			// ignored
		default:
			return s.bail("</" + string(t.name) + "> in a table")
		}
	case html.CommentToken:
		s.top().child = true
	case html.ErrorToken:
		return s.inBody(t)
	}
	return true
}

// tableStartTag reads a start tag in a table (in inTableIM).
func (s *streamer) tableStartTag(t *streamTok) bool {
	switch t.a {
	case atom.Caption:
		s.clearTo(atom.Table)
		if s.open(t, s.top()) != nil {
			s.mode = modeInCaption
		}
	case atom.Colgroup:
		s.clearTo(atom.Table)
		if s.open(t, s.top()) != nil {
			s.mode = modeInColumnGroup
		}
	case atom.Col:
		s.clearTo(atom.Table)
		s.openImplied(atom.Colgroup, s.top())
		s.mode = modeInColumnGroup
		return false
	case atom.Tbody, atom.Tfoot, atom.Thead:
		s.clearTo(atom.Table)
		if s.open(t, s.top()) != nil {
			s.mode = modeInTableBody
		}
	case atom.Td, atom.Th, atom.Tr:
		s.clearTo(atom.Table)
		s.openImplied(atom.Tbody, s.top())
		s.mode = modeInTableBody
		return false
	case atom.Table:
		// It closes the open table, and opens another.
		if i := s.inTableScope(atom.Table); i >= 0 {
			s.popTo(i, false)
			s.resetMode()
			return false
		}
	case atom.Style, atom.Script:
		s.rawText(t, s.top())
	case atom.Form:
		if s.form == 0 {
			if e := s.open(t, s.top()); e != nil {
				s.form = e.seq
				s.pop()
			}
		}
	default:
		// <template>, <input>, <select>, and what the parser moves out of
		// the table.
		return s.bail("<" + string(t.name) + "> in a table")
	}
	return true
}

func (s *streamer) inTableBody(t *streamTok) bool {
	switch t.tt {
	case html.StartTagToken:
		switch t.a {
		case atom.Tr:
			s.clearTo(atom.Tbody, atom.Tfoot, atom.Thead)
			if s.open(t, s.top()) != nil {
				s.mode = modeInRow
			}
			return true
		case atom.Td, atom.Th:
			s.clearTo(atom.Tbody, atom.Tfoot, atom.Thead)
			s.openImplied(atom.Tr, s.top())
			s.mode = modeInRow
			return false
		case atom.Caption, atom.Col, atom.Colgroup, atom.Tbody, atom.Tfoot, atom.Thead:
			return s.endRowGroup()
		}
	case html.EndTagToken:
		switch t.a {
		case atom.Tbody, atom.Tfoot, atom.Thead:
			if s.inTableScope(t.a) >= 0 {
				s.clearTo(atom.Tbody, atom.Tfoot, atom.Thead)
				s.pop()
				s.mode = modeInTable
			}
			return true
		case atom.Table:
			return s.endRowGroup()
		case atom.Body, atom.Caption, atom.Col, atom.Colgroup, atom.Html, atom.Td, atom.Th, atom.Tr:
			return true
		}
	case html.CommentToken:
		s.top().child = true
		return true
	}
	return s.inTable(t)
}

// endRowGroup closes the open tbody, thead or tfoot, for a token read
// again in the table; the token is ignored when there is none.
func (s *streamer) endRowGroup() bool {
	i := s.inTableScope(atom.Tbody, atom.Thead, atom.Tfoot)
	if i < 0 {
		return true
	}
	s.popTo(i, false)
	s.mode = modeInTable
	return false
}

func (s *streamer) inRow(t *streamTok) bool {
	switch t.tt {
	case html.StartTagToken:
		switch t.a {
		case atom.Td, atom.Th:
			s.clearTo(atom.Tr)
			if s.open(t, s.top()) != nil {
				s.mode = modeInCell
			}
			return true
		case atom.Caption, atom.Col, atom.Colgroup, atom.Tbody, atom.Tfoot, atom.Thead, atom.Tr:
			return s.endRow(false)
		}
	case html.EndTagToken:
		switch t.a {
		case atom.Tr:
			return s.endRow(true)
		case atom.Table:
			return s.endRow(false)
		case atom.Tbody, atom.Tfoot, atom.Thead:
			if s.inTableScope(t.a) < 0 {
				return true
			}
			return s.endRow(false)
		case atom.Body, atom.Caption, atom.Col, atom.Colgroup, atom.Html, atom.Td, atom.Th:
			return true
		}
	}
	return s.inTable(t)
}

// endRow closes the open tr: for </tr> (consumed), or for a token read
// again in the row group; the token is ignored when no tr is open.
func (s *streamer) endRow(consumed bool) bool {
	i := s.inTableScope(atom.Tr)
	if i < 0 {
		return true
	}
	s.popTo(i, false)
	s.mode = modeInTableBody
	return consumed
}

func (s *streamer) inCell(t *streamTok) bool {
	switch t.tt {
	case html.StartTagToken:
		switch t.a {
		case atom.Caption, atom.Col, atom.Colgroup, atom.Tbody, atom.Td, atom.Tfoot, atom.Th,
			atom.Thead, atom.Tr:
			return s.endCell(atom.Td, atom.Th)
		case atom.Select:
			return s.bail("<select> in a table")
		}
	case html.EndTagToken:
		switch t.a {
		case atom.Td, atom.Th:
			if i := s.inTableScope(t.a); i >= 0 {
				s.popTo(i, true)
				s.mode = modeInRow
			}
			return true
		case atom.Body, atom.Caption, atom.Col, atom.Colgroup, atom.Html:
			return true
		case atom.Table, atom.Tbody, atom.Tfoot, atom.Thead, atom.Tr:
			if s.inTableScope(t.a) < 0 {
				return true
			}
			if i := s.inTableScope(atom.Td, atom.Th); i >= 0 {
				s.popTo(i, true)
			}
			s.mode = modeInRow
			return false
		}
	}
	return s.inBody(t)
}

// endCell closes the open cell for a token read again in the row; the
// token is ignored when none is open.
func (s *streamer) endCell(tags ...atom.Atom) bool {
	i := s.inTableScope(tags...)
	if i < 0 {
		return true
	}
	s.popTo(i, true)
	s.mode = modeInRow
	return false
}

func (s *streamer) inCaption(t *streamTok) bool {
	switch t.tt {
	case html.StartTagToken:
		switch t.a {
		case atom.Caption, atom.Col, atom.Colgroup, atom.Tbody, atom.Td, atom.Tfoot, atom.Thead, atom.Tr:
			return s.endCaption(false)
		case atom.Select:
			return s.bail("<select> in a table")
		}
	case html.EndTagToken:
		switch t.a {
		case atom.Caption:
			return s.endCaption(true)
		case atom.Table:
			return s.endCaption(false)
		case atom.Body, atom.Col, atom.Colgroup, atom.Html, atom.Tbody, atom.Td, atom.Tfoot, atom.Th,
			atom.Thead, atom.Tr:
			return true
		}
	}
	return s.inBody(t)
}

// endCaption closes the open caption: for </caption> (consumed), or for a
// token read again in the table; the token is ignored when none is open.
func (s *streamer) endCaption(consumed bool) bool {
	i := s.inTableScope(atom.Caption)
	if i < 0 {
		return true
	}
	s.popTo(i, true)
	s.mode = modeInTable
	return consumed
}

func (s *streamer) inColumnGroup(t *streamTok) bool {
	switch t.tt {
	case html.TextToken:
		if s.leadingSpace(t) && len(t.text) == 0 {
			return true
		}
	case html.CommentToken:
		s.top().child = true
		return true
	case html.DoctypeToken:
		return true
	case html.StartTagToken:
		switch t.a {
		case atom.Html:
			return s.htmlAgain(t)
		case atom.Col:
			s.void(t, s.top())
			return true
		case atom.Template:
			return s.bail("<template>")
		}
	case html.EndTagToken:
		switch t.a {
		case atom.Colgroup:
			if s.top().a == atom.Colgroup {
				s.pop()
				s.mode = modeInTable
			}
			return true
		case atom.Col, atom.Template:
			return true
		}
	case html.ErrorToken:
		return s.inBody(t)
	}
	if s.top().a != atom.Colgroup {
		return true // ignored
	}
	s.pop()
	s.mode = modeInTable
	return false
}
