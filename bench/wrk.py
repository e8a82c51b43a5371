"""Helpers of bench/run.sh: run wrk against a list of pages, and print the report.

    python bench/wrk.py measure --results FILE --label sqlite/2000 --base URL \
        --cookie SESSIONID --duration 10 --connections 16 NAME=PATH[@auth] ...
    python bench/wrk.py report FILE

`measure` appends one tab-separated row per page to FILE: label, page, requests/s,
p50 ms, p99 ms, errors (socket errors and non-2xx/3xx responses), response bytes, HTTP status.
`report` prints the table per run with the ratio to the bare view, then the issue's targets.
No Django here: this runs beside the servers, not in them.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

BARE = "bare view"
DATASETTE = "datasette projects.json"
API_LIST = "/api/governance/referrals"
# The open-data API's project list: the same rows as Datasette's projects table, 50 a page.
OPEN_API_LIST = "/api/v1/projects"
# The targets: the share of the bare view each kind of page must reach. Signed-in
# lists and pages: the portfolio, a project, a municipality, and the desk's other lists and
# case pages as they came (0.15); since session 7 also the trash, the history pages and the
# new-hearing form, kept for the session like the rest.
SIGNED_IN = {
    "/projects/",
    "a project page",
    "/municipalities/3905/",
    "a case page",
    "/reports/",
    "/networks/",
    "a network page",
    "library search",
    "/hearings/ (the desk)",
    "/trash/",
    "/hearings/new/",
    "a case's history page",
    "a project's history page",
}
OVERVIEWS = {"/overview/timeline/", "/overview/matrix/", "/overview/money/", "/governance/"}
# The public portal's list, a project page and the widget (issue 18): 0.35 of bare as well.
PORTAL = {
    "/portal/projects/",
    "a portal project page",
    "/embed/municipality/3905/",
    "/embed/municipality/3905.json",
}
# Every public page, widget and API list (and the desk's own API lists): 0.35.
PUBLIC = {
    "front page",
    API_LIST,
    OPEN_API_LIST,
    "/api/v1/projects/{id}",
    "/api/v1/council-decisions",
    "/api/v1/cases",
    "/api/v1/networks",
    "/api/v1/network-documents",
    "/api/networks/documents",
    "a project feed",
    "/portal/municipalities/3905/",
    "/portal/hearings/",
    "a public hearing page",
    "the widget's comment form",
    "/portal/networks/",
    "a portal network page",
    "follow a municipality's hearings",
    "the widget's follow form",
} | PORTAL


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse(output: str) -> tuple[float, float, float, int]:
    """Requests/s, p50 ms, p99 ms and errors from wrk --latency output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = re.search(r"\s50%\s+([\d.]+\w+)", output)
    p99 = re.search(r"\s99%\s+([\d.]+\w+)", output)
    errors = 0
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non2xx:
        errors += int(non2xx.group(1))
    sock = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if sock:
        errors += sum(int(n) for n in sock.groups())
    return (
        rps,
        _ms(p50.group(1)) if p50 else float("nan"),
        _ms(p99.group(1)) if p99 else float("nan"),
        errors,
    )


def probe(url: str, cookie: str | None) -> tuple[int, int]:
    """One request outside wrk: the status and the size of the body in bytes."""
    request = urllib.request.Request(url)
    if cookie:
        request.add_header("Cookie", f"sessionid={cookie}")
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, len(exc.read())


def _drain(bare: str) -> None:
    """Wait until the workers have worked off what wrk left queued (at most 10 minutes)."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        started = time.monotonic()
        probe(bare, None)
        if time.monotonic() - started < 0.2:
            return


def measure(args: argparse.Namespace) -> None:
    with open(args.results, "a") as out:
        for spec in args.pages:
            name, _, path = spec.partition("=")
            auth = path.endswith("@auth")
            path = path.removesuffix("@auth")
            url = (path if path.startswith("http") else args.base + path).replace(" ", "%20")
            cookie = args.cookie if auth else None
            status, size = probe(url, cookie)
            command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
            command += ["--timeout", "30s"]
            if cookie:
                command += ["-H", f"Cookie: sessionid={cookie}"]
            run = subprocess.run([*command, url], capture_output=True, text=True, check=False)
            _drain(args.base + "/bench/bare/")
            rps, p50, p99, errors = parse(run.stdout)
            if status >= 400:
                errors = max(errors, 1)
            row = [args.label, name, f"{rps:.1f}", f"{p50:.1f}", f"{p99:.1f}", str(errors)]
            out.write("\t".join([*row, str(size), str(status)]) + "\n")
            out.flush()
            print(
                f"  {name:28} {rps:9.1f} req/s  p50 {p50:8.1f} ms  p99 {p99:8.1f} ms"
                f"  errors {errors:5d}  {size:9d} B  HTTP {status}",
                flush=True,
            )


def _rows(path: Path) -> dict[str, dict[str, list[str]]]:
    runs: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for line in path.read_text().splitlines():
        cells = line.split("\t")
        runs[cells[0]][cells[1]] = cells[2:]
    return runs


def _verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("PASS" if ok else "FALLS SHORT")


def report(args: argparse.Namespace) -> None:
    runs = _rows(Path(args.results))
    targets: list[tuple[str, str, str]] = []
    smallest_size: dict[tuple[str, str], int] = {}
    for label, pages in runs.items():
        bare = float(pages.get(BARE, ["nan"])[0])
        print(f"\n{label}: bare view {bare:.0f} req/s")
        print(
            "| page | req/s | ratio to bare | p50 ms | p99 ms | errors | bytes | HTTP |\n"
            "|---|---:|---:|---:|---:|---:|---:|---:|"
        )
        for page, (rps, p50, p99, errors, size, status) in pages.items():
            if page.startswith("export_overview"):
                seconds = float(rps)
                ok = None if seconds != seconds else seconds < 10  # nan: the export failed
                name = page.removesuffix(" (s)")
                shown = "failed" if ok is None else f"{seconds:.1f} s"
                targets.append((label, f"{name} < 10 s", f"{shown}: {_verdict(ok)}"))
                continue
            ratio = float(rps) / bare if bare else float("nan")
            print(
                f"| {page} | {float(rps):.1f} | {ratio:.3f} | {p50} | {p99} | {errors} "
                f"| {size} | {status} |"
            )
            if page in SIGNED_IN | OVERVIEWS | PUBLIC:
                floor = 0.15 if page in SIGNED_IN else 0.05 if page in OVERVIEWS else 0.35
                ok = ratio >= floor and int(errors) == 0
                targets.append((label, f"{page} ≥ {floor} of bare", f"{ratio:.3f}: {_verdict(ok)}"))
            if page in OVERVIEWS:
                db = label.split("/")[0]
                first = smallest_size.setdefault((db, page), int(size))
                ok = int(size) <= max(2 * first, 200_000)
                targets.append(
                    (label, f"{page} response bounded", f"{int(size)} B: {_verdict(ok)}")
                )
        if DATASETTE in pages and OPEN_API_LIST in pages:
            # Issue 16's "API project list": the open-data project list, the same rows as
            # Datasette's projects table.
            times = float(pages[OPEN_API_LIST][0]) / float(pages[DATASETTE][0])
            targets.append(
                (
                    label,
                    "API project list ≥ 3 × Datasette",
                    f"{times:.2f} ×: {_verdict(times >= 3)}",
                )
            )
        if DATASETTE in pages and API_LIST in pages:
            times = float(pages[API_LIST][0]) / float(pages[DATASETTE][0])
            targets.append((label, "desk referral API vs Datasette", f"{times:.2f} ×"))
        if "64 connections, 60 s" in pages:
            errors = int(pages["64 connections, 60 s"][3])
            targets.append(
                (label, "0 errors at 64 connections", f"{errors}: {_verdict(not errors)}")
            )
    print("\nTargets of issue 16")
    for label, target, verdict in targets:
        print(f"  {label:14} {target:44} {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("measure")
    m.add_argument("--results", required=True)
    m.add_argument("--label", required=True)
    m.add_argument("--base", required=True)
    m.add_argument("--cookie")
    m.add_argument("--duration", type=int, default=10)
    m.add_argument("--connections", type=int, default=16)
    m.add_argument("pages", nargs="+")
    r = sub.add_parser("report")
    r.add_argument("results")
    args = parser.parse_args()
    {"measure": measure, "report": report}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
