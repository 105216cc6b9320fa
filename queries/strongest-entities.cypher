// description: Entities with the strongest support: at least k papers, with mention count and mean confidence.
// params: min_papers (int, 3), type (string, any), limit (int, 25)
// example: min_papers=2 type=method
// type is method, benchmark, task, domain or any. Entities are ranked on paper_count
// (distinct linking papers) first; mentions and confidence are summed for the winners only.
MATCH (e)
WHERE e.paper_count >= $min_papers AND ($type = 'any' OR e.key STARTS WITH ($type + ':'))
WITH e ORDER BY e.paper_count DESC, e.key LIMIT $limit
MATCH (:Paper)-[r]->(e)
WITH e, sum(r.count) AS mentions, avg(r.confidence) AS confidence
RETURN e.key AS key, e.name AS name, e.paper_count AS papers, mentions, round(confidence, 3) AS mean_confidence
ORDER BY papers DESC, key
