#!/usr/bin/env bash
# Re-captures the live part of the plan corpus (test/fixtures/plans/corpus/live-pg15, live-sqlite): PostgreSQL's XML
# and YAML formats, psql's frames and line styles, CSV export, several plans in one result, and whole terminal
# sessions (prompt, statement, result) including terminal-wrapped ones, captured from tmux panes as displayed.
# Usage: scripts/capturePasteCorpus.sh OUTDIR   (needs psql, tmux and sqlite3; PGHOST/PGUSER/PGDATABASE as for psql)
# The scratch schema plan_corpus_<pid> is dropped at the end. Timings differ from one capture to the next, so the
# manifest's figures must be recounted after a re-capture.
set -euo pipefail
out=${1:?usage: capturePasteCorpus.sh OUTDIR}
mkdir -p "$out"
S=plan_corpus_$$
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres} PGDATABASE=${PGDATABASE:-test}
psql -qX -v ON_ERROR_STOP=1 <<SQL
create schema $S;
set search_path = $S;
create table customers (id int primary key, name text, city text);
insert into customers select i, 'c'||i, 'city'||(i%50) from generate_series(1,20000) i;
create table orders (id int primary key, customer_id int, amount numeric, note text);
insert into orders select i, 1 + i % 20000, i % 997, repeat('x', i % 40) from generate_series(1,200000) i;
create index on orders(customer_id);
create table audit (id int, at timestamptz);
create table archived (id int primary key, customer_id int);
create rule archived_audit as on insert to archived do also insert into audit values (new.id, now());
analyze;
SQL
trap 'psql -qX -c "drop schema $S cascade"' EXIT
Q1="select c.city, sum(o.amount) from orders o join customers c on c.id = o.customer_id where o.amount > 900 group by c.city order by 2 desc limit 5"
Q2="select * from customers where city = 'city7'"
Q3="select * from orders where customer_id = 42"
Q4="insert into archived values (1, 2)"
cap() { printf 'set search_path = %s;\n%b\n%s;\n' "$S" "$3" "$4" | psql -qX $2 -f - > "$out/$1" 2>&1; }
cap xml-analyze-buffers.psql.xml "" "" "explain (analyze, buffers, format xml) $Q1"
cap xml-plain.unaligned-tuples.xml "-At" "" "explain (format xml) $Q3"
cap xml-costs-off.psql.xml "" "" "explain (costs off, format xml) $Q1"
cap xml-analyze.linestyle-unicode.xml "" '\\pset linestyle unicode' "explain (analyze, format xml) $Q3"
cap yaml-analyze.psql.yaml "" "" "explain (analyze, format yaml) $Q1"
cap yaml-plain.unaligned-tuples.yaml "-At" "" "explain (format yaml) $Q2"
cap yaml-verbose-buffers-settings.psql.yaml "" "" "explain (analyze, verbose, buffers, settings, format yaml) $Q3"
cap yaml-analyze.border2-unicode.yaml "" '\\pset border 2\n\\pset linestyle unicode' "explain (analyze, format yaml) $Q3"
cap text-analyze.border2-ascii.txt "" '\\pset border 2' "explain analyze $Q1"
cap text-analyze.border2-unicode.txt "" '\\pset border 2\n\\pset linestyle unicode' "explain analyze $Q1"
cap text-analyze.border1-unicode.txt "" '\\pset linestyle unicode' "explain analyze $Q1"
cap json-analyze.linestyle-unicode.json "" '\\pset linestyle unicode' "explain (analyze, format json) $Q1"
cap json-analyze.border2-unicode.json "" '\\pset border 2\n\\pset linestyle unicode' "explain (analyze, format json) $Q3"
cap json-analyze.border2-ascii.json "" '\\pset border 2' "explain (analyze, format json) $Q3"
cap json-plain.unaligned.json "" '\\a' "explain (format json) $Q3"
cap text-analyze.unaligned.txt "" '\\a' "explain analyze $Q1"
cap json-analyze.csv.json "--csv" "" "explain (analyze, format json) $Q1"
cap text-analyze.csv.txt "--csv" "" "explain analyze $Q1"
cap text-costs-off-single-node.psql.txt "" "" "explain (costs off) $Q2"
cap text-costs-off-single-node.tuples-only.txt "-t" "" "explain (costs off) $Q2"
cap text-rule-two-plans.psql.txt "" "begin;" "explain analyze $Q4; rollback"
cap json-rule-two-plans.psql.json "" "begin;" "explain (analyze, format json) $Q4; rollback"
cap xml-rule-two-plans.psql.xml "" "begin;" "explain (analyze, format xml) $Q4; rollback"
cap yaml-rule-two-plans.psql.yaml "" "begin;" "explain (costs off, format yaml) $Q4; rollback"
cap text-costs-off-rule-two-plans.psql.txt "" "" "explain (costs off) $Q4"

# tmux parses a trailing ';' as its own command separator, hence the escape.
type_line() { local t="$1"; [[ "$t" == *";" ]] && t="${t%;}\\;"; tmux send-keys -t "$pane" -l "$t"; tmux send-keys -t "$pane" Enter; }
blank_tail() { sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'; }
session() { # name columns prompt statement
  pane=pc$$; tmux new-session -d -s "$pane" -x "$2" -y 300 "psql -X"; sleep 0.8
  type_line '\pset pager off'; type_line "set search_path = $S;"
  if [ -n "$3" ]; then type_line "$3"; fi
  sleep 0.3; type_line '\! clear'; sleep 0.5; tmux clear-history -t "$pane"
  type_line "$4"; sleep 2.5
  tmux capture-pane -t "$pane" -p -S - | blank_tail > "$out/$1"
  mkdir -p "$out/.joined"; tmux capture-pane -t "$pane" -p -J -S - | blank_tail > "$out/.joined/$1"
  type_line '\q'; sleep 0.3; tmux kill-session -t "$pane" 2>/dev/null || true
}
bracket="\\set PROMPT1 '[%p](%n@%M:%>)%n@%/%R%# '"
session session-json.default-prompt.json 200 "" "explain (analyze, format json) $Q3;"
session session-json.bracket-prompt.json 200 "$bracket" "explain (analyze, buffers, format json) $Q3;"
session session-text.bracket-prompt.txt 200 "$bracket" "explain analyze $Q1;"
session session-xml.default-prompt.xml 200 "" "explain (format xml) $Q3;"
session session-yaml.default-prompt.yaml 200 "" "explain (analyze, format yaml) $Q3;"
session session-text-costs-off.default-prompt.txt 200 "" "explain (costs off) $Q2;"
session session-json.60-columns.json 60 "" "explain (analyze, format json) $Q3;"
session wrapped-text.80-columns.txt 80 "" "explain analyze $Q1;"
session wrapped-text.100-columns.txt 100 "" "explain (analyze, buffers) $Q3;"
session wrapped-text-verbose.90-columns.txt 90 "" "explain (analyze, verbose) $Q1;"

# SQLite: the shell's tree, its rows with `.explain off` and `.header on`, and both after a `sqlite>` prompt.
db=$(mktemp -d)/lib.db
sqlite3 "$db" "create table authors(id integer primary key, name text); create table books(id integer primary key, author_id int references authors(id), title text, year int); create index books_author on books(author_id); create table reviews(book_id int, stars int, body text);"
L1="select a.name, count(*) from books b join authors a on a.id = b.author_id where b.year > 2000 group by a.name order by 2 desc"
L2="select * from books where id in (select book_id from reviews where stars = 5) or author_id = 3"
L3="select title from books where author_id = 7 union all select body from reviews where stars > (select avg(stars) from reviews)"
L4="select * from books b where exists (select 1 from reviews r where r.book_id = b.id) order by year"
i=0; for q in "$L1" "$L2" "$L3" "$L4"; do i=$((i+1)); sqlite3 "$db" "explain query plan $q" > "$out/sqlite-q$i.shell-tree.txt"; done
sqlite3 -header -list "$db" ".explain off" "explain query plan $L1" > "$out/sqlite-q1.rows-header.txt"
ssession() { # name setup statement
  pane=sq$$; tmux new-session -d -s "$pane" -x 160 -y 200 "sqlite3 $db"; sleep 0.5
  if [ -n "$2" ]; then type_line "$2"; sleep 0.2; fi
  tmux send-keys -t "$pane" C-l; sleep 0.2; tmux clear-history -t "$pane"
  type_line "$3"; sleep 1
  tmux capture-pane -t "$pane" -p -S - | blank_tail > "$out/$1"; type_line ".quit"; sleep 0.2
}
ssession sqlite-session.tree-q1.txt "" "explain query plan $L1;"
ssession sqlite-session.tree-q2.txt "" "explain query plan $L2;"
ssession sqlite-session.rows-header-q2.txt $'.explain off\n.header on' "explain query plan $L2;"
ssession sqlite-session.rows-header-q4.txt $'.explain off\n.header on' "explain query plan $L4;"
