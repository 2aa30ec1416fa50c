#!/usr/bin/env bash
# Creates the RS256 key pair the services verify tokens with, unless it exists (.strata/keys, the same files
# deploy/local/run.sh creates and uses), then signs a service token (role service, for ingest <-> quota calls) and
# an admin token (role admin, for archival-cron) with it and writes both to .strata/compose.env for
#   docker compose --env-file .strata/compose.env up -d
# Needs openssl. For development and trials: production tokens come from the identity provider.
#   STRATA_HOME (default .strata), STRATA_JWT_ISSUER (https://strata.dev/issuer), STRATA_TOKEN_DAYS (365)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
home="${STRATA_HOME:-$root/.strata}"
keys="$home/keys"
issuer="${STRATA_JWT_ISSUER:-https://strata.dev/issuer}"
days="${STRATA_TOKEN_DAYS:-365}"

mkdir -p "$keys"
if [ ! -f "$keys/jwt-private.pem" ] || [ ! -f "$keys/jwt-public.pem" ]; then
  # genpkey prints progress dots on stderr: show them only when it fails.
  if ! err="$(umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$keys/jwt-private.pem" 2>&1)"; then
    echo "$err" >&2
    exit 1
  fi
  openssl pkey -in "$keys/jwt-private.pem" -pubout -out "$keys/jwt-public.pem"
  echo "Created $keys/jwt-private.pem and jwt-public.pem"
fi
# The containers read the public key as another user.
chmod 644 "$keys/jwt-public.pem"

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# mint SUBJECT ROLE: a token in Strata's shape (DevTokens): roles in groups, no tenants (the roles reach every group).
mint() {
  local now header claims
  now="$(date +%s)"
  header="$(printf '%s' '{"alg":"RS256","typ":"JWT"}' | b64url)"
  claims="$(printf '{"iss":"%s","sub":"%s","upn":"%s","jti":"%s","iat":%d,"exp":%d,"groups":["%s"],"tenants":[]}' \
    "$issuer" "$1" "$1" "$(openssl rand -hex 16)" "$now" "$((now + days * 86400))" "$2" | b64url)"
  printf '%s.%s.%s' "$header" "$claims" \
    "$(printf '%s.%s' "$header" "$claims" | openssl dgst -sha256 -sign "$keys/jwt-private.pem" -binary | b64url)"
}

env_file="$home/compose.env"
(
  umask 077
  {
    echo "STRATA_SERVICE_TOKEN=$(mint strata-services service)"
    echo "STRATA_ADMIN_TOKEN=$(mint strata-admin admin)"
    echo "STRATA_JWT_PUBLIC_KEY=$keys/jwt-public.pem"
    echo "STRATA_JWT_ISSUER=$issuer"
  } > "$env_file"
)
echo "Wrote $env_file (tokens valid $days days)"
