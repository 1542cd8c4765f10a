/**
 * Recognises an aws-stepfunctions `DefinitionBody` by its shape, not with
 * `instanceof`. Why: a user's app may hold its own copy of aws-cdk-lib (a
 * symlinked install, another patch or minor version), and a class from one
 * copy is not an instance of the same class from another. aws-cdk-lib's own
 * StateMachine treats a DefinitionBody the same way: anything with a `bind`.
 */
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';

/** What a definition source is, as far as the construct needs to know. */
export type DefinitionBodyKind =
  | { kind: 'chain'; chainable: sfn.IChainable }
  | { kind: 'file'; path: string }
  | { kind: 'string'; body: string }
  | { kind: 'other' }
  | { kind: 'object'; definition: Record<string, unknown> };

/** True for a DefinitionBody of any aws-cdk-lib copy: an object with a `bind` method (a JSON definition has no functions). */
export function isDefinitionBody(source: unknown): source is sfn.DefinitionBody {
  return source !== null && typeof source === 'object' && typeof (source as { bind?: unknown }).bind === 'function';
}

/**
 * Tells a chain (`fromChainable`: a `chainable` with a `startState`), a file
 * (`fromFile`: a string `path`), a string (`fromString`: a string `body`),
 * another DefinitionBody, or a definition given as an object.
 */
export function definitionBodyKind(source: sfn.DefinitionBody | Record<string, unknown>): DefinitionBodyKind {
  if (!isDefinitionBody(source)) return { kind: 'object', definition: source };
  const body = source as unknown as { chainable?: { startState?: unknown }; path?: unknown; body?: unknown };
  if (body.chainable !== null && typeof body.chainable === 'object' && body.chainable.startState !== undefined) return { kind: 'chain', chainable: body.chainable as sfn.IChainable };
  if (typeof body.path === 'string') return { kind: 'file', path: body.path };
  if (typeof body.body === 'string') return { kind: 'string', body: body.body };
  return { kind: 'other' };
}
