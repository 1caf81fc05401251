package extract

import "strings"

// streamSel is what the streaming matcher (stream.go) needs to know of a
// selector it can match while tokenizing: which attributes the selector
// reads, whether it counts siblings, and a cheap necessary condition on the
// element it selects (its subject), tested before cascadia's Match.
type streamSel struct {
	// keys are the attribute names the selector reads anywhere (class for
	// .c, id for #i, href for :link), lower-cased as cascadia reads them.
	keys []string
	// siblings: the selector counts earlier siblings (:first-child,
	// :nth-child, :first-of-type, :nth-of-type).
	siblings bool
	// subjects are the subject compounds of the group's selectors: an
	// element can match only if it satisfies one of them.
	subjects []streamSubject
}

// streamSubject is the necessary condition a selector's subject compound
// puts on an element: its tag (none for * or no type selector) and the
// attributes it must have.
type streamSubject struct {
	tag  string
	need []string
}

// streamSelector decides whether a selector cascadia compiled can be matched
// on an element when its start tag is read, knowing only the element, its
// ancestors and its earlier siblings: what lol-html calls a streamable
// selector. It parses a deliberately narrow subset of cascadia's syntax and
// refuses everything else, so that what it accepts means the same to both:
//
//	group     = complex *( "," complex )
//	complex   = compound *( combinator compound )   ; combinators " " and ">"
//	compound  = [ type | "*" ] *( "#" name | "." ident | attribute | pseudo )
//	attribute = "[" ident [ op ( ident | string ) [ "i" ] ] "]"   ; op = ~= |= ^= $= *= != or =
//	pseudo    = :first-child | :first-of-type | :nth-child(an+b) | :nth-of-type(an+b)
//	          | :root | :link | :not( compound *( "," compound ) )
//
// White space may stand where cascadia allows it. Refused: sibling
// combinators (+, ~), every other pseudo-class (:has, :contains, :empty,
// :last-child, :only-child, :lang...), pseudo-elements, regular-expression
// attributes (#=), escapes, comments, and strings with escapes or line
// breaks. A selector that cascadia refuses never gets here.
func streamSelector(css string) (*streamSel, bool) {
	p := selParser{s: css, sel: &streamSel{}}
	if !p.group(false) || p.i != len(p.s) {
		return nil, false
	}
	return p.sel, true
}

// selParser reads a selector for streamSelector.
type selParser struct {
	s   string
	i   int
	sel *streamSel
	// subject collects the compound being read when it may be a subject.
	subject *streamSubject
}

func (p *selParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

// ws skips white space and reports whether there was any.
func (p *selParser) ws() bool {
	start := p.i
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n\f", p.s[p.i]) >= 0 {
		p.i++
	}
	return p.i > start
}

// group reads selectors separated by commas; inNot reads the compounds of
// a :not(), without combinators.
func (p *selParser) group(inNot bool) bool {
	for {
		p.ws()
		if !p.complex(inNot) {
			return false
		}
		if p.peek() != ',' {
			return true
		}
		p.i++
	}
}

// complex reads compounds joined by descendant and child combinators, and
// stops before a comma, a closing parenthesis or the end.
func (p *selParser) complex(inNot bool) bool {
	for {
		var subj streamSubject
		if !inNot {
			p.subject = &subj
		}
		if !p.compound() {
			return false
		}
		p.subject = nil
		space := p.ws()
		switch c := p.peek(); {
		case c == 0 || c == ',' || c == ')':
			if !inNot {
				p.sel.subjects = append(p.sel.subjects, subj)
			}
			return true
		case c == '>' && !inNot:
			p.i++
			p.ws()
		case space && !inNot && c != '+' && c != '~':
		default:
			return false
		}
	}
}

// compound reads one compound selector: at least one simple selector.
func (p *selParser) compound() bool {
	start := p.i
	switch c := p.peek(); {
	case c == '*':
		p.i++
		if p.peek() == '|' {
			return false
		}
	case c == '#' || c == '.' || c == '[' || c == ':':
	default:
		name, ok := p.ident()
		if !ok {
			return false
		}
		if p.subject != nil {
			p.subject.tag = lowerASCII(name)
		}
	}
	for {
		var ok bool
		switch p.peek() {
		case '#':
			p.i++
			_, ok = p.name()
			p.use("id", true)
		case '.':
			p.i++
			_, ok = p.ident()
			p.use("class", true)
		case '[':
			ok = p.attribute()
		case ':':
			ok = p.pseudo()
		default:
			return p.i > start
		}
		if !ok {
			return false
		}
	}
}

// use notes that the selector reads attribute key; need says the subject
// must have it (the selector cannot match an element without it).
func (p *selParser) use(key string, need bool) {
	if !containsString(p.sel.keys, key) {
		p.sel.keys = append(p.sel.keys, key)
	}
	if need && p.subject != nil && !containsString(p.subject.need, key) {
		p.subject.need = append(p.subject.need, key)
	}
}

// attribute reads [key], [key op value] or [key op value i].
func (p *selParser) attribute() bool {
	p.i++ // [
	p.ws()
	key, ok := p.ident()
	if !ok {
		return false
	}
	key = lowerASCII(key)
	p.ws()
	if p.peek() == ']' {
		p.i++
		p.use(key, true)
		return true
	}
	op := ""
	switch c := p.peek(); {
	case c == '=':
		op = "="
	case strings.IndexByte("~|^$*!", c) >= 0 && p.i+1 < len(p.s) && p.s[p.i+1] == '=':
		op = p.s[p.i : p.i+2]
	default:
		return false // #= among others
	}
	p.i += len(op)
	// [k!=v] matches an element without k too.
	p.use(key, op != "!=")
	p.ws()
	if c := p.peek(); c == '"' || c == '\'' {
		if !p.str() {
			return false
		}
	} else if _, ok := p.ident(); !ok {
		return false
	}
	p.ws()
	if c := p.peek(); c == 'i' || c == 'I' {
		p.i++
		p.ws()
	}
	if p.peek() != ']' {
		return false
	}
	p.i++
	return true
}

// pseudo reads one of the pseudo-classes that need nothing after the
// element's start tag.
func (p *selParser) pseudo() bool {
	p.i++ // :
	if p.peek() == ':' {
		return false // a pseudo-element
	}
	name, ok := p.ident()
	if !ok {
		return false
	}
	switch lowerASCII(name) {
	case "first-child", "first-of-type":
		p.sel.siblings = true
		return true
	case "nth-child", "nth-of-type":
		p.sel.siblings = true
		return p.nth()
	case "root":
		return true
	case "link":
		p.use("href", true)
		return true
	case "not":
		if p.peek() != '(' {
			return false
		}
		p.i++
		subject := p.subject
		p.subject = nil
		ok := p.group(true)
		p.subject = subject
		p.ws()
		if !ok || p.peek() != ')' {
			return false
		}
		p.i++
		return true
	}
	return false
}

// nth reads the (an+b) of :nth-child and :nth-of-type; cascadia reads
// its value.
func (p *selParser) nth() bool {
	if p.peek() != '(' {
		return false
	}
	p.i++
	for p.i < len(p.s) && strings.IndexByte("0123456789+-nNoOdDeEvV \t\r\n\f", p.s[p.i]) >= 0 {
		p.i++
	}
	if p.peek() != ')' {
		return false
	}
	p.i++
	return true
}

// ident reads a CSS identifier without escapes: hyphens, then a name
// start character, then name characters (as cascadia reads one).
func (p *selParser) ident() (string, bool) {
	start := p.i
	for p.peek() == '-' {
		p.i++
	}
	if c := p.peek(); !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c > 127) {
		return "", false
	}
	p.name()
	return p.s[start:p.i], true
}

// name reads name characters without escapes, at least one.
func (p *selParser) name() (string, bool) {
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c > 127) {
			break
		}
		p.i++
	}
	return p.s[start:p.i], p.i > start
}

// str reads a quoted string without escapes or line breaks.
func (p *selParser) str() bool {
	quote := p.s[p.i]
	for j := p.i + 1; j < len(p.s); j++ {
		switch p.s[j] {
		case quote:
			p.i = j + 1
			return true
		case '\\', '\r', '\n', '\f':
			return false
		}
	}
	return false
}

// lowerASCII lower-cases ASCII letters only, as cascadia and the HTML
// tokenizer do.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
