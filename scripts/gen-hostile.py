#!/usr/bin/env python3
"""Writes tests/hostile/: one file per input format whose every string a page can show
carries attack payloads (script tags, event handlers, javascript:/data: links, SVG onload,
CSS injection, Trojan Source bidi overrides, ANSI escapes, zero-width characters).

Each file is a demo file (public/demo/builds/101 and 106) with every free-text string
poisoned; strings the parsers read as structure (versions, severities, kinds, states,
ids that select a format) keep their values, so each file still parses into findings.
The e2e test tests/e2e/hostile.test.mjs loads them all and checks nothing runs.

    python3 scripts/gen-hostile.py
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEMO = ROOT / "public" / "demo" / "builds"
OUT = ROOT / "tests" / "hostile"

# window.__pwned is the canary: the test asserts it is never set.
PAYLOAD = (
    "<script>window.__pwned='script'</script>"
    "</script><script>window.__pwned='close'</script>"
    "<img src=x onerror=\"window.__pwned='img'\">"
    "<svg onload=\"window.__pwned='svg'\"><circle r=1 /></svg>"
    "\" onmouseover=\"window.__pwned='attr'\" x=\""
    "</style><style>body{display:none!important}</style>"
    "<a href=\"javascript:window.__pwned='href'\">link</a>"
    " [md-link](javascript:window.__pwned='md') ![md-img](data:image/svg+xml,<svg onload=alert(1)>)"
    " [data](data:text/html,<script>window.__pwned='data'</script>)"
    " {{constructor.constructor('window.__pwned=\"tpl\"')()}}"
    " bidi:\u202eexe.txt\u202c zero\u200bwidth\u2060joiner ansi:\u001b[31mred\u001b[0m\u0007"
)

# Keys whose values the parsers treat as structure: left alone so the files still parse.
STRUCTURAL = {
    "$schema", "version", "SchemaVersion", "schemaVersion", "semanticVersion", "level", "kind",
    "baselineState", "Severity", "severity", "ArtifactType", "Class", "Type", "type", "state",
    "status", "Status", "security-severity", "security_severity_level", "scanlens_build",
    "@context", "@id", "uriBaseId", "ecosystem", "dismissed_reason", "confidence", "Confidence",
    "cvss", "epss", "percentile", "score", "V3Score", "time", "timestamp", "CreatedAt",
    "created_at", "updated_at", "fixed_at", "dismissed_at", "published_at", "endTimeUtc",
    "startTimeUtc", "id", "ruleId", "VulnerabilityID", "ID", "rule_id", "cve_id", "ghsa_id",
    "osv", "aliases", "number", "line", "column", "col", "startLine", "endLine", "startColumn",
    "endColumn", "name", "driver", "fix", "versions", "namespace", "dataSource",
    "InstalledVersion", "FixedVersion", "PkgName", "fixed_in", "installed", "ArtifactName",
    "Target", "purl", "html_url", "url", "scanlens_manifest", "language", "vector_string",
    "justification", "vulnerability", "products", "subcomponents", "statements", "impact_statement",
    "path", "Path", "file", "uri", "module", "package", "Namespace", "Version", "CVSS",
}

# Free-text keys that are poisoned even though a parser might look at them.
ALWAYS = {"text", "markdown", "message", "Title", "Description", "title", "description",
          "details", "summary", "help", "fullDescription", "shortDescription", "what", "details",
          "code", "snippet", "References", "references", "Message", "Resolution", "fixed_by"}


def poison(value, key=None):
    if isinstance(value, dict):
        return {k: poison(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [poison(v, key) for v in value]
    if isinstance(value, str) and (key in ALWAYS or key not in STRUCTURAL):
        return value + " " + PAYLOAD
    return value


def hostile_uris(doc):
    """SARIF locations and rule help links pointing at javascript: and data: URLs."""
    if not isinstance(doc, dict):
        return doc
    for run in doc.get("runs", []):
        for rule in run.get("tool", {}).get("driver", {}).get("rules", []):
            rule["helpUri"] = "javascript:window.__pwned='helpUri'"
        for result in run.get("results", []):
            for loc in result.get("locations", []):
                art = loc.get("physicalLocation", {}).get("artifactLocation", {})
                art["uri"] = "javascript:window.__pwned='uri'//<script>x</script>" + art.get("uri", "")
    return doc


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*"):
        old.unlink()
    sources = sorted(p for d in ("101", "106") for p in (DEMO / d).iterdir() if p.name != "scanlens-build.json")
    seen = set()
    for src in sources:
        stem = src.name.split(".")[0].rsplit("-", 1)[0]  # trivy-api -> trivy, codeql-web -> codeql
        if (stem, src.suffix) in seen:
            continue
        seen.add((stem, src.suffix))
        text = src.read_text()
        try:
            doc = json.loads(text)
            doc = hostile_uris(poison(doc))
            body = json.dumps(doc, ensure_ascii=False, indent=1)
        except json.JSONDecodeError:
            # govulncheck streams JSON objects one after another.
            decoder, objs, i = json.JSONDecoder(), [], 0
            while i < len(text):
                while i < len(text) and text[i].isspace():
                    i += 1
                if i >= len(text):
                    break
                obj, i = decoder.raw_decode(text, i)
                objs.append(poison(obj))
            body = "\n".join(json.dumps(o, ensure_ascii=False) for o in objs)
        (OUT / f"hostile-{stem}{src.suffix}").write_text(body + "\n")
    # A build sidecar whose id (a chart label, the builds page) is an attack.
    (OUT / "scanlens-build.json").write_text(json.dumps({
        "scanlens_build": 1, "id": "b1 " + PAYLOAD, "commit": "c0ffee " + PAYLOAD,
        "branch": "main " + PAYLOAD, "time": "2026-12-01T00:00:00Z",
        "url": "javascript:window.__pwned='sidecar'",
    }, ensure_ascii=False, indent=1) + "\n")
    # A policy whose justification is an attack too.
    (OUT / "scanlens.toml").write_text(
        '[gate]\nfail_on = "high"\n\n[[ignore]]\nrule = "G404"\njustification = '
        + json.dumps(PAYLOAD)
        + '\nexpires = "2099-01-01"\n'
    )
    print(f"wrote {len(list(OUT.iterdir()))} files to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
