// description: Papers per year in a domain (papers without a year are left out).
// params: domain (domain)
// example: domain="Computer Vision"
// $domain is the domain's key: `paperkg query` and run_named_query resolve a name, alias or key to it.
MATCH (d:Domain {key: $domain})
MATCH (d)<-[:IN_DOMAIN]-(p:Paper)
WHERE p.year IS NOT NULL
RETURN p.year AS year, count(DISTINCT p) AS papers
ORDER BY year
