// description: Emerging methods and benchmarks: first seen in or after a year, ranked by papers since then.
// params: since (int, 2023), min_papers (int, 2), limit (int, 20)
// example: since=2020 min_papers=1
// Papers without a year are ignored; domains are left out (they are a fixed taxonomy).
// Recent papers are grouped first, then entities with an older paper are dropped
// (NOT EXISTS stops at the first one), far cheaper than every entity's first year.
MATCH (p:Paper)-[]->(e)
WHERE p.year >= $since AND NOT (e.key STARTS WITH 'domain:')
WITH e, min(p.year) AS first_year, count(DISTINCT p) AS papers
WHERE papers >= $min_papers AND NOT EXISTS {
  MATCH (old:Paper)-[]->(e) WHERE old.year < first_year
}
RETURN e.key AS key, e.name AS name, first_year, papers
ORDER BY papers DESC, first_year DESC, key
LIMIT $limit
