-- Maintenance statements. EXPLAIN ANALYZE executes a statement, so for these writes the extension asks first
-- and always rolls the work back: the rows below survive an "Explain Query".

-- Purge old page-view events.
DELETE FROM events
WHERE kind = 'page_view'
  AND occurred_at < now() - interval '180 days';

-- Mark stale carts as abandoned.
UPDATE orders
SET status = 'abandoned'
WHERE status = 'cart'
  AND created_at < now() - interval '30 days';
