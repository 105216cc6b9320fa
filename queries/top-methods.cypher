// description: Methods ranked by the number of papers that propose or use them.
// params: limit (int, 20)
// example: limit=10
// paper_count is the number of distinct papers linking to the entity (kept by
// `paperkg build`); ranking on it first keeps the query fast on large graphs.
MATCH (m:Method)
WITH m ORDER BY m.paper_count DESC, m.key LIMIT $limit
OPTIONAL MATCH (m)<-[r:PROPOSES]-(:Paper)
RETURN m.key AS method, m.name AS name, m.paper_count AS papers, count(r) AS proposed_in
ORDER BY papers DESC, method
