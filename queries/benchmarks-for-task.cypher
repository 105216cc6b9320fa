// description: Which benchmarks and datasets papers on a task (research problem) evaluate on or introduce.
// params: task (string), limit (int, 20)
// example: "task=image classification"
// The task is matched by key or by name, case-insensitively.
MATCH (t:Task)
WHERE t.key = $task OR toLower(t.name) = toLower($task)
MATCH (b:Benchmark)<-[:EVALUATES_ON|INTRODUCES]-(p:Paper)-[:ADDRESSES]->(t)
RETURN b.key AS benchmark, b.name AS name, count(DISTINCT p) AS papers
ORDER BY papers DESC, benchmark
LIMIT $limit
