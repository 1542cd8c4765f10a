/**
 * Renders a definition as a diagram: Mermaid flowchart or Graphviz dot.
 * Parallel branches and Map processors become subgraphs; Choice edges carry
 * their rule, Default and Catch edges are labelled (Catch edges dashed).
 */
import { isJsonObject, type JsonObject } from '../json';

export type GraphFormat = 'mermaid' | 'dot';

interface Edge {
  from: string;
  to: string;
  label?: string;
  dashed?: boolean;
}

interface Scope {
  id: string;
  label: string;
  nodes: { id: string; label: string; type: string }[];
  edges: Edge[];
  children: Scope[];
  start: string;
}

const START = '__start';
const END = '__end';

/** Renders a (valid) definition. */
export function renderGraph(definition: JsonObject, format: GraphFormat = 'mermaid'): string {
  const ids = new Map<string, string>();
  const idOf = (path: string): string => {
    let id = ids.get(path);
    if (!id) {
      id = `s${ids.size}`;
      ids.set(path, id);
    }
    return id;
  };
  const root = buildScope(definition, '', 'StateMachine', idOf);
  return format === 'dot' ? toDot(root) : toMermaid(root);
}

function buildScope(def: JsonObject, pointer: string, label: string, idOf: (p: string) => string): Scope {
  const states = isJsonObject(def.States) ? def.States : {};
  const scope: Scope = { id: `cluster_${idOf(pointer + '#scope')}`, label, nodes: [], edges: [], children: [], start: idOf(`${pointer}/States/${String(def.StartAt)}`) };
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
        if (isJsonObject(branch)) scope.children.push(Object.assign(buildScope(branch, `${pointer}/States/${name}/Branches/${i}`, `${name} branch ${i + 1}`, idOf), { owner: id }));
      });
    }
    const processor = value.ItemProcessor ?? value.Iterator;
    if (isJsonObject(processor)) {
      scope.children.push(Object.assign(buildScope(processor, `${pointer}/States/${name}/ItemProcessor`, `${name} items`, idOf), { owner: id }));
    }
  }
  if (hasEnd) scope.nodes.push({ id: end, label: 'End', type: END });
  scope.nodes.unshift({ id: idOf(`${pointer}#start`), label: 'Start', type: START });
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

function owner(scope: Scope): string | undefined {
  return (scope as Scope & { owner?: string }).owner;
}

function mermaidLabel(text: string): string {
  return text.replace(/"/g, '#quot;');
}

function toMermaid(root: Scope): string {
  const lines = ['flowchart TD'];
  const emit = (scope: Scope, indent: string): void => {
    for (const node of scope.nodes) {
      const label = mermaidLabel(node.type === START || node.type === END ? node.label : `${node.label}<br/>(${node.type})`);
      if (node.type === START || node.type === END) lines.push(`${indent}${node.id}(("${label}"))`);
      else if (node.type === 'Choice') lines.push(`${indent}${node.id}{"${label}"}`);
      else lines.push(`${indent}${node.id}["${label}"]`);
    }
    for (const edge of scope.edges) {
      const arrow = edge.dashed ? '-.->' : '-->';
      lines.push(`${indent}${edge.from} ${arrow}${edge.label ? `|"${mermaidLabel(edge.label)}"|` : ''} ${edge.to}`);
    }
    for (const child of scope.children) {
      lines.push(`${indent}subgraph ${child.id}["${mermaidLabel(child.label)}"]`);
      emit(child, indent + '  ');
      lines.push(`${indent}end`);
      const parent = owner(child);
      if (parent) lines.push(`${indent}${parent} -.- ${child.id}`);
    }
  };
  emit(root, '  ');
  return lines.join('\n') + '\n';
}

function dotLabel(text: string): string {
  return JSON.stringify(text);
}

function toDot(root: Scope): string {
  const lines = ['digraph StateMachine {', '  node [shape=box, style=rounded];'];
  const emit = (scope: Scope, indent: string): void => {
    for (const node of scope.nodes) {
      const shape = node.type === START || node.type === END ? 'circle' : node.type === 'Choice' ? 'diamond' : 'box';
      const label = node.type === START || node.type === END ? node.label : `${node.label}\n(${node.type})`;
      lines.push(`${indent}${node.id} [label=${dotLabel(label)}, shape=${shape}];`);
    }
    for (const edge of scope.edges) {
      const attrs = [edge.label ? `label=${dotLabel(edge.label)}` : '', edge.dashed ? 'style=dashed' : ''].filter(Boolean).join(', ');
      lines.push(`${indent}${edge.from} -> ${edge.to}${attrs ? ` [${attrs}]` : ''};`);
    }
    for (const child of scope.children) {
      lines.push(`${indent}subgraph ${child.id} {`, `${indent}  label=${dotLabel(child.label)};`);
      emit(child, indent + '  ');
      lines.push(`${indent}}`);
      const parent = owner(child);
      if (parent) lines.push(`${indent}${parent} -> ${child.nodes[0].id} [style=dotted];`);
    }
  };
  emit(root, '  ');
  lines.push('}');
  return lines.join('\n') + '\n';
}
