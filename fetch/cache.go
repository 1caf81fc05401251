package fetch

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
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
	dir    string
	schema *output.Schema
	// sig identifies the extraction settings: entries stored under other
	// settings are not used, since what they repeat would not match.
	sig string
}

// cacheEntry is the stored form of one URL. Record is the record's cached
// keys, as output.Schema writes them.
type cacheEntry struct {
	URL          string          `json:"url"`
	Settings     string          `json:"settings"`
	ETag         string          `json:"etag,omitempty"`
	LastModified string          `json:"last_modified,omitempty"`
	Record       json.RawMessage `json:"record"`
}

// OpenCache opens (creating) the cache in dir for records of schema, made
// under the extraction settings (rules and the like, in a fixed order).
func OpenCache(dir string, schema *output.Schema, settings []string) (*Cache, error) {
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
	for _, r := range settings {
		h.Write([]byte(r))
		h.Write([]byte{0})
	}
	return &Cache{dir: dir, schema: schema, sig: hex.EncodeToString(h.Sum(nil))[:16]}, nil
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
	if json.Unmarshal(b, &e) != nil || e.URL != url || e.Settings != c.sig || (e.ETag == "" && e.LastModified == "") {
		return nil
	}
	return &e
}

// repeat fills rec from a cache entry after a 304, reporting whether the
// entry was usable.
func (c *Cache) repeat(e *cacheEntry, rec *output.Record) bool {
	if c == nil || e == nil {
		return false
	}
	var r output.Record
	if c.schema.DecodeCached(e.Record, &r) != nil {
		return false
	}
	rec.ContentType, rec.Title, rec.Description = r.ContentType, r.Title, r.Description
	rec.Fields, rec.Extracted, rec.Links = r.Fields, r.Extracted, r.Links
	return true
}

// put stores rec's extraction under url with the response's validators.
func (c *Cache) put(url string, h http.Header, rec *output.Record) error {
	if c == nil {
		return nil
	}
	etag, lastModified := h.Get("ETag"), h.Get("Last-Modified")
	if etag == "" && lastModified == "" {
		return nil
	}
	e := cacheEntry{URL: url, Settings: c.sig, ETag: etag, LastModified: lastModified,
		Record: c.schema.AppendCached(nil, rec)}
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
