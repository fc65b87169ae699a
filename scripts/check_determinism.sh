#!/usr/bin/env bash
# make check-determinism: rebuild everything from clean under several BLAS/SIMD kernel
# settings and require byte-identical outputs: the committed figures and processed data
# (also compared with figures/manifest.json of HEAD) and the default wave edition's data,
# figures and executed notebooks. One machine plays several CPUs: OPENBLAS_CORETYPE picks
# OpenBLAS's kernel, NPY_DISABLE_CPU_FEATURES switches off numpy's AVX-512 loops.
set -euo pipefail
cd "$(dirname "$0")/.."
# Logs and hashes live outside build/ while the builds run (make clean empties build/);
# they are copied to build/determinism at the end.
out=$(mktemp -d)
trap 'mkdir -p build/determinism && cp -f "$out"/* build/determinism/ 2>/dev/null; rm -rf "$out"' EXIT
settings=(
    "OPENBLAS_CORETYPE=Haswell"
    "OPENBLAS_CORETYPE=SkylakeX"
    "OPENBLAS_CORETYPE=Prescott"
    "NPY_DISABLE_CPU_FEATURES=AVX512F,AVX512CD,AVX512_SKX,AVX512_CLX,AVX512_CNL,AVX512_ICL,AVX512_SPR"
)
hash_outputs() {
    { git ls-files -z figures data/processed | xargs -0 sha256sum
      find build/waves -type f \( -path '*/data/*' -o -path '*/figures/*' -o -path '*/notebooks/*' \) \
          ! -name '*.failed.ipynb' -print0 | sort -z | xargs -0 sha256sum
      find build/notebooks -type f -name '*.ipynb' -print0 | sort -z | xargs -0 sha256sum
    } | sort -k2
}
names=()
for setting in "${settings[@]}"; do
    name=${setting%%,*}; name=${name//[^A-Za-z0-9_=]/_}
    if ! env "$setting" .venv/bin/python -c "import numpy" >/dev/null 2>&1; then
        echo "== $setting: numpy refuses it on this CPU; skipped"
        continue
    fi
    echo "== clean build with $setting"
    make clean >/dev/null
    env "$setting" make all >"$out/$name.log" 2>&1 || { tail -30 "$out/$name.log"; exit 1; }
    hash_outputs >"$out/$name.sha256"
    names+=("$name")
done
[ "${#names[@]}" -ge 3 ] || { echo "fewer than three kernel settings could run" >&2; exit 1; }
status=0
for name in "${names[@]:1}"; do
    if ! diff -q "$out/${names[0]}.sha256" "$out/$name.sha256" >/dev/null; then
        echo "DIFFERENT bytes between ${names[0]} and $name:"
        diff "$out/${names[0]}.sha256" "$out/$name.sha256" | grep '^[<>]' | awk '{print "  " $3}' | sort -u
        status=1
    fi
done
# and the committed outputs are what every setting built
if [ -n "$(git status --porcelain -- figures data/processed)" ]; then
    echo "the rebuilt committed outputs differ from git HEAD:"; git status --short -- figures data/processed
    status=1
fi
[ $status = 0 ] && echo "check-determinism: ${#names[@]} kernel settings, $(wc -l <"$out/${names[0]}.sha256") files, identical bytes"
exit $status
