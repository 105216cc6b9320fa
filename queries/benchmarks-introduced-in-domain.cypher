// description: Papers that introduce a benchmark or dataset in a domain, newest first, with the evidence sentence.
// params: domain (domain), limit (int, 50)
// example: domain="Reinforcement Learning"
// $domain is the domain's key: `paperkg query` and run_named_query resolve a name, alias or key to it.
MATCH (d:Domain {key: $domain})
MATCH (d)<-[:IN_DOMAIN]-(p:Paper)-[r:INTRODUCES]->(b:Benchmark)
RETURN b.key AS benchmark, b.name AS name, p.key AS paper, p.title AS title, p.year AS year,
       r.evidence AS evidence
ORDER BY coalesce(year, 0) DESC, benchmark, paper
LIMIT $limit
