// description: Papers most similar to a paper: ranked by the methods, benchmarks and tasks they share with it.
// params: paper (paper), limit (int, 10)
// example: paper="Mish: A Self Regularized Non-Monotonic Activation Function" limit=5
// $paper is the paper's key (`paperkg query` and run_named_query resolve a title or a key to it);
// shared domains do not count.
MATCH (p:Paper {key: $paper})
MATCH (p)-[]->(e)<-[]-(q:Paper)
WHERE q <> p AND NOT (e.key STARTS WITH 'domain:')
RETURN q.key AS paper, q.title AS title, q.year AS year, count(DISTINCT e) AS shared
ORDER BY shared DESC, paper
LIMIT $limit
