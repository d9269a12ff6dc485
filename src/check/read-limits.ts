/**
 * Bounds on reading one manifest document, shared by both readers (docs/ci.md "What is read, and how"). Kept apart
 * from the readers so that the fast one does not load the precise one's YAML library to learn them.
 */

/** Nodes that aliases may add to one document (alias-budget.ts). */
export const MAX_ALIAS_EXPANSION = 1_000_000;
