// description: Papers that evaluate on (or introduce) a benchmark, newest first, with the evidence sentence.
// params: benchmark (string), limit (int, 20)
// example: benchmark=ImageNet limit=10
// The benchmark is matched by key or by name, case-insensitively.
MATCH (p:Paper)-[r:EVALUATES_ON|INTRODUCES]->(b:Benchmark)
WHERE b.key = $benchmark OR toLower(b.name) = toLower($benchmark)
RETURN p.key AS paper, p.title AS title, p.year AS year, r.role AS role, r.evidence AS evidence
ORDER BY coalesce(year, 0) DESC, paper, role
LIMIT $limit
