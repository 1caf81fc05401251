package extract

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// quickHead finds the title and description with the tokenizer alone: no
// tree, no node per tag. It gives what Node gives from a full parse (a
// differential fuzz test holds it to that) and stops as soon as it has both,
// which on most pages is before </head>. It gives up (ok false) on what it
// cannot model without the tree builder: foreign content (<svg>, <math>),
// whose <title> is not the document's title.
func quickHead(body []byte) (title, desc *string, ok bool) {
	z := html.NewTokenizer(bytes.NewReader(body))
	var sb strings.Builder
	var depth depthGuard
	inTitle := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if inTitle {
				// The parser closes an unterminated title at EOF with what
				// it read; so does this.
				s := Collapse(sb.String())
				title = &s
			}
			return title, desc, true
		case html.TextToken:
			if inTitle {
				sb.Write(z.Text())
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			depth.token(tt, name)
			if inTitle {
				if atom.Lookup(name) == atom.Title {
					s := Collapse(sb.String())
					title = &s
					inTitle = false
					if desc != nil {
						return title, desc, true
					}
				}
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if !depth.token(tt, name) {
				return nil, nil, false
			}
			switch atom.Lookup(name) {
			case atom.Svg, atom.Math:
				return nil, nil, false
			case atom.Title:
				// <title/> opens a title too: HTML ignores the slash.
				if title == nil && !inTitle {
					inTitle = true
					sb.Reset()
				}
			case atom.Meta:
				if desc != nil || !hasAttr {
					break
				}
				if content, ok := descriptionMeta(z); ok {
					s := Collapse(content)
					desc = &s
					if title != nil {
						return title, desc, true
					}
				}
			}
		}
	}
}

// descriptionMeta returns the content of a <meta name=description>. A
// repeated attribute is dropped, as the tree builder does: the first one
// counts.
func descriptionMeta(z *html.Tokenizer) (string, bool) {
	var isDesc, hasName, hasContent bool
	var content string
	for more := true; more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		switch string(k) {
		case "name":
			if !hasName {
				isDesc, hasName = strings.EqualFold(string(v), "description"), true
			}
		case "content":
			if !hasContent {
				content, hasContent = string(v), true
			}
		}
	}
	return content, isDesc && hasContent
}
