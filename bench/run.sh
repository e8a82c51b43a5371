#!/usr/bin/env bash
# The yardstick of issue 16: every page's throughput as a share of a bare Django view served
# by the same gunicorn processes in the same run, on SQLite and PostgreSQL, at several sizes.
#
#   bench/run.sh                 # 69 (the demo) and 2,000 projects
#   bench/run.sh 69 2000 20000   # choose sizes
#   LONG=1 bench/run.sh 2000     # also 64 connections for 60 s on /projects/ (the error check)
#   DBS=sqlite bench/run.sh      # one database only (default: "sqlite postgres")
#   REBUILD=1 bench/run.sh       # build the data sets again (default: reuse var/bench/)
#   APPEND=1 bench/run.sh 20000  # add to the results of an earlier run
#
# Knobs: DURATION (s per page, default 10), CONNECTIONS (default 16), WORKERS (default 2),
# PG_URL (default postgres://postgres@127.0.0.1:5432; databases bench_pg_<size>).
# Results: var/bench/results.tsv, then the report (bench/wrk.py report) with the targets.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SIZES=("${@:-69 2000}")
read -r -a SIZES <<<"${SIZES[*]}"
DBS=${DBS:-sqlite postgres}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
WORKERS=${WORKERS:-2}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
PORT=${PORT:-8911}
DS_PORT=${DS_PORT:-8912}
OUT=$ROOT/var/bench
mkdir -p "$OUT"
RESULTS=$OUT/results.tsv
[ -n "${APPEND:-}" ] || : >"$RESULTS"
UV=$(command -v uv || echo /work/main/.tools/bin/uv)
PY=$ROOT/.venv/bin/python
export SAMARBEID_ALLOW_DEV_SECRET=1 SECRET_KEY=bench-not-secret-$RANDOM$RANDOM$RANDOM DEBUG=0
export ALLOWED_HOSTS=127.0.0.1 SAMARBEID_BENCH=1 SECURE_COOKIES=0
# Connections kept open between requests, as docs/deployment.md sets for production: with 0,
# every request to a page (not the bare view, which reads nothing) opens a new connection.
export CONN_MAX_AGE=${CONN_MAX_AGE:-60}

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -qq wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
  else
    echo "wrk is missing: apt-get install wrk" >&2; exit 1
  fi
fi
[ -x .venv/bin/gunicorn ] || "$UV" sync --frozen
[ -x .venv/bin/datasette ] \
  || "$UV" sync --frozen --group bench --inexact >/dev/null
DATASETTE=(.venv/bin/datasette)

# Bytecode once: with PYTHONDONTWRITEBYTECODE set (as here) every command would compile
# every module again (25 s of a loaded machine), which the export timing is not about.
"$PY" -m compileall -q -j 0 .venv/lib samarbeid members projects governance importers \
  portal reports >/dev/null 2>&1 || true

PIDS=()
stop_servers() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
trap stop_servers EXIT INT TERM

wait_for() {  # URL: until it answers (at most 60 s)
  for _ in $(seq 1 120); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.5
  done
  echo "no answer from $1" >&2; return 1
}

build() {  # DATABASE_URL SIZE: migrate, the demo, and the synthetic rest of SIZE projects
  local url=$1 size=$2
  DATABASE_URL=$url "$PY" manage.py migrate --noinput -v0
  DATABASE_URL=$url "$PY" manage.py load_demo >/dev/null
  if [ "$size" -gt 69 ]; then
    # The desk's cooperation (the demo's) gets SIZE projects in all; 1 cooperation per 100
    # projects gets the other half as many again, for the national pages and governance.
    local coops=$(( size / 100 > 3 ? size / 100 : 3 ))
    DATABASE_URL=$url "$PY" manage.py generate_synthetic --seed 1 --no-progress \
      --cooperations "$coops" --projects $(( size - 69 + size / 2 )) --desk-projects $(( size - 69 ))
  fi
  # Planner statistics now, as autovacuum would in time (it is off on this machine's
  # PostgreSQL): without them one decisions query takes 180 ms instead of 1.5 ms.
  case $url in postgres*) psql -q "$url" -c "ANALYZE" ;; esac
}

for size in "${SIZES[@]}"; do
  for db in $DBS; do
    label=$db/$size
    if [ "$db" = sqlite ]; then
      file=$OUT/bench-$size.sqlite3
      url=sqlite:///$file
      if [ -n "${REBUILD:-}" ] || [ ! -s "$file" ]; then
        rm -f "$file"; echo "== building $label"; build "$url" "$size"
      fi
    else
      name=bench_pg_$size
      url=$PG_URL/$name
      if [ -n "${REBUILD:-}" ] || ! psql "$PG_URL/$name" -c "select 1 from projects_project limit 1" >/dev/null 2>&1; then
        dropdb --if-exists -h 127.0.0.1 -U postgres "$name"
        createdb -h 127.0.0.1 -U postgres "$name"
        echo "== building $label"; build "$url" "$size"
      fi
    fi
    export DATABASE_URL=$url
    # A set built by an earlier version gets this version's migrations (nothing when none).
    "$PY" manage.py migrate --noinput -v0
    # and planner statistics after what those migrations wrote (autovacuum is off here).
    case $url in postgres*) psql -q "$url" -c "ANALYZE" ;; esac
    read -r COOKIE SLUG CASE COOP PROJECT < <("$PY" bench/prepare.py --export "$OUT/datasette-$size.db")
    # A project the public portal shows (the synthetic data marks about one in ten internal).
    PUBLIC_SLUG=$("$PY" manage.py shell -c "from portal import selectors as s; from projects.selectors import public_projects; print(public_projects(cooperation=s.cooperation()).order_by('pk').values_list('slug', flat=True)[0])" | tail -n 1)
    HEARING=$("$PY" manage.py shell -c "from hearings.selectors import public_hearings; print(public_hearings().values_list('pk', flat=True).first())" | tail -n 1)
    for fmt in docx xlsx; do
      # The file is named by database and size (the label's "/" is no directory); a failed
      # export is reported as such, never timed as if it had run.
      file_out=$OUT/overview-$db-$size.$fmt
      rm -f "$file_out"
      start=$(date +%s.%N)
      if "$PY" manage.py export_overview --format "$fmt" --output "$file_out" >/dev/null \
        && [ -s "$file_out" ]; then
        took=$(echo "$(date +%s.%N) - $start" | bc)
        echo "== $label: export_overview --format $fmt took ${took} s ($(stat -c %s "$file_out") bytes)"
      else
        took=nan
        echo "== $label: export_overview --format $fmt FAILED" >&2
      fi
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "export_overview --format $fmt (s)" \
        "$took" nan nan 0 0 0 >>"$RESULTS"
    done

    # (`make`/`uv sync` remove the bench group again: check before every run.)
    [ -x "${DATASETTE[0]}" ] || "$UV" sync --frozen --group bench --inexact >/dev/null
    .venv/bin/gunicorn samarbeid.wsgi --workers "$WORKERS" --bind "127.0.0.1:$PORT" \
      --log-level warning --timeout 600 >"$OUT/gunicorn.log" 2>&1 &
    PIDS+=($!)
    "${DATASETTE[@]}" serve "$OUT/datasette-$size.db" --port "$DS_PORT" --host 127.0.0.1 \
      --setting suggest_facets off --setting default_page_size 50 >"$OUT/datasette.log" 2>&1 &
    PIDS+=($!)
    wait_for "http://127.0.0.1:$PORT/bench/bare/"
    wait_for "http://127.0.0.1:$DS_PORT/"
    echo "== $label: $WORKERS gunicorn workers, wrk -c$CONNECTIONS -d${DURATION}s per page"
    "$PY" bench/wrk.py measure --results "$RESULTS" --label "$label" \
      --base "http://127.0.0.1:$PORT" --cookie "$COOKIE" \
      --duration "$DURATION" --connections "$CONNECTIONS" \
      "bare view=/bench/bare/" \
      "front page=/" \
      "/projects/=/projects/@auth" \
      "a project page=/projects/$SLUG/@auth" \
      "/municipalities/3905/=/municipalities/3905/@auth" \
      "/overview/timeline/=/overview/timeline/@auth" \
      "/overview/matrix/=/overview/matrix/@auth" \
      "/overview/money/=/overview/money/@auth" \
      "/governance/=/governance/@auth" \
      "/reports/=/reports/@auth" \
      "a case page=/governance/cases/$CASE/@auth" \
      "a case's history page=/history/governance.case/$CASE/@auth" \
      "a project's history page=/history/projects.project/$PROJECT/@auth" \
      "/trash/=/trash/@auth" \
      "/api/governance/referrals=/api/governance/referrals@auth" \
      "/import/status/=/import/status/bench-import-status/@auth" \
      "/api/v1/projects=/api/v1/projects?cooperation=$COOP&page_size=50" \
      "/api/v1/projects/{id}=/api/v1/projects/$PROJECT" \
      "/api/v1/council-decisions=/api/v1/council-decisions" \
      "/api/v1/cases=/api/v1/cases?cooperation=$COOP" \
      "a project feed=/feeds/cooperation/$COOP/project-changes.atom" \
      "/networks/=/networks/@auth" \
      "a network page=/networks/overformynderi/@auth" \
      "library search=/networks/library/?q=fylkesmannen@auth" \
      "/api/networks/documents=/api/networks/documents?q=fylkesmannen@auth" \
      "/portal/projects/=/portal/projects/" \
      "a portal project page=/portal/projects/$PUBLIC_SLUG/" \
      "/portal/municipalities/3905/=/portal/municipalities/3905/" \
      "/embed/municipality/3905/=/embed/municipality/3905/" \
      "/embed/municipality/3905.json=/embed/municipality/3905.json" \
      "/portal/hearings/=/portal/hearings/" \
      "a public hearing page=/portal/hearings/$HEARING/" \
      "the widget's comment form=/embed/hearings/$HEARING/" \
      "/portal/networks/=/portal/networks/" \
      "a portal network page=/portal/networks/overformynderi/" \
      "/api/v1/networks=/api/v1/networks" \
      "/api/v1/network-documents=/api/v1/network-documents" \
      "follow a municipality's hearings=/portal/hearings/municipality/3905/" \
      "the widget's follow form=/embed/hearings/follow/3905/" \
      "/hearings/ (the desk)=/hearings/@auth" \
      "/hearings/new/=/hearings/new/@auth" \
      "new-hearing municipality search=/hearings/new/pick/municipalities/?q=t%C3%B8ns@auth" \
      "new-hearing case search=/hearings/new/pick/case/?q=havn@auth" \
      "a hearing's summary (HTML)=/reports/hearings/$HEARING/summary.html@auth" \
      "a hearing on the desk=/hearings/$HEARING/@auth" \
      "datasette projects.json=http://127.0.0.1:$DS_PORT/datasette-$size/projects.json"
    if [ -n "${LONG:-}" ]; then
      "$PY" bench/wrk.py measure --results "$RESULTS" --label "$label" \
        --base "http://127.0.0.1:$PORT" --cookie "$COOKIE" --duration 60 --connections 64 \
        "64 connections, 60 s=/projects/@auth"
    fi
    stop_servers
  done
done
"$PY" bench/wrk.py report "$RESULTS" | tee "$OUT/report.md"
