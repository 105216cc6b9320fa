// description: Benchmarks and datasets ranked by the number of papers that evaluate on or introduce them.
// params: limit (int, 20)
// example: limit=10
// paper_count is the number of distinct papers linking to the entity (kept by `paperkg build`).
MATCH (b:Benchmark)
WITH b ORDER BY b.paper_count DESC, b.key LIMIT $limit
OPTIONAL MATCH (b)<-[r:INTRODUCES]-(:Paper)
RETURN b.key AS benchmark, b.name AS name, b.paper_count AS papers, count(r) AS introduced_in
ORDER BY papers DESC, benchmark
