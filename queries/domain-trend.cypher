// description: Papers per year in a domain (papers without a year are left out).
// params: domain (string)
// example: domain="Computer Vision"
// The domain is matched by key or by name, case-insensitively.
MATCH (d:Domain)
WHERE d.key = $domain OR toLower(d.name) = toLower($domain)
MATCH (d)<-[:IN_DOMAIN]-(p:Paper)
WHERE p.year IS NOT NULL
RETURN p.year AS year, count(DISTINCT p) AS papers
ORDER BY year
