-- Maintenance statements. EXPLAIN ANALYZE executes a statement, so for these writes the extension asks first
-- and always rolls the work back: the rows survive an "Explain Query" even when you accept.

-- Purge the oldest page-view events.
DELETE FROM events
WHERE kind = 'page_view'
  AND occurred_at < '2024-03-01';

-- Cancel orders left pending for months.
UPDATE orders
SET status = 'cancelled'
WHERE status = 'pending'
  AND created_at < '2023-06-01';
