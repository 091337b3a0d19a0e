#!/usr/bin/env python3
"""Writes the built-in demo dataset (public/demo/) that `?demo` opens: written by the team,
deterministic, no data copied from anywhere.

Acme Shop has three components: the API image (Go), the web image (TypeScript) and the Helm
chart. Six CI builds over three weeks, every supported format, and a story the trend shows:

  build 101  2026-03-02  FAIL  a critical in the API image (Trivy and Grype), XSS in the web app
  build 102  2026-03-05  FAIL  the critical is still there; the chart gains a privileged container
  build 103  2026-03-09  PASS  base images rebuilt: the critical is fixed; the weak random number
                               generator (high) is an accepted risk the policy ignores until June 2027
  build 104  2026-03-12  PASS  only medium and low findings left
  build 105  2026-03-16  FAIL  a new high in the web app's dependencies (Dependabot and Trivy)
  build 106  2026-03-20  PASS  a VEX statement declares the web app not affected by it

    python3 scripts/gen-demo.py
"""
import json
from pathlib import Path

out = Path(__file__).resolve().parent.parent / "public" / "demo"
BUILDS = [
    (101, "2026-03-02T09:12:00Z", "3f2a9c1"),
    (102, "2026-03-05T10:40:00Z", "8b41d07"),
    (103, "2026-03-09T08:05:00Z", "c19e5aa"),
    (104, "2026-03-12T15:22:00Z", "d7730be"),
    (105, "2026-03-16T11:48:00Z", "e02f6c3"),
    (106, "2026-03-20T09:30:00Z", "f5a81d2"),
]


def write(path, doc, pretty=True):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2 if pretty else None) + "\n")


def trivy_vuln(cve, pkg, version, fixed, severity, title, status="fixed", cwe=None):
    v = {"VulnerabilityID": cve, "PkgName": pkg, "InstalledVersion": version, "FixedVersion": fixed, "Status": status,
         "Severity": severity, "SeveritySource": "nvd", "PrimaryURL": f"https://avd.aquasec.com/nvd/{cve.lower()}",
         "Title": title, "Description": f"{title}. Upgrade {pkg} to {fixed}."}
    if cwe:
        v["CweIDs"] = [cwe]
    return v


def build(n, time, commit):
    i = [b[0] for b in BUILDS].index(n)
    d = out / "builds" / str(n)
    files = []

    def add(name, doc, pretty=True):
        write(d / name, doc, pretty)
        files.append(f"builds/{n}/{name}")

    add("scanlens-build.json", {"scanlens_build": 1, "id": str(n), "commit": commit, "branch": "main", "time": time,
                                "url": f"https://ci.example/acme/shop/runs/{n}"})

    # --- shop-api: Trivy image scan, Grype of the same image, gosec, govulncheck ---
    api_vulns = []
    if i < 2:
        api_vulns.append(trivy_vuln("CVE-2026-10001", "libxml2", "2.11.4-r0", "2.11.7-r0", "CRITICAL", "libxml2: use-after-free in xmlSchemaValidate", cwe="CWE-416"))
    api_vulns.append(trivy_vuln("CVE-2025-20002", "busybox", "1.36.1-r2", "1.36.1-r5", "MEDIUM", "busybox: out-of-bounds read in awk", cwe="CWE-125"))
    if i < 4:
        api_vulns.append(trivy_vuln("CVE-2025-20003", "zlib", "1.3-r2", "1.3.1-r0", "LOW", "zlib: integer overflow in inflate"))
    add("trivy-api.json", {
        "SchemaVersion": 2, "CreatedAt": time, "ArtifactName": f"ghcr.io/acme/shop-api:{n}", "ArtifactType": "container_image",
        "Trivy": {"Version": "0.69.1"},
        "Metadata": {"ImageID": f"sha256:{n:064x}", "RepoDigests": [f"ghcr.io/acme/shop-api@sha256:{n * 7:064x}"], "RepoTags": [f"ghcr.io/acme/shop-api:{n}"]},
        "Results": [{"Target": f"ghcr.io/acme/shop-api:{n} (alpine 3.19.1)", "Class": "os-pkgs", "Type": "alpine", "Vulnerabilities": api_vulns}],
    })
    grype_matches = [{
        "vulnerability": {"id": v["VulnerabilityID"], "severity": v["Severity"].capitalize(), "namespace": "alpine:distro:alpine:3.19",
                          "fix": {"versions": [v["FixedVersion"]], "state": "fixed"}, "urls": [v["PrimaryURL"]]},
        "relatedVulnerabilities": [], "artifact": {"name": v["PkgName"], "version": v["InstalledVersion"], "type": "apk",
                                                    "locations": [{"path": "/lib/apk/db/installed"}]},
    } for v in api_vulns]
    add("grype-api.json", {"matches": grype_matches, "source": {"type": "image", "target": {"userInput": f"ghcr.io/acme/shop-api:{n}"}},
                           "descriptor": {"name": "grype", "version": "0.94.0", "timestamp": time}})
    issues = [{"severity": "MEDIUM", "confidence": "HIGH", "cwe": {"id": "22"}, "rule_id": "G304", "details": "Potential file inclusion via variable",
               "file": "/src/shop-api/internal/export/files.go", "code": f"{40 + i}: f, err := os.Open(path)\n", "line": str(40 + i), "column": "12", "nosec": False}]
    if i < 3:
        issues.append({"severity": "HIGH", "confidence": "MEDIUM", "cwe": {"id": "338"}, "rule_id": "G404", "details": "Use of weak random number generator",
                       "file": "/src/shop-api/internal/token/token.go", "code": "18: n := rand.Intn(1 << 30)\n", "line": "18", "column": "7", "nosec": False})
    issues.append({"severity": "LOW", "confidence": "HIGH", "cwe": {"id": "703"}, "rule_id": "G104", "details": "Errors unhandled",
                   "file": "/src/shop-api/cmd/server/main.go", "code": "77: srv.Close()\n", "line": "77", "column": "2", "nosec": False,
                   "suppressions": [{"kind": "inSource", "justification": "best-effort close on shutdown"}]})
    add("gosec-api.json", {"Golang errors": {}, "GosecVersion": "2.21.4", "Issues": issues, "Stats": {"files": 42, "lines": 5120, "nosec": 1, "found": len(issues)}})
    stream = [
        {"config": {"protocol_version": "v1.0.0", "scanner_name": "govulncheck", "scanner_version": "v1.1.4", "go_version": "go1.22.5", "scan_level": "symbol"}},
        {"SBOM": {"go_version": "go1.22.5", "modules": [{"path": "github.com/acme/shop-api"}, {"path": "golang.org/x/net", "version": "v0.26.0"}]}},
        {"osv": {"id": "GO-2026-3001", "aliases": ["CVE-2026-30010"], "summary": "Excessive memory use in golang.org/x/net/html", "database_specific": {"url": "https://pkg.go.dev/vuln/GO-2026-3001"}}},
        {"finding": {"osv": "GO-2026-3001", "fixed_version": "v0.27.0", "trace": [{"module": "golang.org/x/net", "version": "v0.26.0", "package": "golang.org/x/net/html"}]}},
    ]
    d.mkdir(parents=True, exist_ok=True)
    (d / "govulncheck-api.json").write_text("".join(json.dumps(m, indent=2) + "\n" for m in stream))
    files.append(f"builds/{n}/govulncheck-api.json")

    # --- shop-web: CodeQL and Semgrep SARIF, Trivy image, Dependabot alerts ---
    codeql_results = []
    if i < 2:
        codeql_results.append({"ruleId": "js/reflected-xss", "ruleIndex": 0, "message": {"text": "Cross-site scripting vulnerability due to a [user-provided value](1)."},
                               "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/routes/search.ts", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 31, "startColumn": 9}}}],
                               "partialFingerprints": {"primaryLocationLineHash": "a1b2c3d4e5f60718:1"}})
    codeql_results.append({"ruleId": "js/missing-rate-limiting", "ruleIndex": 1, "message": {"text": "This route handler performs a database access, but is not rate-limited."},
                           "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/routes/orders.ts", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 12 + i, "startColumn": 3}}}],
                           "partialFingerprints": {"primaryLocationLineHash": "0f1e2d3c4b5a6978:1"}})
    add("codeql-web.sarif", {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "CodeQL", "semanticVersion": "2.19.3", "rules": [
            {"id": "js/reflected-xss", "shortDescription": {"text": "Reflected cross-site scripting"}, "defaultConfiguration": {"level": "error"},
             "help": {"text": "Escape user input before writing it to a page.", "markdown": "Escape user input before writing it to a page. See [OWASP XSS](https://owasp.org/www-community/attacks/xss/)."},
             "properties": {"security-severity": "6.1", "tags": ["security", "external/cwe/cwe-079", "external/cwe/cwe-116"]}},
            {"id": "js/missing-rate-limiting", "shortDescription": {"text": "Missing rate limiting"}, "defaultConfiguration": {"level": "warning"},
             "properties": {"security-severity": "5.3", "tags": ["security", "external/cwe/cwe-770", "external/cwe/cwe-307"]}},
        ]}},
        "automationDetails": {"id": "/language:javascript-typescript/"},
        "invocations": [{"executionSuccessful": True, "endTimeUtc": time}],
        "results": codeql_results}]})
    add("semgrep-web.sarif", {"version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "Semgrep OSS", "semanticVersion": "1.96.0", "rules": [
            {"id": "javascript.express.security.cors-misconfiguration", "shortDescription": {"text": "CORS allows any origin"},
             "defaultConfiguration": {"level": "warning"}, "properties": {"security-severity": "MEDIUM", "tags": ["CWE-346", "OWASP-A05:2021-Security Misconfiguration"]}}]}},
        "results": [{"ruleId": "javascript.express.security.cors-misconfiguration", "message": {"text": "origin: '*' allows any site to read responses."},
                     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/server.ts"}, "region": {"startLine": 8, "snippet": {"text": "app.use(cors({ origin: '*' }))"}}}}],
                     "fingerprints": {"matchBasedId/v1": "9d3f6c1b8a7e5d2c0b9a8f7e6d5c4b3a"}}]}]})
    web_vulns = [trivy_vuln("CVE-2025-20004", "openssl", "3.1.4-r5", "3.1.6-r0", "MEDIUM", "openssl: excessive time checking DH keys")]
    if i >= 4:
        web_vulns.append(trivy_vuln("CVE-2026-20005", "semver", "7.5.1", "7.5.4", "HIGH", "semver: regular expression denial of service", cwe="CWE-1333"))
    add("trivy-web.json", {"SchemaVersion": 2, "CreatedAt": time, "ArtifactName": f"ghcr.io/acme/shop-web:{n}", "ArtifactType": "container_image",
                           "Results": [{"Target": "app/package-lock.json", "Class": "lang-pkgs", "Type": "npm", "Vulnerabilities": [v for v in web_vulns if v["PkgName"] == "semver"]},
                                       {"Target": f"ghcr.io/acme/shop-web:{n} (alpine 3.19.1)", "Class": "os-pkgs", "Type": "alpine", "Vulnerabilities": [v for v in web_vulns if v["PkgName"] != "semver"]}]})
    alerts = [{"number": 7, "state": "fixed" if i >= 2 else "open", "url": "https://api.github.com/repos/acme/shop-web/dependabot/alerts/7",
               "html_url": "https://github.com/acme/shop-web/security/dependabot/7",
               "dependency": {"package": {"ecosystem": "npm", "name": "cookie"}, "manifest_path": "app/package-lock.json", "scope": "runtime", "relationship": "transitive"},
               "security_advisory": {"ghsa_id": "GHSA-pxg6-pf52-xh8x", "cve_id": "CVE-2024-47764", "summary": "cookie accepts cookie name, path, and domain with out of bounds characters",
                                     "severity": "low", "cwes": [{"cwe_id": "CWE-74", "name": "Injection"}], "identifiers": []},
               "security_vulnerability": {"package": {"ecosystem": "npm", "name": "cookie"}, "severity": "low", "vulnerable_version_range": "< 0.7.0", "first_patched_version": {"identifier": "0.7.0"}},
               "created_at": "2026-02-20T10:00:00Z", "fixed_at": BUILDS[2][1] if i >= 2 else None}]
    if i >= 4:
        alerts.append({"number": 9, "state": "open", "url": "https://api.github.com/repos/acme/shop-web/dependabot/alerts/9",
                       "dependency": {"package": {"ecosystem": "npm", "name": "semver"}, "manifest_path": "app/package-lock.json", "scope": "runtime", "relationship": "direct"},
                       "security_advisory": {"ghsa_id": "GHSA-c2qf-rxjj-qqgw", "cve_id": "CVE-2026-20005", "summary": "semver vulnerable to Regular Expression Denial of Service",
                                             "severity": "high", "cwes": [{"cwe_id": "CWE-1333"}], "identifiers": []},
                       "security_vulnerability": {"package": {"ecosystem": "npm", "name": "semver"}, "severity": "high", "vulnerable_version_range": "< 7.5.4", "first_patched_version": {"identifier": "7.5.4"}},
                       "created_at": BUILDS[4][1]})
    add("dependabot-web.json", alerts)

    # --- shop-chart: Trivy config scan of the Helm chart, code-scanning alerts of the repo ---
    misconfigs = [{"ID": "KSV-0001", "Title": "Can elevate its own privileges", "Severity": "MEDIUM", "Status": "FAIL",
                   "Message": "Container 'web' of Deployment 'shop-web' should set 'securityContext.allowPrivilegeEscalation' to false",
                   "Resolution": "Set 'containers[].securityContext.allowPrivilegeEscalation' to 'false'.", "CauseMetadata": {"Resource": "Deployment/shop-web", "StartLine": 21, "EndLine": 30}},
                  {"ID": "KSV-0012", "Title": "Runs as root user", "Severity": "MEDIUM", "Status": "PASS"}]
    if i == 1:
        misconfigs.append({"ID": "KSV-0017", "Title": "Privileged container", "Severity": "HIGH", "Status": "FAIL",
                           "Message": "Container 'api' of Deployment 'shop-api' should set 'securityContext.privileged' to false",
                           "CauseMetadata": {"Resource": "Deployment/shop-api", "StartLine": 44, "EndLine": 52}})
    add("trivy-chart.json", {"SchemaVersion": 2, "CreatedAt": time, "ArtifactName": "charts/shop", "ArtifactType": "filesystem",
                             "Results": [{"Target": "charts/shop/templates/deployment.yaml", "Class": "config", "Type": "helm", "Misconfigurations": misconfigs}]})
    add("code-scanning-chart.json", [{"number": 3, "state": "dismissed" if i >= 3 else "open", "url": "https://api.github.com/repos/acme/shop-chart/code-scanning/alerts/3",
                                      "dismissed_reason": "won't fix" if i >= 3 else None, "dismissed_comment": "runner is ephemeral" if i >= 3 else None,
                                      "rule": {"id": "actions/untrusted-checkout/medium", "severity": "warning", "security_severity_level": "medium",
                                               "description": "Checkout of untrusted code in a privileged context", "tags": ["external/cwe/cwe-829", "security"]},
                                      "tool": {"name": "CodeQL", "version": "2.19.3"},
                                      "most_recent_instance": {"ref": "refs/heads/main", "category": "/language:actions", "message": {"text": "Potential unsafe checkout of untrusted pull request."},
                                                               "location": {"path": ".github/workflows/release.yml", "start_line": 14, "end_line": 14}},
                                      "created_at": "2026-02-27T09:00:00Z"}])
    if n == 106:
        add("vex.json", {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://acme.example/vex/shop-web-106", "author": "Acme Security",
                         "timestamp": time, "version": 1,
                         "statements": [{"vulnerability": {"name": "CVE-2026-20005"}, "products": [{"@id": "pkg:oci/shop-web"}],
                                         "subcomponents": [{"@id": "pkg:npm/semver"}], "status": "not_affected",
                                         "justification": "vulnerable_code_not_in_execute_path",
                                         "impact_statement": "semver ranges are only parsed from our own lock file"}]})
    return files


manifest = {"scanlens_manifest": 1, "title": "Acme Shop (scanlens demo)", "policy": "scanlens.toml", "builds": []}
for n, time, commit in BUILDS:
    manifest["builds"].append({"id": str(n), "time": time, "commit": commit, "artifacts": build(n, time, commit)})
write(out / "index.json", manifest)
(out / "scanlens.toml").write_text('''# The demo's policy: how Acme maps scans to components, and one accepted risk.
[gate]
fail_on = "high"

[[component]]
name = "shop-api"
image = "ghcr.io/acme/shop-api*"

[[component]]
name = "shop-api"
artifact = "**/*-api.*"

[[component]]
name = "shop-web"
image = "ghcr.io/acme/shop-web*"

[[component]]
name = "shop-web"
artifact = "**/*-web.*"

[[component]]
name = "shop-chart"
artifact = "**/*-chart.*"

[[ignore]]
rule = "G404"
component = "shop-api"
justification = "token ids are not secrets; replaced by crypto/rand in ticket SHOP-412"
expires = "2027-06-30"
''')
print(f"wrote {out}")
