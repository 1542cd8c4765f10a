/**
 * Renders a definition as a diagram: Mermaid flowchart or Graphviz dot.
 * Parallel branches and Map processors become subgraphs; Choice edges carry
 * their rule, Default and Catch edges are labelled (Catch edges dashed).
 */
import type { JsonObject } from '../json';
import { buildGraph, GRAPH_END as END, GRAPH_START as START, type GraphScope as Scope } from './model';

export { buildGraph, GRAPH_END, GRAPH_START, type GraphEdge, type GraphNode, type GraphScope } from './model';

export type GraphFormat = 'mermaid' | 'dot';

/** Renders a (valid) definition. */
export function renderGraph(definition: JsonObject, format: GraphFormat = 'mermaid'): string {
  const root = buildGraph(definition);
  return format === 'dot' ? toDot(root) : toMermaid(root);
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
      const parent = child.owner;
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
      const parent = child.owner;
      if (parent) lines.push(`${indent}${parent} -> ${child.nodes[0].id} [style=dotted];`);
    }
  };
  emit(root, '  ');
  lines.push('}');
  return lines.join('\n') + '\n';
}
