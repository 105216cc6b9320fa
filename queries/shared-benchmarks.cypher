// description: Benchmarks shared by two methods, with how many papers of each method evaluate on them.
// params: method_a (method), method_b (method), limit (int, 20)
// example: method_a="Data Augmentation" method_b=Fine-Tuning
// $method_a and $method_b are method keys (`paperkg query` and run_named_query resolve a name,
// an alias or a key to them). Two MATCH clauses
// (not one long pattern) so that one paper using both methods counts on both sides
// under Neo4j's and Ladybug's different pattern-uniqueness rules alike; method_b is
// looked up after method_a's benchmarks are counted (3x faster on Ladybug than both first).
MATCH (a:Method {key: $method_a})
MATCH (a)<-[:PROPOSES|USES]-(pa:Paper)-[:EVALUATES_ON|INTRODUCES]->(x:Benchmark)
WITH x, count(DISTINCT pa) AS papers_a
MATCH (b:Method {key: $method_b})
MATCH (b)<-[:PROPOSES|USES]-(pb:Paper)-[:EVALUATES_ON|INTRODUCES]->(x)
RETURN x.key AS benchmark, x.name AS name, papers_a, count(DISTINCT pb) AS papers_b
ORDER BY papers_a + papers_b DESC, benchmark
LIMIT $limit
