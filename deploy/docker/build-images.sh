#!/usr/bin/env bash
# Builds the four service images and the console's (needs a Docker engine): strata/<module>:<version>.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
version="${STRATA_VERSION:-0.1.0}"
mvn -B -q package -DskipTests
for service in ingest-service quota-service metrics-service archival-service console; do
  docker build -f deploy/docker/Dockerfile.jvm --build-arg SERVICE="$service" -t "strata/$service:$version" .
done
