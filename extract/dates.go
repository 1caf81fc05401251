package extract

import (
	"strings"
	"time"
)

// normalizeDate writes a published or modified date in ISO 8601, when s
// (surrounding white space ignored) is a date or date and time in one of
// the forms pages commonly use; ok is false for anything else, which meta
// then skips for the next source. The forms, and what they become:
//
//	2024-03-05                          2024-03-05
//	2024-03-05T14:30, 2024-03-05 14:30  2024-03-05T14:30:00
//	  (seconds, a fraction after . or , and a zone may follow: Z, UTC or
//	  GMT, ±hh:mm, ±hhmm or ±hh, with or without a space before it)
//	2024-03-05T14:30:15.5+01:00         2024-03-05T14:30:15.5+01:00
//	2024-03-05T14:30:15Z                2024-03-05T14:30:15Z
//	2024/3/5 (a time may follow)        2024-03-05
//	Tue, 05 Mar 2024 14:30:15 GMT       2024-03-05T14:30:15Z
//	  (RFC 1123 and its relatives: weekday optional, seconds optional,
//	  zone GMT, UT, UTC, Z, ±hhmm or one of RFC 822's US zones)
//	March 5, 2024; Mar. 5 2024; 5 March 2024 (weekday optional)  2024-03-05
//
// A date that does not exist (2024-02-30) or a time out of range is not a
// date. Zone names other than those (CET, IST: ambiguous) are not either.
func normalizeDate(s string) (string, bool) {
	s = trimASCIISpace(s)
	if len(s) < 8 || len(s) > 64 {
		return "", false
	}
	p := dateParser{s: s}
	if p.s[0] >= '0' && p.s[0] <= '9' {
		if d, ok := p.isoLike(); ok {
			return d, true
		}
		p = dateParser{s: s}
	}
	return p.written()
}

type dateParser struct {
	s string
	i int
}

type dateParts struct {
	y, mo, d      int
	hasTime       bool
	h, mi, sec    int
	frac          string
	hasZone, utc  bool
	zoneMin       int // offset east of UTC, minutes
	zoneSignMinus bool
}

func (p *dateParser) done() bool { return p.i == len(p.s) }

func (p *dateParser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *dateParser) eat(c byte) bool {
	if p.peek() == c {
		p.i++
		return true
	}
	return false
}

// digits reads between min and max decimal digits.
func (p *dateParser) digits(min, max int) (int, bool) {
	v, n := 0, 0
	for n < max && p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		v = v*10 + int(p.s[p.i]-'0')
		p.i++
		n++
	}
	return v, n >= min
}

// isoLike reads YYYY-MM-DD or YYYY/M/D and an optional time and zone.
func (p *dateParser) isoLike() (string, bool) {
	var d dateParts
	var ok bool
	if d.y, ok = p.digits(4, 4); !ok {
		return "", false
	}
	sep := p.peek()
	if sep != '-' && sep != '/' {
		return "", false
	}
	p.i++
	n := 2
	if sep == '/' {
		n = 1
	}
	if d.mo, ok = p.digits(n, 2); !ok || !p.eat(sep) {
		return "", false
	}
	if d.d, ok = p.digits(n, 2); !ok {
		return "", false
	}
	if p.done() {
		return d.format()
	}
	if c := p.peek(); c != 'T' && c != 't' && c != ' ' {
		return "", false
	}
	p.i++
	if !p.clock(&d) {
		return "", false
	}
	p.eat(' ')
	if !p.done() && !p.zone(&d, false) {
		return "", false
	}
	if !p.done() {
		return "", false
	}
	return d.format()
}

// clock reads hh:mm[:ss[(.|,)fraction]].
func (p *dateParser) clock(d *dateParts) bool {
	var ok bool
	d.hasTime = true
	if d.h, ok = p.digits(2, 2); !ok || !p.eat(':') {
		return false
	}
	if d.mi, ok = p.digits(2, 2); !ok {
		return false
	}
	if p.eat(':') {
		if d.sec, ok = p.digits(2, 2); !ok {
			return false
		}
		if c := p.peek(); c == '.' || c == ',' {
			p.i++
			start := p.i
			if _, ok := p.digits(1, 9); !ok {
				return false
			}
			d.frac = p.s[start:p.i]
		}
	}
	return d.h <= 23 && d.mi <= 59 && d.sec <= 59
}

// zone reads Z, UTC, GMT, ±hh:mm, ±hhmm or ±hh, and with named true also
// UT and RFC 822's US zone names.
func (p *dateParser) zone(d *dateParts, named bool) bool {
	rest := p.s[p.i:]
	d.hasZone = true
	switch c := p.peek(); c {
	case '+', '-':
		p.i++
		h, ok := p.digits(2, 2)
		if !ok {
			return false
		}
		m := 0
		if p.eat(':') {
			if m, ok = p.digits(2, 2); !ok {
				return false
			}
		} else if p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			if m, ok = p.digits(2, 2); !ok {
				return false
			}
		}
		if h > 23 || m > 59 {
			return false
		}
		d.zoneMin = h*60 + m
		d.zoneSignMinus = c == '-'
		return true
	}
	names := isoZones
	if named {
		names = rfc822Zones
	}
	for name, off := range names {
		if strings.EqualFold(rest, name) {
			p.i = len(p.s)
			d.utc = off == 0
			d.zoneMin, d.zoneSignMinus = off, off < 0
			if off < 0 {
				d.zoneMin = -off
			}
			return true
		}
	}
	return false
}

// isoZones are the zone names accepted after an ISO 8601 time.
var isoZones = map[string]int{"Z": 0, "UTC": 0, "GMT": 0}

// rfc822Zones are the zone names RFC 822 defines, as minutes east of UTC.
var rfc822Zones = map[string]int{
	"Z": 0, "UT": 0, "UTC": 0, "GMT": 0,
	"EST": -5 * 60, "EDT": -4 * 60, "CST": -6 * 60, "CDT": -5 * 60,
	"MST": -7 * 60, "MDT": -6 * 60, "PST": -8 * 60, "PDT": -7 * 60,
}

var monthNames = []string{"january", "february", "march", "april", "may", "june",
	"july", "august", "september", "october", "november", "december"}

// month reads a month name, in full or its first three letters (with an
// optional period), and returns 1..12.
func (p *dateParser) month() (int, bool) {
	start := p.i
	for p.i < len(p.s) && (p.s[p.i]|0x20 >= 'a' && p.s[p.i]|0x20 <= 'z') {
		p.i++
	}
	w := strings.ToLower(p.s[start:p.i])
	for i, m := range monthNames {
		if w == m || len(w) == 3 && w == m[:3] || w == "sept" && i == 8 {
			if len(w) < len(m) {
				p.eat('.')
			}
			return i + 1, true
		}
	}
	return 0, false
}

// skipWeekday skips a leading weekday name and the comma after it.
func (p *dateParser) skipWeekday() {
	start := p.i
	for p.i < len(p.s) && (p.s[p.i]|0x20 >= 'a' && p.s[p.i]|0x20 <= 'z') {
		p.i++
	}
	w := strings.ToLower(p.s[start:p.i])
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"} {
		if w == d || len(w) == 3 && w == d[:3] {
			p.eat('.')
			p.eat(',')
			p.spaces()
			return
		}
	}
	p.i = start
}

func (p *dateParser) spaces() int {
	n := 0
	for p.eat(' ') {
		n++
	}
	return n
}

// written reads the forms with a month name: RFC 1123's
// "[Wkd, ]D Mon YYYY hh:mm[:ss] zone", "D Month YYYY" and "Month D, YYYY".
func (p *dateParser) written() (string, bool) {
	var d dateParts
	var ok bool
	p.skipWeekday()
	if c := p.peek(); c >= '0' && c <= '9' {
		if d.d, ok = p.digits(1, 2); !ok || p.spaces() == 0 {
			return "", false
		}
		if d.mo, ok = p.month(); !ok || p.spaces() == 0 {
			return "", false
		}
	} else {
		if d.mo, ok = p.month(); !ok || p.spaces() == 0 {
			return "", false
		}
		if d.d, ok = p.digits(1, 2); !ok {
			return "", false
		}
		p.eat(',')
		if p.spaces() == 0 {
			return "", false
		}
	}
	if d.y, ok = p.digits(4, 4); !ok {
		return "", false
	}
	if p.done() {
		return d.format()
	}
	if p.spaces() == 0 || !p.clock(&d) || p.spaces() == 0 || !p.zone(&d, true) || !p.done() {
		return "", false
	}
	return d.format()
}

// format checks the date exists and writes it in ISO 8601.
func (d dateParts) format() (string, bool) {
	if d.mo < 1 || d.mo > 12 || d.d < 1 {
		return "", false
	}
	if t := time.Date(d.y, time.Month(d.mo), d.d, 0, 0, 0, 0, time.UTC); t.Day() != d.d {
		return "", false
	}
	b := make([]byte, 0, 40)
	b = appendInt(b, d.y, 4)
	b = append(b, '-')
	b = appendInt(b, d.mo, 2)
	b = append(b, '-')
	b = appendInt(b, d.d, 2)
	if !d.hasTime {
		return string(b), true
	}
	b = append(b, 'T')
	b = appendInt(b, d.h, 2)
	b = append(b, ':')
	b = appendInt(b, d.mi, 2)
	b = append(b, ':')
	b = appendInt(b, d.sec, 2)
	if d.frac != "" {
		b = append(b, '.')
		b = append(b, d.frac...)
	}
	switch {
	case !d.hasZone:
	case d.utc:
		b = append(b, 'Z')
	default:
		if d.zoneSignMinus {
			b = append(b, '-')
		} else {
			b = append(b, '+')
		}
		b = appendInt(b, d.zoneMin/60, 2)
		b = append(b, ':')
		b = appendInt(b, d.zoneMin%60, 2)
	}
	return string(b), true
}

func appendInt(b []byte, v, width int) []byte {
	var buf [8]byte
	i := len(buf)
	for v > 0 || i > len(buf)-width {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, buf[i:]...)
}
