// description: The shortest paths (up to 6 hops, through papers, not through domains) between two entities or papers.
// params: source (node), target (node), limit (int, 3)
// example: source=ImageNet target="DeepMind Control Suite"
// $source and $target are node keys: `paperkg query` and run_named_query resolve a name,
// an alias, a title or a key to them. All shortest paths
// are ranked by their key sequence so that the answer is deterministic.
MATCH (a), (b)
WHERE a.key = $source AND b.key = $target AND a <> b
MATCH p = allShortestPaths((a)-[:PROPOSES|USES|INTRODUCES|EVALUATES_ON*..6]-(b))
WITH [n IN nodes(p) | n.key] AS keys, [n IN nodes(p) | n.name] AS names, length(p) AS hops
RETURN hops, keys, names
ORDER BY hops, keys
LIMIT $limit
