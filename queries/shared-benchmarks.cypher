// description: Benchmarks shared by two methods, with how many papers of each method evaluate on them.
// params: method_a (string), method_b (string), limit (int, 20)
// example: method_a="Data Augmentation" method_b=Fine-Tuning
// Methods are matched by key or by name, case-insensitively. Two MATCH clauses
// (not one long pattern) so that one paper using both methods counts on both sides
// under Neo4j's and Ladybug's different pattern-uniqueness rules alike; method_b is
// looked up after method_a's benchmarks are counted (3x faster on Ladybug than both first).
MATCH (a:Method)
WHERE a.key = $method_a OR toLower(a.name) = toLower($method_a)
MATCH (a)<-[:PROPOSES|USES]-(pa:Paper)-[:EVALUATES_ON|INTRODUCES]->(x:Benchmark)
WITH x, count(DISTINCT pa) AS papers_a
MATCH (b:Method)
WHERE b.key = $method_b OR toLower(b.name) = toLower($method_b)
MATCH (b)<-[:PROPOSES|USES]-(pb:Paper)-[:EVALUATES_ON|INTRODUCES]->(x)
RETURN x.key AS benchmark, x.name AS name, papers_a, count(DISTINCT pb) AS papers_b
ORDER BY papers_a + papers_b DESC, benchmark
LIMIT $limit
