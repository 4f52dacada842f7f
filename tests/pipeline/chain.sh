#!/usr/bin/env bash
# A two-stage delivery pipeline on `spoke provision`: the network first,
# then the application in it, the VPC id handed from one stage to the next
# through the first stage's --outputs file. Safe to run again: a stage that
# is so already does nothing.
#
#   SPOKE=path/to/spoke PROFILE=ci tests/pipeline/chain.sh
#
# Runs in the current directory (it writes net.json and app.json there).
set -euo pipefail

spoke="${SPOKE:-spoke}"
profile="${PROFILE:-ci}"

# Stage 1: the network, and its outputs for the next stage.
"$spoke" provision --profile "$profile" --product Network --name net \
  --yes --outputs net.json

vpc_id=$(python3 -c '
import json, sys
outputs = json.load(open(sys.argv[1]))
assert outputs["schema_version"] == 1, outputs
print(outputs["outputs"]["VpcId"])
' net.json)
echo "stage 1: VpcId=$vpc_id"

# Stage 2: the application, in that VPC.
"$spoke" provision --profile "$profile" --product App --name app \
  --param "VpcId=$vpc_id" --param "ApiKey=${APP_API_KEY:-k-0123456789}" \
  --yes --outputs app.json

# The application runs with the network's VPC.
"$spoke" parameters --profile "$profile" --provisioned app --format json 2>/dev/null |
  python3 -c '
import json, sys
vpc_id = sys.argv[1]
params = {p["key"]: p["running"] for p in json.load(sys.stdin)["parameters"]}
assert params["VpcId"] == vpc_id, (params, vpc_id)
print("stage 2: app runs in", params["VpcId"])
' "$vpc_id"
