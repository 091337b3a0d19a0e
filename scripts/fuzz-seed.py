#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ from ../shared/fixtures (by their index.json format tag) and
from the repository's own fixtures. The corpora are generated, never committed."""
import json
import shutil
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
shared = Path(sys.argv[1])
own = root / "crates" / "core" / "tests" / "fixtures"
demo = root / "public" / "demo"
corpus = root / "fuzz" / "corpus"

by_tag = {
    "sarif": ["sarif"], "trivy_json": ["trivy-json"], "trivy_k8s": ["trivy-k8s-json"],
    "trivy_legacy": ["trivy-legacy-json"], "trivy_compliance": ["trivy-compliance-json"],
    "trivy_operator": ["trivy-operator-cr"], "grype": ["grype-json"], "gosec": ["gosec-json"],
    "govulncheck_stream": ["govulncheck-stream", "govulncheck-stream-array-wrapped"],
    "govulncheck_legacy": ["govulncheck-legacy-json"], "dependabot_rest": ["dependabot-rest-alerts"],
    "dependabot_graphql": ["dependabot-graphql"], "code_scanning": ["github-code-scanning-rest-alerts"],
}
by_own = {
    "sarif": ["sarif/*", "misc/bom-runs-null.sarif"], "trivy_json": ["trivy/*", "dedup/trivy-app.json"],
    "trivy_compliance": ["compliance/*"], "grype": ["grype/*", "dedup/grype-app.json"], "gosec": ["gosec/*"],
    "govulncheck_stream": ["govulncheck/*"], "dependabot_rest": ["dependabot/*"],
    "code_scanning": ["code-scanning/*"], "openvex": ["vex/openvex.json"], "cyclonedx_vex": ["vex/cyclonedx-vex.json"],
    "archive": ["archive/*.zip", "archive/*.gz"],
    "text": ["sarif/*", "trivy/*"],
}
index = json.loads((shared / "index.json").read_text())
shutil.rmtree(corpus, ignore_errors=True)
seeded = {}


def seed(target, path):
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, d / path.name.replace(" ", "_"))
    seeded[target] = seeded.get(target, 0) + 1


for entry in index["files"]:
    path = shared / entry["file"]
    seed("ingest", path)
    for target, tags in by_tag.items():
        if entry["format"] in tags:
            seed(target, path)
for target, patterns in by_own.items():
    for pattern in patterns:
        for path in sorted(own.glob(pattern)):
            if path.is_file() and path.suffix != ".py":
                seed(target, path)
                seed("ingest", path)
for path in sorted(demo.glob("builds/10[16]/*")):
    seed("ingest", path)
    if path.name == "scanlens-build.json":
        seed("build_info", path)
    if path.name == "vex.json":
        seed("openvex", path)
seed("policy", demo / "scanlens.toml")
print(" ".join(f"{t}={n}" for t, n in sorted(seeded.items())))
