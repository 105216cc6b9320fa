// description: Which benchmarks and datasets papers on a task (research problem) evaluate on or introduce.
// params: task (task), limit (int, 20)
// example: "task=image classification"
// $task is the task's key: `paperkg query` and run_named_query resolve a name, alias or key to it.
MATCH (t:Task {key: $task})
MATCH (b:Benchmark)<-[:EVALUATES_ON|INTRODUCES]-(p:Paper)-[:ADDRESSES]->(t)
RETURN b.key AS benchmark, b.name AS name, count(DISTINCT p) AS papers
ORDER BY papers DESC, benchmark
LIMIT $limit
