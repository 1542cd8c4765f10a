/** The syntax tree of an intrinsic invocation. */
import type { CompiledPath } from '../jsonpath';
import type { JsonValue } from '../json';

export type IntrinsicNode =
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly IntrinsicNode[]; readonly source: string }
  | { readonly kind: 'literal'; readonly value: JsonValue }
  | { readonly kind: 'path'; readonly path: CompiledPath };
