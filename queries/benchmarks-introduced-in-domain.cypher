// description: Papers that introduce a benchmark or dataset in a domain, newest first, with the evidence sentence.
// params: domain (string), limit (int, 50)
// example: domain="Reinforcement Learning"
// The domain is matched by key or by name, case-insensitively.
MATCH (d:Domain)
WHERE d.key = $domain OR toLower(d.name) = toLower($domain)
MATCH (d)<-[:IN_DOMAIN]-(p:Paper)-[r:INTRODUCES]->(b:Benchmark)
RETURN b.key AS benchmark, b.name AS name, p.key AS paper, p.title AS title, p.year AS year,
       r.evidence AS evidence
ORDER BY coalesce(year, 0) DESC, benchmark, paper
LIMIT $limit
