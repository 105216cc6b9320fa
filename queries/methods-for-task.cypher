// description: Which methods are proposed or used in papers that address a task (research problem).
// params: task (string), limit (int, 20)
// example: "task=image classification"
// The task is matched by key or by name, case-insensitively.
MATCH (t:Task)
WHERE t.key = $task OR toLower(t.name) = toLower($task)
MATCH (m:Method)<-[:PROPOSES|USES]-(p:Paper)-[:ADDRESSES]->(t)
RETURN m.key AS method, m.name AS name, count(DISTINCT p) AS papers
ORDER BY papers DESC, method
LIMIT $limit
