# The two set-up commands (README): each installs whatever is missing first.
PORT ?= 8080
export PORT

.PHONY: serve test
serve: ## install what is missing, serve the app on http://127.0.0.1:$(PORT)
	scripts/serve.sh
test: ## install what is missing, run every test layer
	scripts/test.sh
