# Sourced by .ci/run: a throwaway PostgreSQL for the workshop's server-database tests
# (tests/app/test_server_db.py), when this machine has PostgreSQL's binaries and a `postgres` user.
# It never fails CI: without them, or if the server does not start, those tests skip and say why.
siaga_start_postgres() {
  [ -n "${SIAGA_TEST_DB_URL:-}" ] && return 0
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ] || ! id postgres >/dev/null 2>&1; then
    echo "CI: no PostgreSQL here: the server-database tests will skip"; return 0
  fi
  SIAGA_PGDIR=$(mktemp -d) && chown postgres "$SIAGA_PGDIR" || return 0
  local run=(runuser -u postgres --)
  [ "$(id -u)" = 0 ] || run=()
  if "${run[@]}" "$bin/initdb" -D "$SIAGA_PGDIR/data" -A trust -U siaga >/dev/null 2>&1 \
     && "${run[@]}" "$bin/pg_ctl" -D "$SIAGA_PGDIR/data" -l "$SIAGA_PGDIR/log" -w \
          -o "-k $SIAGA_PGDIR -p 55432 -c listen_addresses=''" start >/dev/null 2>&1; then
    export SIAGA_TEST_DB_URL="postgresql+psycopg://siaga@/postgres?host=$SIAGA_PGDIR&port=55432"
    export SIAGA_TEST_DB_PER_WORKER=1
    # stopped when CI ends (the values are fixed now: the function's locals are gone by then)
    trap "${run[*]} $bin/pg_ctl -D $SIAGA_PGDIR/data -m fast stop >/dev/null 2>&1; rm -rf $SIAGA_PGDIR" EXIT
    echo "CI: a throwaway PostgreSQL ($bin) for the server-database tests"
  else
    echo "CI: PostgreSQL did not start: the server-database tests will skip"
  fi
}
