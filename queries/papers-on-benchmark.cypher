// description: Papers that evaluate on (or introduce) a benchmark, newest first, with the evidence sentence.
// params: benchmark (benchmark), limit (int, 20)
// example: benchmark=ImageNet limit=10
// $benchmark is the benchmark's key: `paperkg query` and run_named_query resolve a name, alias or key to it.
MATCH (b:Benchmark {key: $benchmark})
MATCH (p:Paper)-[r:EVALUATES_ON|INTRODUCES]->(b)
RETURN p.key AS paper, p.title AS title, p.year AS year, r.role AS role, r.evidence AS evidence
ORDER BY coalesce(year, 0) DESC, paper, role
LIMIT $limit
