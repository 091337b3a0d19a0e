#!/usr/bin/env python3
"""Writes scanlens's own mapping tables (crates/core/data/) from the facts in ../shared/mappings.

    python3 scripts/gen-mappings.py [SHARED_MAPPINGS_DIR]

The tables are plain tab-separated text, one line per category or control, so a change shows
as a readable diff. crates/core/tests/compliance.rs checks every entry against the facts.
"""
import json
import sys
from pathlib import Path

import yaml

root = Path(__file__).resolve().parent.parent
shared = Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared" / "mappings"
out = root / "crates" / "core" / "data"


def clean(text):
    return " ".join(str(text or "").split())


for year in ("2021", "2025"):
    facts = json.loads((shared / f"owasp-top10-{year}-cwe.json").read_text())
    lines = [
        f"# OWASP Top 10 {year}: category, name, mapped CWE numbers.",
        f"# From {facts['source']['repository']} @ {facts['source']['commit']} (see ../shared/mappings/SOURCES.md).",
    ]
    for c in facts["categories"]:
        cwes = " ".join(str(int(w["id"].split("-")[1])) for w in c["cwes"])
        lines.append(f"{c['id']}\t{c['name']}\t{cwes}")
    (out / f"owasp-top10-{year}.tsv").write_text("\n".join(lines) + "\n")

specs = json.loads((shared / "trivy-compliance-specs.json").read_text())
for spec in specs["specs"]:
    doc = yaml.safe_load((shared / "trivy-compliance" / "current" / f"{spec['id']}.yaml").read_text())["spec"]
    descriptions = [clean(c.get("description")) for c in doc["controls"]]
    lines = [
        f"# {spec['id']}: {spec['title']}",
        f"# From {spec['source']} (see ../shared/mappings/SOURCES.md).",
        "# control id, severity, checks (canonical ids, '-' for none), flags (manual, default=FAIL), name, description",
        f"spec\t{spec['id']}\t{spec['title']}",
    ]
    for control, description in zip(spec["controls"], descriptions):
        flags = []
        if control["manual"] or control["no_automated_check"]:
            flags.append("manual")
        if control.get("defaultStatus"):
            flags.append(f"default={control['defaultStatus']}")
        checks = " ".join(control["checks"]) or "-"
        lines.append("\t".join([control["id"], control["severity"], checks, ",".join(flags) or "-", clean(control["name"]), description or "-"]))
    (out / "compliance" / f"{spec['id']}.tsv").write_text("\n".join(lines) + "\n")
print(f"wrote {out}")
