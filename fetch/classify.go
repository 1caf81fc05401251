package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/url"
	"strings"

	"github.com/trawl-dev/trawl/output"
)

// errTooLarge marks a body cut off at --max-body.
var errTooLarge = errors.New("body larger than --max-body")

// decodeError is a body whose Content-Encoding cannot be decoded: another
// attempt would get the same bytes, so it is not retried.
type decodeError struct{ err error }

func (e *decodeError) Error() string { return e.err.Error() }
func (e *decodeError) Unwrap() error { return e.err }

// redirectError ends a URL whose redirects went too far or left http(s).
type redirectError struct{ msg string }

func (e *redirectError) Error() string { return e.msg }

// Classify maps an attempt's error to the record's error_kind and message:
// the one place where network errors become kinds.
func Classify(err error) (output.ErrorKind, string) {
	if err == nil {
		return output.KindNone, ""
	}
	msg := errMessage(err)
	var (
		dnsErr   *net.DNSError
		redirErr *redirectError
		certErr  *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostErr  x509.HostnameError
		invalid  x509.CertificateInvalidError
		recErr   tls.RecordHeaderError
		alertErr tls.AlertError
		opErr    *net.OpError
		netErr   net.Error
	)
	switch {
	case errors.Is(err, errTooLarge):
		return output.KindTooLarge, msg
	case errors.As(err, &redirErr):
		return output.KindRedirect, msg
	case errors.Is(err, context.DeadlineExceeded):
		return output.KindTimeout, msg
	case errors.As(err, &dnsErr):
		if dnsErr.IsTimeout {
			return output.KindTimeout, msg
		}
		return output.KindDNS, msg
	case errors.As(err, &certErr), errors.As(err, &unknown), errors.As(err, &hostErr),
		errors.As(err, &invalid), errors.As(err, &recErr), errors.As(err, &alertErr):
		return output.KindTLS, msg
	case errors.As(err, &netErr) && netErr.Timeout():
		return output.KindTimeout, msg
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return output.KindConnect, msg
	case strings.Contains(msg, "tls: "), strings.Contains(msg, "server gave HTTP response to HTTPS client"):
		// crypto/tls reports some handshake failures, and net/http a plain
		// HTTP answer to a TLS hello, as plain errors.New text, with no
		// type to match on.
		return output.KindTLS, msg
	}
	return output.KindOther, msg
}

// errMessage is err's text without net/http's `Get "URL": ` prefix, which
// would repeat the record's url.
func errMessage(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}
