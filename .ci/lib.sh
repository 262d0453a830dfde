# Functions of .ci/run, kept apart so tests/ci/test_ci_run.py can run them with stand-in commands.
# Every step checks its own result: these functions are called as `f || handle`, where bash turns
# errexit off inside them, so a failing command would otherwise be silently passed over.

# Debian packages the frozen build needs with the interpreter make uses: PyInstaller bundles the Python
# shared library, which a system Python on Debian keeps in the separate libpythonX.Y package (a python.org
# or uv build ships its own), and `make` creates its venv with the venv module (python3.X-venv).
frozen_build_packages() {
  local py="${1:-python3}" ver soname libdir
  ver=$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")') || return 1
  soname=$("$py" -c 'import sysconfig; print(sysconfig.get_config_var("INSTSONAME") or "")') || return 1
  libdir=$("$py" -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR") or "")') || return 1
  if [ -n "$soname" ] && [ ! -e "$libdir/$soname" ] && ! ldconfig -p 2>/dev/null | grep -qF "$soname"; then
    echo "libpython$ver"
  fi
  if ! "$py" -c 'import ensurepip' >/dev/null 2>&1; then
    echo "python$ver-venv"
  fi
}

# The packages of "$@" that dpkg does not have installed.
missing_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

# PostgreSQL on loopback for the platform server's tests. Exports INSTDESK_TEST_PG_URL only once a
# login over TCP works; otherwise says which step failed, shows the cluster's log and returns 1.
start_postgres() {
  local ver log
  local libs="${PG_LIB_DIR:-/usr/lib/postgresql}" logs="${PG_LOG_DIR:-/var/log/postgresql}"
  ver=$(ls "$libs" 2>/dev/null | sort -V | tail -1)
  if [ -z "$ver" ]; then
    echo "PostgreSQL: no server installed under $libs" >&2
    return 1
  fi
  log="$logs/postgresql-$ver-main.log"
  if ! pg_lsclusters -h 2>/dev/null | grep -q "^$ver main"; then
    pg_createcluster "$ver" main >/dev/null || { _pg_failed "pg_createcluster $ver main" "$log"; return 1; }
  fi
  if ! pg_lsclusters -h 2>/dev/null | grep -q "^$ver main .*online"; then
    pg_ctlcluster "$ver" main start || { _pg_failed "pg_ctlcluster $ver main start" "$log"; return 1; }
  fi
  local _
  for _ in $(seq 1 30); do
    su postgres -c "pg_isready -q -h 127.0.0.1" && break
    sleep 1
  done
  su postgres -c "pg_isready -q -h 127.0.0.1" || { _pg_failed "pg_isready (30 s)" "$log"; return 1; }
  # Admin commands go through the Unix socket (peer auth); the tests log in over TCP with a password.
  if ! su postgres -c "psql -q -tc \"SELECT 1 FROM pg_roles WHERE rolname='instdesk'\"" | grep -q 1; then
    su postgres -c "psql -q -c \"CREATE ROLE instdesk LOGIN SUPERUSER PASSWORD 'instdesk'\"" \
      || { _pg_failed "CREATE ROLE instdesk" "$log"; return 1; }
  fi
  if ! su postgres -c "psql -q -tc \"SELECT 1 FROM pg_database WHERE datname='instdesk_test'\"" | grep -q 1; then
    su postgres -c "createdb -O instdesk instdesk_test" \
      || { _pg_failed "createdb instdesk_test" "$log"; return 1; }
  fi
  PGPASSWORD=instdesk psql -q -h 127.0.0.1 -U instdesk -d instdesk_test -tc "SELECT 1" >/dev/null \
    || { _pg_failed "login as instdesk over TCP" "$log"; return 1; }
  export INSTDESK_TEST_PG_URL="postgresql+psycopg://instdesk:instdesk@127.0.0.1:5432/instdesk_test"
}

_pg_failed() {
  echo "PostgreSQL could not be started: step '$1' failed. Last lines of $2:" >&2
  tail -n 40 "$2" >&2 2>/dev/null || echo "(no log at $2)" >&2
}
