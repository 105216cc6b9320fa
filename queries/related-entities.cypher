// description: Methods, benchmarks and tasks that appear in the same papers as an entity, by number of shared papers.
// params: entity (string), limit (int, 20)
// example: entity="DeepMind Control Suite"
// The entity is matched by key or by name, case-insensitively; domains are left out of the answer.
MATCH (e)
WHERE NOT (e.key STARTS WITH 'paper:') AND (e.key = $entity OR toLower(e.name) = toLower($entity))
MATCH (e)<-[]-(p:Paper)-[]->(o)
WHERE o <> e AND NOT (o.key STARTS WITH 'domain:')
RETURN o.key AS key, o.name AS name, count(DISTINCT p) AS papers
ORDER BY papers DESC, key
LIMIT $limit
