#!/usr/bin/env bash
# Smoke test of the in-process OpenSearch node, over plain HTTP with curl.
#
#   tests/search_node/smoke.sh [PORT]       # default 9201 (or $SEARCH_NODE_PORT)
#
# Starts the node with start.sh unless one already answers on PORT (and then stops it
# again at the end), and checks: english/french analysers (analysis-common), indexing,
# a match query, a terms aggregation, scaled_float (mapper-extras), a painless script
# field (lang-painless), a join field (parent-join), a percolator field + percolate query
# (percolator), and, if a Python with opensearch-py is at $SMOKE_PYTHON (default
# /tmp/osvenv/bin/python), that the opensearch-py client can talk to the node.
# Ends with a line "N passed, N failed"; exits non-zero if any check failed.
# Needs curl and python3 (for reading JSON).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${1:-${SEARCH_NODE_PORT:-9201}}"
BASE="http://127.0.0.1:$PORT"
PY="${SMOKE_PYTHON:-/tmp/osvenv/bin/python}"
PASSED=0
FAILED=0

started_here=0
if ! curl -s --max-time 2 -o /dev/null "$BASE/"; then
    SEARCH_NODE_PORT="$PORT" "$HERE/start.sh" "$PORT" || { echo "0 passed, 1 failed"; exit 1; }
    started_here=1
fi
cleanup() {
    curl -s -o /dev/null -X DELETE "$BASE/smoke-docs,smoke-queries,smoke-join?ignore_unavailable=true" || true
    if (( started_here )); then "$HERE/stop.sh" "$PORT"; fi
}
trap cleanup EXIT

# req METHOD PATH [JSON_BODY] -> sets BODY and CODE
req() {
    local out
    if [[ $# -ge 3 ]]; then
        out="$(curl -s --max-time 30 -w '\n%{http_code}' -X "$1" "$BASE$2" \
            -H 'Content-Type: application/json' --data-binary "$3")"
    else
        out="$(curl -s --max-time 30 -w '\n%{http_code}' -X "$1" "$BASE$2")"
    fi
    CODE="${out##*$'\n'}"
    BODY="${out%$'\n'*}"
}

# check NAME PYTHON_EXPR -- evaluates PYTHON_EXPR with r = the JSON of the last response
check() {
    local name="$1" expr="$2" res
    res="$(printf '%s' "$BODY" | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
ok = eval(sys.argv[1])
print("ok" if ok else "no")
' "$expr" 2>&1)"
    if [[ "$CODE" =~ ^2 && "$res" == ok ]]; then
        PASSED=$((PASSED + 1)); echo "PASS  $name"
    else
        FAILED=$((FAILED + 1)); echo "FAIL  $name (HTTP $CODE): ${BODY:0:600} ${res:0:300}"
    fi
}

req GET /
check "root answers, version 2.19.x" 'r["version"]["number"].startswith("2.19.")'

req GET '/_cat/plugins?format=json'
check "six classpath plugins loaded" \
    'len({p["component"] for p in r}) == 6 and any("Percolator" in p["component"] for p in r)'

# --- analysis-common: language analysers --------------------------------------------------
req POST /_analyze '{"analyzer": "english", "text": "The dogs were running"}'
check "english analyser stems (dogs->dog, running->run)" \
    '[t["token"] for t in r["tokens"]] == ["dog", "were", "run"]'
req POST /_analyze '{"analyzer": "french", "text": "Les chevaux mangeaient"}'
check "french analyser (chevaux->cheval)" '"cheval" in [t["token"] for t in r["tokens"]]'
req POST /_analyze '{"tokenizer": "standard", "filter": ["lowercase", "asciifolding", {"type": "edge_ngram", "min_gram": 2, "max_gram": 4}], "text": "Éléphant"}'
check "asciifolding + edge_ngram filters" '[t["token"] for t in r["tokens"]] == ["el", "ele", "elep"]'

# --- an index with english and french fields -----------------------------------------------
req PUT /smoke-docs '{
  "settings": {
    "number_of_shards": 1, "number_of_replicas": 0,
    "analysis": {
      "analyzer": {
        "autocomplete": {"type": "custom", "tokenizer": "standard",
                         "filter": ["lowercase", "asciifolding", "edge_ngram_2_10"]}
      },
      "filter": {"edge_ngram_2_10": {"type": "edge_ngram", "min_gram": 2, "max_gram": 10}}
    }
  },
  "mappings": {
    "properties": {
      "title_en": {"type": "text", "analyzer": "english",
                   "fields": {"ac": {"type": "text", "analyzer": "autocomplete", "search_analyzer": "standard"}}},
      "body_fr":  {"type": "text", "analyzer": "french"},
      "tag":      {"type": "keyword"},
      "score":    {"type": "scaled_float", "scaling_factor": 100}
    }
  }
}'
check "create index with english/french/custom analysers + scaled_float" 'r.get("acknowledged") is True'

req PUT '/smoke-docs/_doc/1' '{"title_en": "Running dogs in the park", "body_fr": "Les chevaux courent", "tag": "animals", "score": 1.5}'
check "index document 1" 'r["result"] == "created"'
req PUT '/smoke-docs/_doc/2?refresh=true' '{"title_en": "A quiet library", "body_fr": "Une bibliothèque calme", "tag": "places", "score": 2.25}'
check "index document 2 (refresh)" 'r["result"] == "created"'
req PUT '/smoke-docs/_doc/3?refresh=true' '{"title_en": "Dogs at the library", "body_fr": "Des chiens", "tag": "animals", "score": 0.5}'
check "index document 3 (refresh)" 'r["result"] == "created"'

req POST /smoke-docs/_search '{"query": {"match": {"title_en": "runs"}}}'
check "match query, english stemming (runs ~ running)" \
    'r["hits"]["total"]["value"] == 1 and r["hits"]["hits"][0]["_id"] == "1"'
req POST /smoke-docs/_search '{"query": {"match": {"body_fr": "cheval"}}}'
check "match query, french stemming (cheval ~ chevaux)" \
    '[h["_id"] for h in r["hits"]["hits"]] == ["1"]'
req POST /smoke-docs/_search '{"query": {"match": {"title_en.ac": "libr"}}}'
check "autocomplete (edge_ngram) query" \
    'sorted(h["_id"] for h in r["hits"]["hits"]) == ["2", "3"]'

req POST /smoke-docs/_search '{"size": 0, "aggs": {"tags": {"terms": {"field": "tag"}}, "top": {"max": {"field": "score"}}}}'
check "terms aggregation + max on scaled_float" \
    '{b["key"]: b["doc_count"] for b in r["aggregations"]["tags"]["buckets"]} == {"animals": 2, "places": 1} and r["aggregations"]["top"]["value"] == 2.25'

req POST /smoke-docs/_search '{"query": {"ids": {"values": ["2"]}}, "script_fields": {"double": {"script": {"lang": "painless", "source": "doc[\"score\"].value * 2"}}}}'
check "painless script field" 'r["hits"]["hits"][0]["fields"]["double"] == [4.5]'

# --- parent-join -----------------------------------------------------------------------------
req PUT /smoke-join '{"settings": {"number_of_shards": 1, "number_of_replicas": 0},
  "mappings": {"properties": {"rel": {"type": "join", "relations": {"question": "answer"}}}}}'
check "join field mapping (parent-join)" 'r.get("acknowledged") is True'

# --- percolator ------------------------------------------------------------------------------
req PUT /smoke-queries '{"settings": {"number_of_shards": 1, "number_of_replicas": 0},
  "mappings": {"properties": {"query": {"type": "percolator"},
                              "title_en": {"type": "text", "analyzer": "english"}}}}'
check "create index with a percolator field" 'r.get("acknowledged") is True'
req PUT '/smoke-queries/_doc/q-dogs?refresh=true' '{"query": {"match": {"title_en": "dog"}}}'
check "register a percolator query" 'r["result"] == "created"'
req PUT '/smoke-queries/_doc/q-cats?refresh=true' '{"query": {"match": {"title_en": "cat"}}}'
check "register a second percolator query" 'r["result"] == "created"'
req POST /smoke-queries/_search '{"query": {"percolate": {"field": "query", "document": {"title_en": "Two dogs barking"}}}}'
check "percolate a document (matches q-dogs only)" \
    '[h["_id"] for h in r["hits"]["hits"]] == ["q-dogs"]'

# --- opensearch-py -------------------------------------------------------------------------------
if [[ -x "$PY" ]] && "$PY" -c 'import opensearchpy' 2>/dev/null; then
    if out="$("$PY" - "$PORT" <<'PYEOF' 2>&1
import sys
import opensearchpy
from opensearchpy import OpenSearch

port = int(sys.argv[1])
client = OpenSearch(hosts=[{"host": "127.0.0.1", "port": port}], use_ssl=False, timeout=30)
info = client.info()
# NB: opensearch-py takes timeout= as the client-side socket timeout (a number) unless
# request_timeout= is given too; only then does timeout="10s" reach the server.
health = client.cluster.health(wait_for_status="yellow", timeout="10s", request_timeout=15)
res = client.search(index="smoke-docs", body={"query": {"match": {"title_en": "dog"}}})
client.index(index="smoke-docs", id="py", body={"title_en": "Python dogs", "tag": "py"}, refresh=True)
count = client.count(index="smoke-docs")["count"]
print(f"opensearch-py {opensearchpy.__versionstr__}: server {info['version']['number']}, "
      f"cluster {health['cluster_name']} {health['status']}, "
      f"'dog' hits {res['hits']['total']['value']}, count after index {count}")
assert info["version"]["number"].startswith("2.19.")
assert health["status"] in ("green", "yellow")
assert res["hits"]["total"]["value"] == 2
assert count == 4
PYEOF
)"; then
        PASSED=$((PASSED + 1)); echo "PASS  opensearch-py client: $out"
    else
        FAILED=$((FAILED + 1)); echo "FAIL  opensearch-py client: $out"
    fi
else
    echo "SKIP  opensearch-py client (no opensearch-py at $PY; python3 -m venv /tmp/osvenv && /tmp/osvenv/bin/pip install opensearch-py)"
fi

echo "$PASSED passed, $FAILED failed"
(( FAILED == 0 ))
