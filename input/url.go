package input

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trawl-dev/trawl/internal/weburl"
)

// Parse turns one trimmed, non-empty line into an Item. Only a line without
// a scheme gets https:// ("example.com/a", "localhost:8080/x", "//h/p");
// "http:host/p" is read as a browser reads it, http://host/p, and any other
// scheme (mailto:, javascript:, ftp://, file:) is invalid, never fatal. The
// URL is parsed as the WHATWG URL standard does (internal/weburl): the host
// lower-cased and IDNA-encoded, a space in the path or query
// percent-encoded for the request, while Raw, the record's url, stays as
// read.
func Parse(line string) Item {
	raw := line
	if !hasScheme(line) {
		switch r, _ := utf8.DecodeRuneInString(line); {
		case strings.HasPrefix(line, "//"):
			raw = "https:" + line
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '[':
			raw = "https://" + line
		default:
			// Not a host either: a stray byte-order mark, an invisible
			// character, punctuation. A browser would not read it.
			return Item{Raw: line, Err: &invalidError{fmt.Sprintf("invalid URL %q: no scheme, and it does not start with a host", line)}}
		}
	}
	it := Item{Raw: raw}
	u, err := weburl.Parse(raw)
	if err != nil {
		it.Err = &invalidError{fmt.Sprintf("invalid URL %q: %v", line, urlReason(err))}
		return it
	}
	it.URL = u
	return it
}

// urlReason words a weburl error for the record.
func urlReason(err error) string {
	var we *weburl.Error
	if errors.As(err, &we) && we.Part == "scheme" {
		return fmt.Sprintf("scheme %q is not http or https", we.Value)
	}
	return err.Error()
}

// hasScheme reports whether line starts with a URL scheme: letters, digits,
// "+", "-" or "." after a letter, then ":" — unless what follows the colon
// is a port ("example.com:8080/x", "localhost:8080"), which is a host
// without a scheme, not a scheme "example.com".
func hasScheme(line string) bool {
	i := strings.IndexByte(line, ':')
	if i <= 0 || !isAlpha(line[0]) {
		return false
	}
	for k := 1; k < i; k++ {
		c := line[k]
		if !isAlpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	rest := line[i+1:]
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	if n > 0 && (n == len(rest) || strings.IndexByte("/?#", rest[n]) >= 0) {
		return false // a port
	}
	return true
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
