// description: Benchmarks shared by two methods, with how many papers of each method evaluate on them.
// params: method_a (method), method_b (method), limit (int, 20)
// example: method_a="Data Augmentation" method_b=Fine-Tuning
// $method_a and $method_b are method keys (`paperkg query` and run_named_query resolve a name,
// an alias or a key to them). Two MATCH clauses (not one long pattern) so that one paper using
// both methods counts on both sides under Neo4j's and Ladybug's different pattern-uniqueness rules
// alike. method_b is reached from method_a's benchmarks and tested by key; `b` has no label because
// with one Neo4j seeks it in the key index and expands its papers again for every benchmark
// (13-19 s instead of 0.6-1.3 s on the 50k-paper bench graph).
MATCH (a:Method {key: $method_a})<-[:PROPOSES|USES]-(pa:Paper)-[:EVALUATES_ON|INTRODUCES]->(x:Benchmark)
WITH x, count(DISTINCT pa) AS papers_a
MATCH (x)<-[:EVALUATES_ON|INTRODUCES]-(pb:Paper)-[:PROPOSES|USES]->(b)
WHERE b.key = $method_b
RETURN x.key AS benchmark, x.name AS name, papers_a, count(DISTINCT pb) AS papers_b
ORDER BY papers_a + papers_b DESC, benchmark
LIMIT $limit
