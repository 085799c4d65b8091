# Shared by the deploy tests (sourced). A test prints what it checked and exits non-zero on the
# first failure; a missing tool is a failure that says which Debian package brings it.

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# need COMMAND DEBIAN-PACKAGE
need() {
  command -v "$1" >/dev/null 2>&1 ||
    fail "'$1' is not installed (Debian package $2; scripts/setup installs it)"
}

# A temporary directory removed when the test exits, however it exits.
make_scratch() {
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/hotseat-deploy.XXXXXX")
  trap 'rm -rf "$scratch"' EXIT
}
