-- Demo shop queries for the embedded demo database (no server needed).
-- Put the cursor inside a statement, right-click, and choose "Optimize Query" or "Explain Query".

-- A customer's order history. Slow: orders.customer_id has no index, so every call scans all orders.
SELECT o.id, o.status, o.created_at, o.total_cents
FROM orders o
WHERE o.customer_id = 4217
ORDER BY o.created_at DESC
LIMIT 20;

-- Revenue per product category last quarter: joins order_items to orders without an index on order_id.
SELECT p.category,
       count(DISTINCT o.id) AS orders,
       sum(oi.quantity * oi.unit_price_cents) / 100.0 AS revenue
FROM orders o
JOIN order_items oi ON oi.order_id = o.id
JOIN products p ON p.id = oi.product_id
WHERE o.created_at >= now() - interval '90 days'
GROUP BY p.category
ORDER BY revenue DESC;

-- Most active customers this month, from the events stream (events.customer_id is not indexed either).
SELECT c.id, c.email, count(*) AS events
FROM customers c
JOIN events e ON e.customer_id = c.id
WHERE e.occurred_at >= date_trunc('month', now())
GROUP BY c.id, c.email
ORDER BY events DESC
LIMIT 10;
