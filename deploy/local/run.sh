#!/usr/bin/env bash
# Runs Strata on this machine on its embedded defaults: builds what is needed, then starts Kafka and S3Proxy
# from Maven artifacts, creates the database, starts the four services and the console (http://127.0.0.1:8080) and
# prints their URLs and a development JWT. Ctrl-C stops everything. Data lives in .strata/ (or $STRATA_HOME) and
# survives restarts.
#
#   STRATA_SKIP_BUILD=1     reuse the last build
#   STRATA_PG_HOST/PORT/USER/PASSWORD/DATABASE   another PostgreSQL (default 127.0.0.1:5432, postgres, strata)
#   STRATA_KAFKA_PORT (9092), STRATA_KAFKA_CONTROLLER_PORT (9093), STRATA_S3_PORT (9000), STRATA_HOME
#   STRATA_KAFKA_BROKERS=3  a three-node KRaft cluster instead of one broker (1, the default): nodes on
#                           STRATA_KAFKA_PORT and the five ports after it (9092/9093, 9094/9095, 9096/9097: client
#                           and controller; STRATA_KAFKA_CONTROLLER_PORT is not read), data in
#                           $STRATA_HOME/kafka-cluster; the services create the event topic with replication 3 and
#                           min.insync.replicas 2 (1 and 1 with one broker), so one node may be killed
#   STRATA_SERVICES=ingest,quota   start only these (ingest, quota, metrics, archival, console; all by default;
#                           none = the servers only). The environment of the services is written to
#                           $STRATA_HOME/service.env, so one can be started by hand against this stack:
#                           . .strata/service.env; QUARKUS_HTTP_PORT=8084 java -jar archival-service/target/quarkus-app/quarkus-run.jar
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

if [ "${STRATA_SKIP_BUILD:-0}" != "1" ]; then
  echo "Building Strata (mvn package -DskipTests) ..."
  mvn -B -q package -DskipTests
fi

stack="deploy/local/stack/target"
exec java -cp "$(cat "$stack/classes/dev/strata/local/local-stack.classpath"):$stack/classes" \
  dev.strata.local.StrataLocal "$root"
