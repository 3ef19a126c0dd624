#!/usr/bin/env bash
# The Python binding and the Ansible collection: build the abi3 wheel with maturin, install
# it into a venv, check the hand-written stubs with mypy.stubtest, run pytest over the whole API
# (fixtures made by openssl/keytool at test time, hypothesis round-trips, ansible-playbook
# runs against localhost), then the speed comparison with `cryptography`.
set -euo pipefail
root=$(pwd)
venv=${CCETRUST_VENV:-$root/.venv}
py=${PYTHON:-python3}
if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "python: $("$py" --version 2>&1) is too old: the abi3 wheel needs CPython 3.11 or later (set PYTHON=...)" >&2
  exit 1
fi
if [ ! -x "$venv/bin/python" ]; then
  # Debian and Ubuntu ship venv without ensurepip unless python3-venv is installed: then
  # make the venv without pip and put pip into it with the system's pip.
  if ! "$py" -m venv "$venv" 2>/dev/null; then
    rm -rf "$venv"
    "$py" -m venv --without-pip "$venv"
    "$py" -m pip --python "$venv/bin/python" install --quiet --disable-pip-version-check pip
  fi
fi
# shellcheck disable=SC1091
. "$venv/bin/activate"
python -m pip install --quiet --disable-pip-version-check \
  'maturin>=1.16,<2' pytest hypothesis mypy cryptography ansible-core

cd "$root/ccetrust-py"
echo "python: building the abi3 wheel (maturin build --release) and installing it"
rm -rf dist
maturin build --release --quiet -o dist 2>&1 | grep -v '^\s*$' | tail -n 2
python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps dist/ccetrust-*.whl

echo "python: stubtest"
python -m mypy.stubtest ccetrust --allowlist stubtest-allowlist.txt
echo "python: mypy --strict over the package"
(cd python && python -m mypy --strict ccetrust)
echo "python: mypy --strict over a typed use of every dict result (TypedDict stubs)"
python -m mypy --strict tests/typing/usage.py
# The stubs must catch a misspelt key: this file has two and must not type-check.
if python -m mypy --strict tests/typing/wrong_key.py >/dev/null 2>&1; then
  echo "mypy accepted tests/typing/wrong_key.py: the TypedDict stubs do not catch a wrong key" >&2
  exit 1
fi

# The java_truststore role's Windows form is syntax-checked with the ansible.windows
# collection. Only that collection, taken from the `ansible` package's wheel (the full package
# installs some 100 collections; Galaxy may be unreachable from the runner where PyPI is not).
win_collections="$venv/ansible-windows"
if [ ! -d "$win_collections/ansible_collections/ansible/windows" ]; then
  rm -rf "$win_collections.dl"
  python -m pip download --quiet --disable-pip-version-check --no-deps 'ansible>=11,<13' -d "$win_collections.dl"
  python - "$win_collections" "$win_collections.dl" <<'PY'
import glob, sys, zipfile
dest, dl = sys.argv[1], sys.argv[2]
(wheel,) = glob.glob(dl + "/ansible-*.whl")
with zipfile.ZipFile(wheel) as z:
    z.extractall(dest, [m for m in z.namelist() if m.startswith("ansible_collections/ansible/windows/")])
PY
  rm -rf "$win_collections.dl"
fi
export CCETRUST_ANSIBLE_WINDOWS="$win_collections"

echo "python: pytest"
set +e
python -m pytest -q -p no:cacheprovider tests
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here" >&2
  exit 1
fi
[ "$rc" -eq 0 ] || exit "$rc"

echo "python: speed comparison (figures only; never a pass/fail on timing)"
python bench/inspect_bench.py --count "${BENCH_COUNT:-10000}" --rounds 3
