// description: Method × benchmark co-occurrence among the most-used methods: papers that use a method and evaluate on a benchmark.
// params: methods (int, 20), min_papers (int, 2), limit (int, 25)
// example: methods=10 min_papers=2 limit=10
// Only the `methods` most-used methods (by paper_count) are paired, which keeps
// the matrix readable and the query fast on large graphs; DISTINCT steps instead of
// count(DISTINCT p) halve Ladybug's time (a paper may both use and propose a method).
MATCH (m:Method)
WITH m ORDER BY m.paper_count DESC, m.key LIMIT $methods
MATCH (m)<-[:PROPOSES|USES]-(p:Paper)
WITH DISTINCT m, p
MATCH (p)-[:EVALUATES_ON|INTRODUCES]->(b:Benchmark)
WHERE b.paper_count >= $min_papers
WITH DISTINCT m, p, b
WITH m, b, count(*) AS papers
WHERE papers >= $min_papers
RETURN m.key AS method, m.name AS method_name, b.key AS benchmark, b.name AS benchmark_name, papers
ORDER BY papers DESC, method, benchmark
LIMIT $limit
