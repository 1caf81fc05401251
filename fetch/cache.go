package fetch

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/trawl-dev/trawl/output"
)

// Cache keeps, per URL, the validators (ETag, Last-Modified) of its last
// good response and what was extracted from it, so that a later run can ask
// "has it changed?" and, on a 304, repeat the stored extraction.
//
// It is plain files, one per URL (named by the SHA-256 of the URL, in 256
// subdirectories), each written to a temporary file and renamed into place.
// A rename is atomic, so a crash mid-write leaves the old entry or the new
// one, never half of one, and two runs sharing a cache at once cannot
// corrupt it: the last writer of an entry wins. No lock is needed for that,
// so none is taken; an embedded database would add a dependency and a
// single-writer lock that two cron runs would then contend for.
type Cache struct {
	dir string
	// sig identifies the extraction rules: entries stored under other
	// rules are not used, since their fields would not match.
	sig string
}

// cacheEntry is the stored form of one URL.
type cacheEntry struct {
	URL          string          `json:"url"`
	Rules        string          `json:"rules"`
	ETag         string          `json:"etag,omitempty"`
	LastModified string          `json:"last_modified,omitempty"`
	ContentType  *string         `json:"content_type"`
	Title        *string         `json:"title"`
	Description  *string         `json:"description"`
	Fields       json.RawMessage `json:"fields"`
}

// OpenCache opens (creating) the cache in dir for the given rules.
func OpenCache(dir string, rules []string) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cache %s: %w", dir, err)
	}
	probe, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return nil, fmt.Errorf("cache %s is not writable: %w", dir, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	h := sha256.New()
	for _, r := range rules {
		h.Write([]byte(r))
		h.Write([]byte{0})
	}
	return &Cache{dir: dir, sig: hex.EncodeToString(h.Sum(nil))[:16]}, nil
}

func (c *Cache) path(url string) string {
	sum := sha256.Sum256([]byte(url))
	name := hex.EncodeToString(sum[:])
	return filepath.Join(c.dir, name[:2], name[2:]+".json")
}

// get returns url's entry, or nil when there is none usable.
func (c *Cache) get(url string) *cacheEntry {
	if c == nil {
		return nil
	}
	b, err := os.ReadFile(c.path(url))
	if err != nil {
		return nil
	}
	var e cacheEntry
	if json.Unmarshal(b, &e) != nil || e.URL != url || e.Rules != c.sig || (e.ETag == "" && e.LastModified == "") {
		return nil
	}
	return &e
}

// put stores rec's extraction under url with its validators.
func (c *Cache) put(url, etag, lastModified string, rec *output.Record) error {
	if c == nil || etag == "" && lastModified == "" {
		return nil
	}
	fields := output.AppendFields(nil, rec.Fields)
	e := cacheEntry{URL: url, Rules: c.sig, ETag: etag, LastModified: lastModified,
		ContentType: rec.ContentType, Title: rec.Title, Description: rec.Description, Fields: fields}
	b, err := json.Marshal(&e)
	if err != nil {
		return err
	}
	p := c.path(url)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return err
	}
	_, werr := f.Write(b)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), p); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// fields decodes an entry's stored fields into the record's, in rule order.
func (e *cacheEntry) fields(names []string) ([]output.Field, error) {
	if len(names) == 0 {
		return nil, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(e.Fields, &m); err != nil {
		return nil, err
	}
	fs := make([]output.Field, len(names))
	for i, n := range names {
		fs[i].Name = n
		raw, ok := m[n]
		if !ok {
			return nil, errFieldMissing
		}
		if len(raw) > 0 && raw[0] == '[' {
			fs[i].Value.IsList = true
			if err := json.Unmarshal(raw, &fs[i].Value.List); err != nil {
				return nil, err
			}
			continue
		}
		if err := json.Unmarshal(raw, &fs[i].Value.Str); err != nil {
			return nil, err
		}
	}
	return fs, nil
}

var errFieldMissing = errors.New("cached entry lacks a field")
