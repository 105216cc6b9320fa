// description: Which methods are proposed or used in papers that address a task (research problem).
// params: task (task), limit (int, 20)
// example: "task=image classification"
// $task is the task's key: `paperkg query` and run_named_query resolve a name, alias or key to it.
MATCH (t:Task {key: $task})
MATCH (m:Method)<-[:PROPOSES|USES]-(p:Paper)-[:ADDRESSES]->(t)
RETURN m.key AS method, m.name AS name, count(DISTINCT p) AS papers
ORDER BY papers DESC, method
LIMIT $limit
