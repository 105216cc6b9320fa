// description: Methods used across the most research domains (by the domains of the papers using them).
// params: min_papers (int, 2), limit (int, 20)
// example: limit=10
// A method in fewer than min_papers papers is skipped before the join (it cannot lead the ranking).
MATCH (m:Method)
WHERE m.paper_count >= $min_papers
MATCH (m)<-[:PROPOSES|USES]-(:Paper)-[:IN_DOMAIN]->(d:Domain)
WITH m, count(DISTINCT d) AS domains
RETURN m.key AS method, m.name AS name, domains, m.paper_count AS papers
ORDER BY domains DESC, papers DESC, method
LIMIT $limit
