// Ladybug dialect of path.cypher: Kùzu-style `* ALL SHORTEST` instead of allShortestPaths(),
// properties(nodes(p), ...) instead of list comprehensions, and a joined key string to order by
// (Ladybug cannot ORDER BY a list). Same columns and order as path.cypher. Both ends are bound in
// one MATCH ... WHERE: bound by separate MATCH clauses, Ladybug expands from every node.
MATCH (a), (b)
WHERE a.key = $source AND b.key = $target AND a <> b
MATCH p = (a)-[:PROPOSES|USES|INTRODUCES|EVALUATES_ON* ALL SHORTEST 1..6]-(b)
WITH properties(nodes(p), 'key') AS keys, properties(nodes(p), 'name') AS names, length(p) AS hops
RETURN hops, keys, names
ORDER BY hops, list_to_string(' > ', keys)
LIMIT $limit
