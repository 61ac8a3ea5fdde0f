// What scripts/capturePlanCorpus.ts runs: a schema of our own for PostgreSQL and for SQLite, and the statements whose
// plans make up the live part of the plan corpus. The statements are chosen to make the planner produce every kind of
// node and shape a user meets (each comment says which), with the settings that make it do so; the table sizes are the
// smallest that still give those plans. Nothing here is copied from another project.

/** One PostgreSQL statement to EXPLAIN. */
export interface PgQuery {
  id: string;
  sql: string;
  /** EXPLAIN options without FORMAT (added per capture); '' for plain EXPLAIN. */
  options: string;
  /** Settings for the session, as SET statements without the trailing semicolon. */
  settings?: string[];
  /** The statement writes: it runs between BEGIN and ROLLBACK. */
  writes?: boolean;
  /** What the plan shows, for the manifest. */
  shows: string;
}

/** The database the PostgreSQL statements run in; `:'db'` is the database's own name (psql variable). */
export const pgSchema = String.raw`
create table customers (id int primary key, name text not null, city text, segment text, created date);
insert into customers select i, 'customer ' || i, 'city' || (i % 50), (array['retail','smb','enterprise'])[1 + i % 3], date '2020-01-01' + (i % 1500) from generate_series(1, 20000) i;
create table products (id int primary key, name text, category int, price numeric(10,2));
insert into products select i, 'product ' || i, i % 40, (i % 500) + 0.99 from generate_series(1, 2000) i;
create index products_category on products (category);
create table orders (id int primary key, customer_id int not null references customers, status text, amount numeric(10,2), created_at timestamptz, note text);
insert into orders select i, 1 + (i * 7919) % 20000, (array['new','paid','shipped','cancelled'])[1 + i % 4], (i % 997) + 0.5, timestamptz '2024-01-01' + (i % 365) * interval '1 day' + (i % 1440) * interval '1 minute', case when i % 10 = 0 then repeat('x', i % 40) end from generate_series(1, 200000) i;
create index orders_customer on orders (customer_id);
create index orders_created on orders (created_at);
create index orders_status_amount on orders (status, amount);
create table order_items (order_id int not null references orders, line int not null, product_id int not null references products, qty int, primary key (order_id, line));
insert into order_items select o, l, 1 + (o * 31 + l * 17) % 2000, 1 + (o + l) % 5 from generate_series(1, 100000) o, generate_series(1, 3) l;
create table events (id bigint, at timestamptz not null, kind text, customer_id int, payload jsonb) partition by range (at);
create table events_2024_q1 partition of events for values from ('2024-01-01') to ('2024-04-01');
create table events_2024_q2 partition of events for values from ('2024-04-01') to ('2024-07-01');
create table events_2024_q3 partition of events for values from ('2024-07-01') to ('2024-10-01');
create table events_2024_q4 partition of events for values from ('2024-10-01') to ('2025-01-01');
create table events_other partition of events default;
insert into events select i, timestamptz '2024-01-01' + (i % 400) * interval '1 day' + (i % 86400) * interval '1 second', (array['view','click','buy'])[1 + i % 3], 1 + i % 20000, jsonb_build_object('n', i) from generate_series(1, 120000) i;
create index events_at on events (at);
create index events_customer on events (customer_id);
create table sessions (id int, customer_id int not null, started timestamptz, pages int) partition by hash (customer_id);
create table sessions_0 partition of sessions for values with (modulus 4, remainder 0);
create table sessions_1 partition of sessions for values with (modulus 4, remainder 1);
create table sessions_2 partition of sessions for values with (modulus 4, remainder 2);
create table sessions_3 partition of sessions for values with (modulus 4, remainder 3);
insert into sessions select i, 1 + (i * 13) % 20000, timestamptz '2024-01-01' + i * interval '1 minute', i % 30 from generate_series(1, 80000) i;
create index sessions_customer on sessions (customer_id);
create table tree (id int primary key, parent_id int, name text);
insert into tree select i, nullif(i / 2, 0), 'node ' || i from generate_series(1, 5000) i;
create index tree_parent on tree (parent_id);
create table docs (id int primary key, body text, tsv tsvector);
insert into docs select i, w, to_tsvector('english', w) from (select i, (array['alpha','beta','gamma','delta'])[1 + i % 4] || ' ' || (array['beta','epsilon','zeta'])[1 + i % 3] || ' ' || md5(i::text) as w from generate_series(1, 5000) i) s;
create index docs_tsv on docs using gin (tsv);
create table readings (sensor int, at timestamptz, value float8);
insert into readings select i % 20, timestamptz '2024-01-01' + i * interval '30 seconds', sin(i) * 100 from generate_series(1, 150000) i;
create index readings_at_brin on readings using brin (at);
create table audit (id int, at timestamptz, what text);
create table archived (id int primary key, customer_id int);
create rule archived_audit as on insert to archived do also insert into audit values (new.id, now(), 'archived');
create table accounts (id int primary key, balance numeric not null, updated timestamptz);
insert into accounts select i, 100, now() from generate_series(1, 1000) i;
create function touch_updated() returns trigger language plpgsql as $$ begin new.updated := now(); return new; end $$;
create trigger accounts_touch before update on accounts for each row execute function touch_updated();
create extension postgres_fdw;
create server loopback foreign data wrapper postgres_fdw options (host :'host', port :'port', dbname :'db');
create user mapping for current_user server loopback options (user :'user');
create foreign table remote_customers (id int, name text, city text) server loopback options (schema_name 'public', table_name 'customers');
vacuum analyze;
`;

const parallel = ['set max_parallel_workers_per_gather = 4', 'set parallel_setup_cost = 0', 'set parallel_tuple_cost = 0', 'set min_parallel_table_scan_size = 0', 'set min_parallel_index_scan_size = 0'];
const jit = ['set jit = on', 'set jit_above_cost = 0', 'set jit_inline_above_cost = 0', 'set jit_optimize_above_cost = 0'];
const noHashNoMerge = ['set enable_hashjoin = off', 'set enable_mergejoin = off'];

export const pgQueries: PgQuery[] = [
  // Scans of every kind.
  { id: 'seq-scan-filter', sql: "select * from orders where note like 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx%'", options: 'analyze', shows: 'Seq Scan with a filter and rows removed' },
  { id: 'seq-scan-plain', sql: 'select * from customers', options: '', shows: 'a single Seq Scan, estimates only' },
  { id: 'index-scan-pk', sql: 'select * from orders where id = 4242', options: 'analyze, buffers', shows: 'Index Scan on the primary key' },
  { id: 'index-only-scan', sql: 'select customer_id from orders where customer_id between 100 and 200', options: 'analyze', shows: 'Index Only Scan with Heap Fetches' },
  { id: 'index-scan-backward', sql: 'select * from orders order by created_at desc limit 10', options: 'analyze', shows: 'Limit over an Index Scan Backward' },
  { id: 'bitmap-heap-scan', sql: 'select * from orders where customer_id < 300', options: 'analyze, buffers', shows: 'Bitmap Heap Scan over a Bitmap Index Scan, exact heap blocks' },
  { id: 'bitmap-or', sql: "select * from orders where customer_id = 10 or created_at < '2024-01-01 02:00'", options: 'analyze', shows: 'BitmapOr of two Bitmap Index Scans' },
  { id: 'bitmap-and', sql: "select * from orders where customer_id < 2000 and created_at < '2024-01-20'", options: 'analyze', settings: ['set enable_indexscan = off', 'set enable_seqscan = off'], shows: 'BitmapAnd of two Bitmap Index Scans' },
  { id: 'lossy-bitmap', sql: 'select count(*) from orders where customer_id < 9000', options: 'analyze, buffers', settings: ['set work_mem = \'64kB\'', 'set enable_indexscan = off', 'set enable_seqscan = off', 'set max_parallel_workers_per_gather = 0'], shows: 'Bitmap Heap Scan with lossy heap blocks and rows removed by recheck' },
  { id: 'tid-scan', sql: "select * from orders where ctid = '(10,3)'", options: 'analyze', shows: 'Tid Scan' },
  { id: 'tid-range-scan', sql: "select count(*) from orders where ctid < '(100,0)'", options: 'analyze', shows: 'Tid Range Scan under an Aggregate' },
  { id: 'sample-scan', sql: 'select count(*) from orders tablesample system (5) repeatable (42)', options: 'analyze', shows: 'Sample Scan' },
  { id: 'function-scan', sql: 'select g, g * g from generate_series(1, 1000) g where g % 7 = 0', options: 'analyze', shows: 'Function Scan with a filter' },
  { id: 'values-join', sql: "select c.* from (values (1, 'a'), (2, 'b'), (3, 'c')) v(id, tag) join customers c on c.id = v.id", options: 'analyze', shows: 'Values Scan in a Nested Loop' },
  { id: 'table-function-scan', sql: "select * from xmltable('/r/i' passing xmlparse(document '<r><i a=\"1\"/><i a=\"2\"/><i a=\"3\"/></r>') columns a int path '@a')", options: 'analyze', shows: 'Table Function Scan' },
  { id: 'gin-bitmap', sql: "select id, body from docs where tsv @@ to_tsquery('english', 'alpha & epsilon')", options: 'analyze, buffers', shows: 'Bitmap Index Scan on a GIN index' },
  { id: 'brin-bitmap', sql: "select avg(value) from readings where at between '2024-01-10' and '2024-01-12'", options: 'analyze', shows: 'Bitmap Index Scan on a BRIN index, lossy blocks' },
  { id: 'foreign-scan', sql: "select * from remote_customers where city = 'city3' order by id limit 5", options: 'analyze, verbose', shows: 'Foreign Scan through postgres_fdw with its Remote SQL' },
  { id: 'result-one-time-filter', sql: 'select * from customers where 1 = 0', options: 'analyze', shows: 'Result with One-Time Filter: false' },
  { id: 'project-set', sql: 'select id, generate_series(1, 3) from customers where id < 5', options: 'analyze', shows: 'ProjectSet over an Index Scan' },
  { id: 'lock-rows', sql: 'select * from accounts where id < 10 for update', options: 'analyze', writes: true, shows: 'LockRows' },
  { id: 'count-index-only-parallel-off', sql: 'select count(*) from orders where status = \'paid\'', options: 'analyze, buffers', settings: ['set max_parallel_workers_per_gather = 0'], shows: 'Aggregate over an Index Only Scan on a composite index' },

  // Joins of every kind.
  { id: 'hash-join-top-cities', sql: 'select c.city, sum(o.amount) from orders o join customers c on c.id = o.customer_id where o.amount > 900 group by c.city order by 2 desc limit 5', options: 'analyze', shows: 'Limit, Sort, HashAggregate, Hash Join, Hash' },
  { id: 'merge-join', sql: 'select c.name, o.amount from customers c join orders o on o.customer_id = c.id where c.id < 1000', options: 'analyze', settings: ['set enable_hashjoin = off', 'set enable_nestloop = off'], shows: 'Merge Join over two sorted inputs' },
  { id: 'nested-loop', sql: 'select * from customers c join orders o on o.customer_id = c.id where c.id = 17', options: 'analyze', shows: 'Nested Loop of an Index Scan and a Bitmap Heap Scan' },
  { id: 'hash-left-join', sql: "select c.id, count(o.id) from customers c left join orders o on o.customer_id = c.id and o.status = 'new' group by c.id", options: 'analyze', shows: 'Hash Right Join (a LEFT JOIN turned around) under a HashAggregate' },
  { id: 'full-join', sql: 'select * from customers c full join (select distinct customer_id from orders where amount > 990) o on o.customer_id = c.id', options: 'analyze', shows: 'Hash Full Join' },
  { id: 'merge-full-join', sql: 'select count(*) from customers c full join (select distinct customer_id from orders where amount > 990) o on o.customer_id = c.id', options: 'analyze', settings: ['set enable_hashjoin = off'], shows: 'Merge Full Join' },
  { id: 'semi-join', sql: 'select * from customers c where exists (select 1 from orders o where o.customer_id = c.id and o.amount > 900)', options: 'analyze', settings: ['set enable_hashagg = off'], shows: 'Hash Semi Join' },
  { id: 'anti-join', sql: "select count(*) from customers c where not exists (select 1 from orders o where o.customer_id = c.id and o.status = 'cancelled')", options: 'analyze', shows: 'Hash Anti Join' },
  { id: 'nested-loop-anti', sql: 'select * from products p where not exists (select 1 from order_items i where i.product_id = p.id and i.order_id < 10)', options: 'analyze', settings: noHashNoMerge, shows: 'Nested Loop Anti Join with Materialize' },
  { id: 'lateral-top2', sql: 'select c.id, o.id, o.amount from customers c left join lateral (select * from orders o where o.customer_id = c.id order by o.created_at desc limit 2) o on true where c.id < 50', options: 'analyze', shows: 'Nested Loop Left Join over a LATERAL Limit and Sort' },
  { id: 'memoize', sql: 'select p.category, sum(i.qty) from order_items i join products p on p.id = i.product_id where i.order_id < 3000 group by p.category', options: 'analyze', settings: noHashNoMerge, shows: 'Memoize with cache hits and misses in a Nested Loop' },
  { id: 'four-way-join', sql: "select c.segment, p.category, sum(i.qty * p.price) from customers c join orders o on o.customer_id = c.id join order_items i on i.order_id = o.id join products p on p.id = i.product_id where o.created_at >= '2024-06-01' and o.created_at < '2024-06-08' group by 1, 2 order by 3 desc limit 10", options: 'analyze, buffers', shows: 'four tables joined, aggregated and sorted' },
  { id: 'materialize-inequality', sql: 'select count(*) from products p1 join products p2 on p1.price < p2.price where p1.category = 1 and p2.category = 2', options: 'analyze', settings: noHashNoMerge, shows: 'Nested Loop with a Join Filter over a Materialize' },
  { id: 'cross-join', sql: 'select count(*) from (values (1), (2), (3)) a(x) cross join generate_series(1, 10) g', options: 'analyze', shows: 'Nested Loop without a condition' },

  // Aggregates, grouping sets, windows, distinct.
  { id: 'group-aggregate', sql: 'select customer_id, count(*), max(amount) from orders where customer_id < 500 group by customer_id', options: 'analyze', settings: ['set enable_hashagg = off'], shows: 'GroupAggregate over an ordered scan' },
  { id: 'hash-aggregate-spill', sql: 'select customer_id % 7000, count(*) from orders group by 1', options: 'analyze', settings: ['set work_mem = \'64kB\'', 'set enable_sort = off', 'set max_parallel_workers_per_gather = 0'], shows: 'HashAggregate that spills to disk (Batches, Disk Usage)' },
  { id: 'grouping-sets', sql: "select status, date_trunc('month', created_at), sum(amount) from orders group by grouping sets ((status), (date_trunc('month', created_at)), ())", options: 'analyze', shows: 'MixedAggregate for GROUPING SETS' },
  { id: 'rollup', sql: 'select c.segment, c.city, count(*) from customers c group by rollup (c.segment, c.city)', options: 'analyze', shows: 'GroupAggregate with a ROLLUP' },
  { id: 'cube', sql: 'select status, extract(dow from created_at) as dow, count(*) from orders where customer_id < 2000 group by cube (status, dow)', options: 'analyze', shows: 'MixedAggregate for a CUBE' },
  { id: 'window-functions', sql: 'select id, customer_id, amount, rank() over (partition by customer_id order by amount desc), sum(amount) over w from orders where customer_id < 100 window w as (partition by customer_id)', options: 'analyze', shows: 'WindowAgg twice over a Sort' },
  { id: 'distinct-on', sql: 'select distinct on (customer_id) customer_id, id, created_at from orders where customer_id < 300 order by customer_id, created_at desc', options: 'analyze', shows: 'Unique over a Sort' },
  { id: 'distinct-hash', sql: 'select distinct city from customers', options: 'analyze', shows: 'HashAggregate for DISTINCT' },
  { id: 'filter-aggregate', sql: "select count(*) filter (where status = 'paid'), percentile_cont(0.5) within group (order by amount) from orders where customer_id < 1000", options: 'analyze', shows: 'an ordered-set Aggregate' },

  // Sorts.
  { id: 'top-n-heapsort', sql: 'select * from orders order by amount desc, id limit 20', options: 'analyze', settings: ['set max_parallel_workers_per_gather = 0'], shows: 'Sort with top-N heapsort under a Limit' },
  { id: 'incremental-sort', sql: 'select * from orders where customer_id < 5000 order by customer_id, created_at limit 100', options: 'analyze', shows: 'Incremental Sort over an ordered Index Scan' },
  { id: 'external-sort', sql: 'select id, note from orders order by note, amount', options: 'analyze, buffers', settings: ['set work_mem = \'64kB\'', 'set max_parallel_workers_per_gather = 0'], shows: 'Sort with external merge on disk' },

  // CTEs: materialized, inlined, recursive.
  { id: 'cte-materialized', sql: 'with t as materialized (select customer_id, sum(amount) s from orders group by 1) select * from t a join t b on a.s = b.s and a.customer_id < b.customer_id where a.customer_id < 10', options: 'analyze', shows: 'one CTE read by two CTE Scans' },
  { id: 'cte-inlined', sql: "with recent as (select * from orders where created_at > '2024-12-20') select status, count(*) from recent group by status", options: 'analyze', shows: 'a CTE inlined into the query' },
  { id: 'cte-recursive', sql: 'with recursive r as (select id, parent_id, 1 as depth from tree where id = 1 union all select t.id, t.parent_id, r.depth + 1 from tree t join r on t.parent_id = r.id) select depth, count(*) from r group by depth order by depth', options: 'analyze', shows: 'Recursive Union with a WorkTable Scan' },

  // InitPlan and SubPlan.
  { id: 'initplan', sql: 'select * from orders where amount = (select max(amount) from orders) and customer_id < 100', options: 'analyze', shows: 'an InitPlan feeding an index condition' },
  { id: 'subplan-correlated', sql: 'select c.id, (select count(*) from orders o where o.customer_id = c.id) from customers c where c.id < 100', options: 'analyze', shows: 'a correlated SubPlan run once per row' },
  { id: 'subplan-hashed', sql: 'select count(*) from customers where id not in (select customer_id from orders where amount > 990)', options: 'analyze', shows: 'a hashed SubPlan for NOT IN' },
  { id: 'subplans-everywhere', sql: 'with big as materialized (select customer_id, sum(amount) total from orders group by customer_id) select c.id, (select max(o.amount) from orders o where o.customer_id = c.id) as top, b.total, (select avg(total) from big) from customers c join big b on b.customer_id = c.id where c.id < 200', options: 'analyze, verbose', shows: 'a CTE, an InitPlan and a SubPlan in one plan' },

  // Set operations.
  { id: 'union', sql: 'select city from customers union select status from orders', options: 'analyze', shows: 'HashAggregate over an Append for UNION' },
  { id: 'union-all-sorted', sql: 'select id, created_at from orders where customer_id = 5 union all select id, at from events where customer_id = 5 order by 2', options: 'analyze', shows: 'Sort over an Append for UNION ALL' },
  { id: 'intersect', sql: 'select customer_id from orders where amount > 990 intersect select customer_id from sessions where pages > 28', options: 'analyze', shows: 'HashSetOp Intersect' },
  { id: 'except-sorted', sql: 'select customer_id from orders where amount > 995 except select id from customers where id > 10000', options: 'analyze', settings: ['set enable_hashagg = off'], shows: 'SetOp Except over a Sort' },

  // Partitioned tables: pruning, Append, MergeAppend, partitionwise work.
  { id: 'partition-pruned', sql: "select count(*) from events where at >= '2024-05-01' and at < '2024-06-01'", options: 'analyze', shows: 'one partition left after plan-time pruning' },
  { id: 'partition-append', sql: "select kind, count(*) from events where payload ? 'n' group by kind", options: 'analyze', settings: ['set max_parallel_workers_per_gather = 0'], shows: 'Append over every partition' },
  { id: 'partition-runtime-pruning', sql: 'select * from events where at = (select max(created_at) from orders where customer_id = 42)', options: 'analyze', shows: 'run-time pruning: partitions never executed' },
  { id: 'merge-append', sql: 'select * from events order by at limit 20', options: 'analyze', shows: 'Merge Append of ordered partition scans' },
  { id: 'partitionwise-aggregate', sql: 'select customer_id, count(*) from sessions group by customer_id', options: 'analyze', settings: ['set enable_partitionwise_aggregate = on', 'set max_parallel_workers_per_gather = 0'], shows: 'partitionwise HashAggregates under an Append' },
  { id: 'partitionwise-join', sql: 'select count(*) from sessions a join sessions b on a.customer_id = b.customer_id and a.id < b.id where a.pages = 1', options: 'analyze', settings: ['set enable_partitionwise_join = on', 'set max_parallel_workers_per_gather = 0'], shows: 'partitionwise joins under an Append' },
  { id: 'hash-partition-pruned', sql: 'select * from sessions where customer_id = 42', options: 'analyze', shows: 'hash partition pruning down to one partition' },
  { id: 'prepared-generic-pruning', sql: "execute recent_events('2024-12-01')", options: 'analyze', settings: ['set plan_cache_mode = force_generic_plan', 'prepare recent_events(timestamptz) as select count(*) from events where at > $1'], shows: 'a generic plan pruned at executor start (Subplans Removed)' },

  // Parallel plans.
  { id: 'parallel-aggregate', sql: 'select status, count(*), avg(amount) from orders group by status', options: 'analyze', settings: parallel, shows: 'Finalize and Partial aggregates around a Gather (Merge) over a Parallel Seq Scan' },
  { id: 'parallel-hash-join', sql: 'select count(*) from orders o join order_items i on i.order_id = o.id where i.qty > 2', options: 'analyze', settings: parallel, shows: 'Parallel Hash Join' },
  { id: 'gather-merge', sql: 'select * from orders where amount > 500 order by amount, id limit 100', options: 'analyze', settings: parallel, shows: 'Gather Merge over a parallel Sort' },
  { id: 'parallel-append', sql: 'select kind, count(*) from events group by kind', options: 'analyze', settings: parallel, shows: 'Parallel Append over partitions' },
  { id: 'parallel-verbose', sql: 'select customer_id % 10, sum(amount) from orders where amount > 100 group by 1', options: 'analyze, verbose, buffers', settings: parallel, shows: 'per-worker lines under VERBOSE' },
  { id: 'parallel-index-scan', sql: 'select count(*) from orders where customer_id between 1000 and 15000', options: 'analyze', settings: [...parallel, 'set enable_bitmapscan = off', 'set enable_seqscan = off'], shows: 'Parallel Index Only Scan' },
  { id: 'workers-not-launched', sql: 'select count(*) from orders where amount > 10', options: 'analyze', settings: [...parallel, 'set max_parallel_workers = 0'], shows: 'a Gather whose workers were planned but not launched' },

  // Writes with RETURNING, run between BEGIN and ROLLBACK.
  { id: 'insert-returning', sql: "insert into orders select i, 1 + i % 20000, 'new', 1, now(), null from generate_series(1000001, 1000200) i returning id", options: 'analyze, wal, buffers', writes: true, shows: 'Insert with WAL figures and foreign-key triggers' },
  { id: 'update-returning', sql: 'update accounts set balance = balance + 1 where id < 100 returning id, balance', options: 'analyze, wal', writes: true, shows: 'Update with a row trigger' },
  { id: 'delete-fk', sql: 'delete from order_items where order_id < 100 returning *', options: 'analyze, buffers', writes: true, shows: 'Delete with RETURNING' },
  { id: 'delete-parent-fk', sql: 'delete from orders where id > 199990 returning id', options: 'analyze', writes: true, shows: 'Delete whose foreign-key trigger runs per row' },
  { id: 'upsert', sql: "insert into customers values (1, 'x', 'y', 'retail', now()), (30001, 'z', 'w', 'smb', now()) on conflict (id) do update set name = excluded.name returning *", options: 'analyze', writes: true, shows: 'Insert with ON CONFLICT DO UPDATE' },
  { id: 'merge', sql: 'merge into accounts a using (select id, 5 as d from generate_series(1, 1200) id) s on a.id = s.id when matched then update set balance = balance + s.d when not matched then insert values (s.id, s.d, now())', options: 'analyze, wal', writes: true, shows: 'Merge with inserted and updated tuples' },
  { id: 'update-partitioned', sql: "update events set kind = 'seen' where at < '2024-01-03' or at > '2025-01-30'", options: 'analyze', writes: true, shows: 'Update on a partitioned table, its target partitions listed' },
  { id: 'insert-partitioned', sql: "insert into events select i, timestamptz '2024-03-01' + i * interval '1 hour', 'view', i, '{}' from generate_series(1, 5000) i", options: 'analyze, wal', writes: true, shows: 'Insert routed into partitions' },
  { id: 'writable-cte', sql: 'with gone as (delete from order_items where order_id between 500 and 510 returning *) insert into audit select order_id, now(), \'removed\' from gone returning *', options: 'analyze', writes: true, shows: 'a data-modifying CTE' },
  { id: 'rule-two-plans', sql: 'insert into archived values (1, 2)', options: 'analyze', writes: true, shows: 'a statement rewritten by a rule into two plans' },
  { id: 'rule-two-plans-costs-off', sql: 'insert into archived values (3, 4)', options: 'costs off', shows: 'two plans without costs' },

  // Option variants: COSTS OFF, TIMING OFF, SUMMARY, SETTINGS, VERBOSE, JIT on and off, I/O timings.
  { id: 'costs-off-single-node', sql: "select * from customers where city = 'city7'", options: 'costs off', shows: 'one node without costs' },
  { id: 'costs-off-join', sql: "select c.name, o.id from customers c join orders o on o.customer_id = c.id where c.city = 'city7' and o.status = 'paid'", options: 'costs off', shows: 'a join without costs' },
  { id: 'costs-off-analyze', sql: 'select status, count(*) from orders where customer_id < 3000 group by status', options: 'analyze, costs off, timing off, summary off', shows: "ANALYZE without costs, timings or summary (the regression tests' style)" },
  { id: 'timing-off', sql: 'select c.segment, count(*) from customers c join orders o on o.customer_id = c.id group by c.segment', options: 'analyze, timing off', shows: 'actual rows without times' },
  { id: 'summary-plain', sql: "select * from orders where created_at between '2024-03-01' and '2024-03-02'", options: 'summary', shows: 'plain EXPLAIN with its planning time' },
  { id: 'summary-off', sql: 'select count(*) from order_items where qty = 5', options: 'analyze, summary off', shows: 'ANALYZE without planning and execution times' },
  { id: 'settings', sql: 'select * from orders where customer_id = 77 order by amount', options: 'analyze, settings', settings: ["set work_mem = '8MB'", 'set random_page_cost = 1.1', 'set enable_bitmapscan = off'], shows: 'the Settings line for changed settings' },
  { id: 'verbose-query-id', sql: 'select c.name, count(*) from customers c join sessions s on s.customer_id = c.id where c.id < 300 group by c.name', options: 'analyze, verbose', settings: ['set compute_query_id = on'], shows: 'Output lines and the Query Identifier' },
  { id: 'jit-on', sql: 'select segment, sum(length(name)), avg(id) from customers where id % 7 = 3 group by segment', options: 'analyze', settings: jit, shows: 'a JIT section with its timings' },
  { id: 'jit-verbose', sql: 'select status, count(*) from orders where amount * 2 > 1000 group by status', options: 'analyze, verbose, buffers', settings: [...jit, 'set max_parallel_workers_per_gather = 0'], shows: 'JIT with VERBOSE and BUFFERS' },
  { id: 'jit-off', sql: 'select segment, sum(length(name)) from customers group by segment', options: 'analyze, settings', settings: ['set jit = off'], shows: 'JIT turned off, shown in Settings' },
  { id: 'io-timing', sql: "select count(*) from orders where note like 'x%'", options: 'analyze, buffers', settings: ['set track_io_timing = on', 'set max_parallel_workers_per_gather = 0'], shows: 'I/O Timings beside the buffers' },
  { id: 'buffers-planning', sql: "select * from orders o join customers c on c.id = o.customer_id where o.id between 10 and 20", options: 'analyze, buffers', shows: 'buffers for planning as well as execution' },
];

/** One SQLite statement for EXPLAIN QUERY PLAN. */
export interface SqliteQuery {
  id: string;
  sql: string;
  shows: string;
  /** Also run on SQLite 3.22 (rows before 3.24): only SQL that 3.22 reads (no window functions, no RIGHT JOIN). */
  old?: boolean;
  /** Returns a row or two, none starting with three integers: also captured with `.eqp on`, results included. */
  eqp?: boolean;
}

/** The SQLite database (also read by SQLite 3.22, so nothing newer than 3.22's SQL). */
export const sqliteSchema = `
create table authors (id integer primary key, name text not null, country text);
create table books (id integer primary key, author_id int references authors(id), title text, year int, isbn text unique);
create index books_author on books (author_id);
create index books_year on books (year, title);
create table reviews (id integer primary key, book_id int references books(id), stars int, body text);
create index reviews_book on reviews (book_id);
create table tags (book_id int, tag text, primary key (book_id, tag)) without rowid;
create index books_title_lower on books (lower(title));
with recursive n(i) as (select 1 union all select i + 1 from n where i < 200) insert into authors select i, 'author ' || i, case i % 3 when 0 then 'FR' when 1 then 'US' else 'JP' end from n;
with recursive n(i) as (select 1 union all select i + 1 from n where i < 2000) insert into books select i, 1 + i % 200, 'title ' || i, 1950 + i % 70, 'isbn-' || i from n;
with recursive n(i) as (select 1 union all select i + 1 from n where i < 6000) insert into reviews select i, 1 + (i * 7) % 2000, 1 + i % 5, 'review ' || i from n;
with recursive n(i) as (select 1 union all select i + 1 from n where i < 3000) insert or ignore into tags select 1 + i % 2000, 'tag' || (i % 25) from n;
analyze;
`;

export const sqliteQueries: SqliteQuery[] = [
  { id: 'scan', sql: "select * from reviews where body like '%5%'", shows: 'a full SCAN', old: true },
  { id: 'search-pk', sql: 'select * from books where id = 42', shows: 'SEARCH using the integer primary key', old: true, eqp: true },
  { id: 'search-index', sql: 'select * from books where author_id = 7', shows: 'SEARCH using an index', old: true },
  { id: 'covering-index', sql: 'select year, title from books where year > 2000', shows: 'a covering index', old: true },
  { id: 'join-group-order', sql: 'select a.name, count(*) from books b join authors a on a.id = b.author_id where b.year > 2000 group by a.name order by 2 desc', shows: 'a join with temp B-trees for GROUP BY and ORDER BY', old: true },
  { id: 'multi-index-or', sql: "select * from books where author_id = 3 or isbn = 'isbn-9'", shows: 'MULTI-INDEX OR', old: true },
  { id: 'in-subquery', sql: 'select * from books where id in (select book_id from reviews where stars = 5) or author_id = 3', shows: 'a LIST SUBQUERY', old: true },
  { id: 'correlated', sql: 'select b.title, (select max(stars) from reviews r where r.book_id = b.id) from books b where b.year = 1999', shows: 'a CORRELATED SCALAR SUBQUERY', old: true },
  { id: 'scalar-subquery', sql: 'select title from books where author_id = 7 union all select body from reviews where stars > (select avg(stars) from reviews)', shows: 'a compound query with a SCALAR SUBQUERY', old: true },
  { id: 'exists', sql: 'select * from books b where exists (select 1 from reviews r where r.book_id = b.id) order by year', shows: 'EXISTS and an ORDER BY', old: true },
  { id: 'union', sql: 'select name from authors union select title from books', shows: 'UNION USING TEMP B-TREE', old: true },
  { id: 'except-ordered', sql: 'select author_id from books except select id from authors where country = \'FR\' order by 1', shows: 'MERGE (EXCEPT)', old: true },
  { id: 'intersect', sql: 'select author_id from books intersect select id from authors', shows: 'INTERSECT', old: true },
  { id: 'subquery-coroutine', sql: 'select * from (select author_id, count(*) n from books group by author_id) t where n > 5 order by n', shows: 'a CO-ROUTINE for a subquery in FROM', old: true },
  { id: 'materialize', sql: 'select * from (select * from books order by year limit 10) x, (select * from authors order by name limit 10) y where x.author_id = y.id', shows: 'MATERIALIZE', old: true },
  { id: 'automatic-index', sql: 'select * from reviews r join (select book_id, count(*) c from tags group by book_id) t on t.book_id = r.stars', shows: 'an AUTOMATIC index', old: true },
  { id: 'distinct', sql: 'select distinct country from authors', shows: 'a temp B-tree for DISTINCT', old: true, eqp: true },
  { id: 'left-join', sql: 'select a.name, b.title from authors a left join books b on b.author_id = a.id where a.country = \'JP\'', shows: 'a LEFT JOIN', old: true },
  { id: 'without-rowid', sql: "select * from tags where book_id = 12 and tag > 'tag1'", shows: 'a WITHOUT ROWID table searched by its primary key', old: true, eqp: true },
  { id: 'expression-index', sql: "select * from books where lower(title) = 'title 12'", shows: 'an index on an expression', old: true, eqp: true },
  { id: 'recursive-cte', sql: 'with recursive n(i) as (select 1 union all select i + 1 from n where i < 10) select * from n', shows: 'SETUP and RECURSIVE STEP', eqp: true },
  { id: 'window', sql: 'select title, rank() over (partition by author_id order by year) from books where author_id < 5', shows: 'a window function over a co-routine' },
  { id: 'right-join', sql: 'select a.name, b.title from books b right join authors a on b.author_id = a.id', shows: 'a RIGHT JOIN (3.39 and later)' },
  { id: 'json-each', sql: "select b.title, j.value from books b, json_each('[1,2,3]') j where b.id = j.value", shows: 'a table-valued function (VIRTUAL TABLE INDEX)' },
  { id: 'in-list-bloom', sql: 'select count(*) from reviews r join books b on b.id = r.book_id join authors a on a.id = b.author_id where a.country = \'FR\' and r.stars = 4', shows: 'a three-way join, BLOOM FILTER where the planner adds one', eqp: true },
  { id: 'materialized-cte', sql: 'with top as materialized (select book_id, avg(stars) s from reviews group by book_id) select * from top t1 join top t2 on t1.s = t2.s where t1.book_id < 5', shows: 'a MATERIALIZEd CTE read twice' },
];
