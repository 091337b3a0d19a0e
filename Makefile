# The two set-up commands (README): each installs whatever is missing first.
PORT ?= 8080
export PORT

.PHONY: serve test fuzz bench bench-browser
serve: ## install what is missing, serve the app on http://127.0.0.1:$(PORT)
	scripts/serve.sh
test: ## install what is missing, run every test layer
	scripts/test.sh

# Not part of `make test`:
fuzz: ## run every fuzz target for FUZZ_SECONDS (default 60) each
	scripts/fuzz.sh
bench: ## ingest throughput against a plain serde parse, ~100 MB seeded inputs
	cargo bench -p scanlens-core --bench ingest
bench-browser: ## the app in headless Chromium on seeded 100 MB / 600 MB / 1M-finding inputs (BENCH_ARGS="--scale 0.1")
	scripts/bench-browser.sh $(BENCH_ARGS)
