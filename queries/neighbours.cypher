// description: The papers linked to an entity (method, benchmark, task or domain) with the evidence sentence of each link.
// params: entity (entity), limit (int, 50)
// example: entity=ImageNet limit=5
// $entity is a method's, benchmark's, task's or domain's key: `paperkg query` and run_named_query
// resolve a name, alias or key to it.
MATCH (e)
WHERE e.key = $entity
MATCH (p:Paper)-[r]->(e)
RETURN e.key AS entity, p.key AS paper, p.title AS title, p.year AS year, r.role AS role,
       r.evidence AS evidence, r.confidence AS confidence
ORDER BY confidence DESC, coalesce(year, 0) DESC, paper, entity, coalesce(role, '')
LIMIT $limit
