package fetch

import (
	"golang.org/x/net/html/charset"
	"golang.org/x/text/transform"
)

// decodeHTML returns body as UTF-8 (temporary: replaced by fetch/sniff).
func decodeHTML(body []byte, ct string) []byte {
	enc, name, _ := charset.DetermineEncoding(body, ct)
	if name == "utf-8" {
		return body
	}
	out, _, err := transform.Bytes(enc.NewDecoder(), body)
	if err != nil {
		return body
	}
	return out
}
