// description: Which methods are used or proposed in papers that evaluate on a benchmark.
// params: benchmark (string), limit (int, 20)
// example: benchmark=ImageNet
// The benchmark is matched by key or by name, case-insensitively.
MATCH (b:Benchmark)
WHERE b.key = $benchmark OR toLower(b.name) = toLower($benchmark)
MATCH (m:Method)<-[:PROPOSES|USES]-(p:Paper)-[:EVALUATES_ON|INTRODUCES]->(b)
RETURN m.key AS method, m.name AS name, count(DISTINCT p) AS papers
ORDER BY papers DESC, method
LIMIT $limit
