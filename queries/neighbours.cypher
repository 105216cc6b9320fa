// description: The papers linked to an entity (method, benchmark or domain) with the evidence sentence of each link.
// params: entity (string), limit (int, 50)
// example: entity=ImageNet limit=5
// The entity is matched by key or by name, case-insensitively.
MATCH (e)
WHERE NOT (e.key STARTS WITH 'paper:') AND (e.key = $entity OR toLower(e.name) = toLower($entity))
MATCH (p:Paper)-[r]->(e)
RETURN e.key AS entity, p.key AS paper, p.title AS title, p.year AS year, r.role AS role,
       r.evidence AS evidence, r.confidence AS confidence
ORDER BY confidence DESC, coalesce(year, 0) DESC, paper, entity, coalesce(role, '')
LIMIT $limit
