// description: Find methods, benchmarks, tasks and domains whose name or any alias contains a text (case-insensitive).
// params: text (string), limit (int, 20)
// example: text=transform
// Binding the lowered text first: Ladybug cannot use a parameter inside any(...).
WITH toLower($text) AS needle
MATCH (e)
WHERE e.paper_count IS NOT NULL
  AND (toLower(e.name) CONTAINS needle OR any(a IN e.aliases WHERE toLower(a) CONTAINS needle))
RETURN e.key AS key, e.name AS name,
       CASE WHEN e.key STARTS WITH 'method:' THEN 'Method'
            WHEN e.key STARTS WITH 'benchmark:' THEN 'Benchmark'
            WHEN e.key STARTS WITH 'task:' THEN 'Task'
            ELSE 'Domain' END AS label,
       e.paper_count AS papers, e.aliases AS aliases
ORDER BY papers DESC, key
LIMIT $limit
