-- Demo shop queries for the embedded demo database (PostgreSQL in WebAssembly: nothing to install).
-- Tables: customers, products, orders, order_items, events (orders in 2023, events in 2024).
-- Put the cursor inside a statement, right-click, and choose "Optimize Query" or "Explain Query".

-- A customer's order history. Slow: orders.customer_id has no index, so every call scans all orders.
SELECT o.id, o.status, o.created_at, o.total
FROM orders o
WHERE o.customer_id = 42
ORDER BY o.created_at DESC
LIMIT 20;

-- Revenue per product category in the last quarter of 2023: order_items.order_id has no index either.
SELECT p.category,
       count(DISTINCT o.id) AS orders,
       sum(oi.quantity * oi.unit_price) AS revenue
FROM orders o
JOIN order_items oi ON oi.order_id = o.id
JOIN products p ON p.id = oi.product_id
WHERE o.created_at >= '2023-10-01' AND o.created_at < '2024-01-01'
GROUP BY p.category
ORDER BY revenue DESC;

-- Most active customers in September 2024, from the events stream (events.customer_id is not indexed).
SELECT c.id, c.email, count(*) AS events
FROM customers c
JOIN events e ON e.customer_id = c.id
WHERE e.occurred_at >= '2024-09-01' AND e.occurred_at < '2024-10-01'
GROUP BY c.id, c.email
ORDER BY events DESC
LIMIT 10;

-- Customers in Berlin. Country and city are perfectly correlated, so the planner's row estimate is far off.
SELECT id, email, created_at
FROM customers
WHERE country = 'DE' AND city = 'Berlin';
