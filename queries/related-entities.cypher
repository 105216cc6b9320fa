// description: Methods, benchmarks and tasks that appear in the same papers as an entity, by number of shared papers.
// params: entity (entity), limit (int, 20)
// example: entity="DeepMind Control Suite"
// $entity is a method's, benchmark's, task's or domain's key (`paperkg query` and run_named_query resolve
// a name, alias or key to it); domains are left out of the answer.
MATCH (e)
WHERE e.key = $entity
MATCH (e)<-[]-(p:Paper)-[]->(o)
WHERE o <> e AND NOT (o.key STARTS WITH 'domain:')
RETURN o.key AS key, o.name AS name, count(DISTINCT p) AS papers
ORDER BY papers DESC, key
LIMIT $limit
