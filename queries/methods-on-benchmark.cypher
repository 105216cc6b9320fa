// description: Which methods are used or proposed in papers that evaluate on a benchmark.
// params: benchmark (benchmark), limit (int, 20)
// example: benchmark=ImageNet
// $benchmark is the benchmark's key: `paperkg query` and run_named_query resolve a name, alias or key to it.
MATCH (b:Benchmark {key: $benchmark})
MATCH (m:Method)<-[:PROPOSES|USES]-(p:Paper)-[:EVALUATES_ON|INTRODUCES]->(b)
RETURN m.key AS method, m.name AS name, count(DISTINCT p) AS papers
ORDER BY papers DESC, method
LIMIT $limit
