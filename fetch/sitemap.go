package fetch

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
)

// The limits of one sitemap file by sitemaps.org, for ParseSitemap.
const (
	MaxSitemapBytes = 50 << 20
	MaxSitemapURLs  = 50000
)

// ErrNotSitemap matches, through errors.Is, the error of a document that
// parses but is not a sitemap (an HTML page, an RSS feed, prose).
var ErrNotSitemap = errors.New("not a sitemap")

// Sitemap is what one sitemap file lists.
type Sitemap struct {
	// URLs are the <loc> of a <urlset>'s <url>s, or the lines of a text
	// sitemap, in document order, white space trimmed and XML entities
	// decoded, not otherwise checked.
	URLs []string
	// Index are the <loc> of a <sitemapindex>'s <sitemap>s: child sitemaps.
	Index []string
	// Truncated says the file went past maxBytes or maxURLs: URLs and Index
	// hold what came before the limit.
	Truncated bool
}

// ParseSitemap reads one sitemap file as sitemaps.org defines it: an XML
// <urlset> or <sitemapindex> (in the sitemap namespace, another one, or
// none), or a text file of one URL a line; gzip-compressed or not, which it
// tells by the gzip magic bytes, not by a name or a header.
//
// It streams: at most maxBytes bytes of the document (after decompression)
// are read, plus one that tells a longer document, and at most maxBytes of
// compressed input; at most maxURLs URLs (or child sitemaps) are kept.
// A document over either limit gives what came before the limit and
// Truncated, not an error; a line of a text sitemap that the byte limit cuts
// is dropped, never read short. A limit of 0 or less is no limit.
//
// A document that is neither XML nor a list of URLs, XML whose root is not
// <urlset> or <sitemapindex> (ErrNotSitemap), malformed XML or a corrupt
// gzip stream is an error naming what is wrong; the Sitemap then holds what
// was read before it. In a text sitemap, the first line that is not blank
// must be an http(s) URL, and later lines that are not are skipped.
func ParseSitemap(r io.Reader, maxBytes int64, maxURLs int) (Sitemap, error) {
	raw := &capReader{r: r, left: maxBytes, unlimited: maxBytes <= 0}
	br := bufio.NewReaderSize(raw, 32<<10)
	var doc io.Reader = br
	capped := raw
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			if raw.hit {
				return Sitemap{Truncated: true}, nil
			}
			return Sitemap{}, fmt.Errorf("sitemap: gzip: %w", err)
		}
		defer zr.Close()
		capped = &capReader{r: gzipErrors{zr}, left: maxBytes, unlimited: maxBytes <= 0}
		doc = bufio.NewReaderSize(capped, 32<<10)
	}
	cut := func() bool { return capped.hit || raw.hit }
	p := &sitemapParser{max: maxURLs, cut: cut}
	dr := doc.(*bufio.Reader)
	first, err := firstByte(dr)
	switch {
	case err == io.EOF && cut():
		return Sitemap{Truncated: true}, nil
	case err == io.EOF:
		return Sitemap{}, errors.New("sitemap: empty document")
	case err != nil:
		return Sitemap{}, readError(err)
	case first == '<':
		err = p.xml(dr)
	default:
		err = p.text(dr)
	}
	if cut() {
		// The byte limit cut the document: what came before it stands.
		err = nil
		p.out.Truncated = true
	}
	return p.out, err
}

// firstByte skips a UTF-8 byte order mark and white space and peeks at the
// first byte after them.
func firstByte(r *bufio.Reader) (byte, error) {
	if b, err := r.Peek(3); err == nil && string(b) == "\ufeff" {
		r.Discard(3)
	}
	for {
		b, err := r.Peek(1)
		if err != nil {
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			r.Discard(1)
		default:
			return b[0], nil
		}
	}
}

func readError(err error) error {
	return fmt.Errorf("sitemap: %w", err)
}

// gzipErrors says "gzip" in the errors of the decompressor, whoever reads
// them.
type gzipErrors struct{ r io.Reader }

func (g gzipErrors) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err != nil && err != io.EOF {
		err = &gzipError{err}
	}
	return n, err
}

type gzipError struct{ err error }

func (e *gzipError) Error() string { return "gzip: " + e.err.Error() }
func (e *gzipError) Unwrap() error { return e.err }

// capReader reads at most left bytes of r, then one more to tell whether r
// had more (hit), which it does not pass on.
type capReader struct {
	r         io.Reader
	left      int64
	unlimited bool
	hit       bool
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.unlimited {
		return c.r.Read(p)
	}
	if c.hit {
		return 0, io.EOF
	}
	if c.left <= 0 {
		var one [1]byte
		for {
			n, err := c.r.Read(one[:])
			if n > 0 {
				c.hit = true
				return 0, io.EOF
			}
			if err != nil {
				return 0, err
			}
		}
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

type sitemapParser struct {
	out Sitemap
	max int
	cut func() bool // whether the byte limit was hit
}

// add appends a <loc> or a line to list, and reports false when the URL
// limit is reached (the document is then truncated).
func (p *sitemapParser) add(list *[]string, loc string) bool {
	loc = strings.TrimSpace(loc)
	if loc == "" {
		return true
	}
	if p.max > 0 && len(*list) >= p.max {
		p.out.Truncated = true
		return false
	}
	*list = append(*list, loc)
	return true
}

// text reads a text sitemap: one URL a line.
func (p *sitemapParser) text(r *bufio.Reader) error {
	for n := 1; ; n++ {
		line, err := r.ReadString('\n')
		if err != nil && err != io.EOF {
			return readError(err)
		}
		if err == io.EOF && p.cut() {
			return nil // the last line is cut short
		}
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case isHTTPURL(line):
			if !p.add(&p.out.URLs, line) {
				return nil
			}
		case len(p.out.URLs) == 0:
			return fmt.Errorf("sitemap: %w: neither XML nor a list of URLs (line %d: %q)", ErrNotSitemap, n, clip(line))
		}
		if err == io.EOF {
			return nil
		}
	}
}

func isHTTPURL(s string) bool {
	l := strings.ToLower(s[:min(len(s), 8)])
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

// xml reads an XML sitemap, keeping the <loc> children of the root's
// <url> or <sitemap> elements in the root's namespace.
func (p *sitemapParser) xml(r io.Reader) error {
	d := xml.NewDecoder(r)
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		e, err := htmlindex.Get(label)
		if err != nil {
			return nil, fmt.Errorf("unknown encoding %q", label)
		}
		return e.NewDecoder().Reader(in), nil
	}
	var (
		depth   int
		root    xml.Name
		list    *[]string
		entry   string // "url" or "sitemap"
		inEntry bool   // in a depth-2 <url> or <sitemap>
		inLoc   bool
		loc     bytes.Buffer
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if depth == 0 && root.Local == "" {
				return fmt.Errorf("sitemap: %w: XML without a root element", ErrNotSitemap)
			}
			return errors.New("sitemap: XML: unexpected end of document")
		}
		if err != nil {
			var ge *gzipError
			if errors.As(err, &ge) {
				return readError(err)
			}
			return fmt.Errorf("sitemap: XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 1:
				root = t.Name
				switch root.Local {
				case "urlset":
					list, entry = &p.out.URLs, "url"
				case "sitemapindex":
					list, entry = &p.out.Index, "sitemap"
				default:
					return fmt.Errorf("sitemap: %w: root element <%s>", ErrNotSitemap, root.Local)
				}
			case depth == 2:
				inEntry = t.Name.Local == entry && t.Name.Space == root.Space
			case depth == 3 && inEntry && t.Name.Local == "loc" && t.Name.Space == root.Space:
				inLoc = true
				loc.Reset()
			}
		case xml.EndElement:
			if inLoc && depth == 3 {
				inLoc = false
				if !p.add(list, loc.String()) {
					return nil
				}
			}
			depth--
			if depth == 0 {
				return nil
			}
		case xml.CharData:
			if inLoc {
				loc.Write(t)
			}
		}
	}
}
