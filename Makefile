# trawl's build. `make demo` and `make test` are a new user's two commands.
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT   ?= $(shell git rev-parse --short HEAD 2>/dev/null)
LDFLAGS  := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT)
BIN      := bin/trawl
FUZZTIME ?= 20s

.PHONY: all build test vet corpus lint demo bench bench-peers bench-micro fuzz man clean

all: build

# build is quiet (@) so that `make demo | jq` sees only records.
build:
	@$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) .

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l . | tee /dev/stderr)" || { echo "gofmt: files above need formatting"; exit 1; }

# CORPUS is the module whose ~950 real web pages (test-files/comparison)
# TestStreamCorpus reads from the module cache; it is not in go.mod.
CORPUS := github.com/markusmobius/go-trafilatura@v1.12.2

# test: vet, gofmt, every test under the race detector (which reads every
# fourth corpus page), then the streaming matcher's differential test on the
# whole corpus without it.
test: vet corpus
	$(GO) test -race -count=1 ./...
	$(GO) test -count=1 -run '^TestStreamCorpus$$' ./extract

# corpus: the real pages of the streaming matcher's differential test.
corpus:
	@$(GO) mod download $(CORPUS)

demo: build
	@./$(BIN) demo

BENCHFLAGS ?=

# bench: trawl against the floors on a loopback site (bench/README.md);
# e.g. make bench BENCHFLAGS='-scenario throughput -n 2000'.
bench: build
	$(GO) build -o bin/bench ./bench
	./bin/bench -trawl $(BIN) $(BENCHFLAGS)

# SCRAPY_PYTHON runs the Scrapy peer. Debian's python3-scrapy is installed
# for /usr/bin/python3: a python3 of pyenv or a venv earlier in PATH does not
# see it.
SCRAPY_PYTHON ?= /usr/bin/python3

# bench-peers: the same, and colly (bench/peers is its own module, so colly
# never enters trawl's go.mod) and Scrapy (bench/peers/scrapy/run.py; Debian's
# python3-scrapy is installed when SCRAPY_PYTHON cannot import scrapy, with
# sudo unless root, and apt-get update only when the install fails without it).
bench-peers: build
	$(GO) build -o bin/bench ./bench
	cd bench/peers && $(GO) build -o ../../bin/colly-bench .
	@if ! $(SCRAPY_PYTHON) -c 'import scrapy' 2>/dev/null; then \
	  sudo=; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  echo "bench-peers: $(SCRAPY_PYTHON) cannot import scrapy: installing Debian's python3-scrapy"; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y python3-scrapy || \
	  { $$sudo apt-get update && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y python3-scrapy; } || exit 1; \
	fi
	./bin/bench -trawl $(BIN) -colly bin/colly-bench -scrapy '$(SCRAPY_PYTHON) bench/peers/scrapy/run.py' $(BENCHFLAGS)

# bench-micro: the Go micro-benchmarks of the packages.
bench-micro:
	$(GO) test -run '^$$' -bench . -benchmem ./extract ./output ./charset ./input

# fuzz: every fuzz target of every package for FUZZTIME each (go test -fuzz
# takes one target at a time); the list is read from the tests, so a new
# target is never left out.
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; \
	    $(GO) test $$pkg -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) || exit 1; \
	  done; \
	done

clean:
	rm -rf bin

# lint: staticcheck (downloaded through the module proxy on first use).
lint:
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.6.1 ./...

# man: man pages from the commands' help (cobra's doc package).
man:
	$(GO) run ./internal/mangen man
