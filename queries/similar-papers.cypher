// description: Papers most similar to a paper: ranked by the methods, benchmarks and tasks they share with it.
// params: paper (string), limit (int, 10)
// example: paper="Mish: A Self Regularized Non-Monotonic Activation Function" limit=5
// The paper is matched by key or by exact title (case-insensitive); shared domains do not count.
MATCH (p:Paper)
WHERE p.key = $paper OR toLower(p.title) = toLower($paper)
MATCH (p)-[]->(e)<-[]-(q:Paper)
WHERE q <> p AND NOT (e.key STARTS WITH 'domain:')
RETURN q.key AS paper, q.title AS title, q.year AS year, count(DISTINCT e) AS shared
ORDER BY shared DESC, paper
LIMIT $limit
