#!/usr/bin/env bash
# The ConfigMaps of the folders an IT team edits, from this repository's folders or from yours, applied with kubectl
# (each ConfigMap holds one folder's files, not its subfolders: the mappings' fixtures stay out, they are only for
# ops/check-config.sh). Check the folders first: ops/check-config.sh --routes DIR --adapters DIR --mappings DIR
#   deploy/kubernetes/config-maps.sh [--routes DIR] [--adapters DIR] [--mappings DIR] [kubectl options, e.g. -n conduit]
# The names and folders match the volumes of deploy/kubernetes/base/deployment.yaml (KubernetesManifestsTest).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUTES=routes ADAPTERS=adapters MAPPINGS=mappings
while [ $# -gt 0 ]; do
  case "$1" in
    --routes) ROUTES=$2; shift 2 ;;
    --adapters) ADAPTERS=$2; shift 2 ;;
    --mappings) MAPPINGS=$2; shift 2 ;;
    *) break ;;
  esac
done
configmap() {  # name folder
  kubectl create configmap "$1" --from-file="$2/" --dry-run=client -o yaml "${@:3}" | kubectl apply "${@:3}" -f -
}
configmap conduit-routes "$ROUTES" "$@"
configmap conduit-adapter-erp-tryton "$ADAPTERS/erp/tryton" "$@"
configmap conduit-adapter-oa-redmine "$ADAPTERS/oa/redmine" "$@"
configmap conduit-mappings-tryton "$MAPPINGS/tryton" "$@"
configmap conduit-mappings-redmine "$MAPPINGS/redmine" "$@"
