// description: The shortest paths (up to 6 hops, through papers, not through domains) between two entities or papers.
// params: source (string), target (string), limit (int, 3)
// example: source=ImageNet target="DeepMind Control Suite"
// Both ends are matched by key or by name, case-insensitively. All shortest paths
// are ranked by their key sequence so that the answer is deterministic.
MATCH (a), (b)
WHERE (a.key = $source OR toLower(a.name) = toLower($source))
  AND (b.key = $target OR toLower(b.name) = toLower($target))
  AND a <> b
MATCH p = allShortestPaths((a)-[:PROPOSES|USES|INTRODUCES|EVALUATES_ON*..6]-(b))
WITH [n IN nodes(p) | n.key] AS keys, [n IN nodes(p) | n.name] AS names, length(p) AS hops
RETURN hops, keys, names
ORDER BY hops, keys
LIMIT $limit
