/**
 * The diagram model of a definition: one scope per States object (the
 * machine, each Parallel branch, each Map processor), its states as nodes and
 * its transitions as edges. The renderers (Mermaid, dot) and the console's
 * graph view all draw this one model.
 */
import { isJsonObject, type JsonObject } from '../json';

/** A transition: Next, End, a Choice rule, Default or Catch. */
export interface GraphEdge {
  from: string;
  to: string;
  label?: string;
  /** A Catch edge. */
  dashed?: boolean;
}

/** A state (or a scope's Start and End marker). */
export interface GraphNode {
  id: string;
  /** The state's name ('Start' and 'End' for the markers). */
  label: string;
  /** The state's Type, or GRAPH_START / GRAPH_END for the markers. */
  type: string;
}

/** One States object: the machine, a Parallel branch or a Map processor. */
export interface GraphScope {
  id: string;
  label: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  children: GraphScope[];
  start: string;
  /** The id of the Parallel or Map state that runs this scope; absent on the root. */
  owner?: string;
}

/** The type of a scope's Start marker. */
export const GRAPH_START = '__start';
/** The type of a scope's End marker. */
export const GRAPH_END = '__end';

/** Builds the model of a (valid) definition; node ids are `s0`, `s1`, … in definition order. */
export function buildGraph(definition: JsonObject): GraphScope {
  const ids = new Map<string, string>();
  const idOf = (path: string): string => {
    let id = ids.get(path);
    if (!id) {
      id = `s${ids.size}`;
      ids.set(path, id);
    }
    return id;
  };
  return buildScope(definition, '', 'StateMachine', idOf);
}

function buildScope(def: JsonObject, pointer: string, label: string, idOf: (p: string) => string): GraphScope {
  const states = isJsonObject(def.States) ? def.States : {};
  const scope: GraphScope = { id: `cluster_${idOf(pointer + '#scope')}`, label, nodes: [], edges: [], children: [], start: idOf(`${pointer}/States/${String(def.StartAt)}`) };
  const end = idOf(`${pointer}#end`);
  let hasEnd = false;
  for (const [name, value] of Object.entries(states)) {
    if (!isJsonObject(value)) continue;
    const id = idOf(`${pointer}/States/${name}`);
    const type = String(value.Type);
    scope.nodes.push({ id, label: name, type });
    const to = (target: unknown) => idOf(`${pointer}/States/${String(target)}`);
    if (typeof value.Next === 'string') scope.edges.push({ from: id, to: to(value.Next) });
    if (value.End === true || type === 'Succeed' || type === 'Fail') {
      scope.edges.push({ from: id, to: end });
      hasEnd = true;
    }
    if (Array.isArray(value.Choices)) {
      for (const rule of value.Choices) if (isJsonObject(rule)) scope.edges.push({ from: id, to: to(rule.Next), label: describeRule(rule) });
    }
    if (typeof value.Default === 'string') scope.edges.push({ from: id, to: to(value.Default), label: 'Default' });
    if (Array.isArray(value.Catch)) {
      for (const c of value.Catch) if (isJsonObject(c)) scope.edges.push({ from: id, to: to(c.Next), label: `Catch ${(c.ErrorEquals as string[] | undefined)?.join(', ') ?? ''}`, dashed: true });
    }
    if (Array.isArray(value.Branches)) {
      value.Branches.forEach((branch, i) => {
        if (isJsonObject(branch)) scope.children.push({ ...buildScope(branch, `${pointer}/States/${name}/Branches/${i}`, `${name} branch ${i + 1}`, idOf), owner: id });
      });
    }
    const processor = value.ItemProcessor ?? value.Iterator;
    if (isJsonObject(processor)) {
      scope.children.push({ ...buildScope(processor, `${pointer}/States/${name}/ItemProcessor`, `${name} items`, idOf), owner: id });
    }
  }
  if (hasEnd) scope.nodes.push({ id: end, label: 'End', type: GRAPH_END });
  scope.nodes.unshift({ id: idOf(`${pointer}#start`), label: 'Start', type: GRAPH_START });
  scope.edges.unshift({ from: idOf(`${pointer}#start`), to: scope.start });
  return scope;
}

/** A short label for a Choice rule. */
function describeRule(rule: JsonObject): string {
  if (typeof rule.Condition === 'string') return rule.Condition.replace(/^\{%\s*|\s*%\}$/g, '');
  const op = Object.keys(rule).find((k) => !['Next', 'Variable', 'Comment', 'Assign', 'Output'].includes(k));
  if (op === undefined) return '';
  if (op === 'And' || op === 'Or' || op === 'Not') return op;
  return `${String(rule.Variable)} ${op} ${JSON.stringify(rule[op])}`;
}
