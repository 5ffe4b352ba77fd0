"""Queries every PromQL expression of odestream's rules and dashboard through a running Prometheus.

usage: query_expressions.py PROMETHEUS_URL DASHBOARD_JSON

The rules come from Prometheus itself (/api/v1/rules), so they are exactly what it loaded from alerts.yml. Each
recording rule's expression is queried, and for each alert ("signal op threshold") its signal. Dashboard
expressions are queried with Grafana's $__rate_interval set to 1m. An expression whose result is empty, or only
NaN, has no data. Exit status 0 when every expression has data, 1 otherwise.
"""
import json
import math
import re
import sys
import urllib.parse
import urllib.request

ALERT = re.compile(r"^(?P<signal>.+?)\s*(==|!=|>=|<=|>|<)\s*-?[0-9.eE+]+$", re.S)
GRAFANA = {"$__rate_interval": "1m", "$__interval": "15s", "$__range": "5m"}


def get(base, path, **params):
    url = base + path + ("?" + urllib.parse.urlencode(params) if params else "")
    with urllib.request.urlopen(url, timeout=30) as response:
        body = json.load(response)
    if body.get("status") != "success":
        raise RuntimeError(f"{path}: {body}")
    return body["data"]


def rule_expressions(base):
    checks, unhealthy = [], []
    for group in get(base, "/api/v1/rules")["groups"]:
        for rule in group["rules"]:
            if rule.get("health") not in ("ok", "unknown"):
                unhealthy.append(f"{rule['name']}: {rule.get('health')} {rule.get('lastError', '')}")
            if rule["type"] == "recording":
                checks.append((f"rule {rule['name']}", rule["query"]))
                continue
            match = ALERT.match(rule["query"])
            if not match:
                raise SystemExit(f"alert {rule['name']} is not 'signal op threshold': {rule['query']}")
            checks.append((f"alert {rule['name']}", match.group("signal")))
    return checks, unhealthy


def dashboard_expressions(path):
    with open(path, encoding="utf-8") as f:
        dashboard = json.load(f)
    checks = []
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            expr = target["expr"]
            for name, value in GRAFANA.items():
                expr = expr.replace(name, value)
            checks.append((f"panel '{panel['title']}'", expr))
    return checks


def has_data(result):
    def finite(v):
        return not math.isnan(float(v[1]))
    if result["resultType"] in ("scalar", "string"):
        return finite(result["result"])
    return any(finite(series["value"]) for series in result["result"])


def main(base, dashboard):
    rules, unhealthy = rule_expressions(base)
    checks = rules + dashboard_expressions(dashboard)
    missing = []
    for where, expr in checks:
        data = has_data(get(base, "/api/v1/query", query=expr))
        print(f"{'data   ' if data else 'NO DATA'}  {where}: {' '.join(expr.split())}")
        if not data:
            missing.append(where)
    for line in unhealthy:
        print(f"UNHEALTHY rule {line}")
    print(f"check: {len(checks) - len(missing)} of {len(checks)} expressions returned data"
          + (f"; {len(unhealthy)} rules unhealthy" if unhealthy else ""))
    return 0 if not missing and not unhealthy else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1].rstrip("/"), sys.argv[2]))
