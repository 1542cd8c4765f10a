/**
 * Lays out lib/asl's diagram model (buildGraph) with dagre: states as boxes,
 * scopes of Parallel branches and Map processors as nested groups. Pure (no
 * DOM): the view (views/graph-view.ts) only draws what this returns.
 *
 * A Parallel or Map state points into each of its scopes (to the scope's
 * Start); its own onward edges (Next, End) leave from each scope's End, so the
 * next state is ranked below the groups, as the state runs them first.
 */
import dagre from '@dagrejs/dagre';
import { buildGraph, GRAPH_END, GRAPH_START, type GraphEdge, type GraphScope } from '../../lib/asl/graph/model';
import type { JsonObject } from '../../lib/asl/json';

export interface PlacedNode {
  id: string;
  /** The state's name (`Start`/`End` for markers). */
  name: string;
  type: string;
  marker: boolean;
  /** Centre, width and height. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  label?: string;
  dashed: boolean;
  points: { x: number; y: number }[];
  labelAt?: { x: number; y: number };
}

export interface PlacedGroup {
  id: string;
  label: string;
  depth: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  groups: PlacedGroup[];
}

/** The longest state name or edge label drawn in full; longer ones are cut with `…`. */
export const MAX_NODE_CHARS = 32;
export const MAX_LABEL_CHARS = 28;
const CHAR_WIDTH = 7.4;

/** Text cut to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

interface EdgeData {
  label?: string;
  dashed: boolean;
  width: number;
  height: number;
  labelpos: 'c';
  weight: number;
}

/** Lays out a definition. */
export function layoutDefinition(definition: JsonObject): GraphLayout {
  const root = buildGraph(definition);
  const g = new dagre.graphlib.Graph<{ rankdir: string }, Record<string, unknown>, EdgeData>({ multigraph: true, compound: true });
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 36, edgesep: 12, marginx: 16, marginy: 16 } as never);
  const kinds = new Map<string, { name: string; type: string }>();
  const groups = new Map<string, { label: string; depth: number }>();
  let edgeCount = 0;
  const addEdge = (edge: GraphEdge, from = edge.from, to = edge.to, weight = 1): void => {
    const label = edge.label ? clip(edge.label, MAX_LABEL_CHARS) : undefined;
    const data: EdgeData = { dashed: edge.dashed ?? false, width: label ? label.length * 6.4 + 8 : 0, height: label ? 16 : 0, labelpos: 'c', weight, ...(edge.label ? { label: edge.label } : {}) };
    g.setEdge(from, to, data, `e${edgeCount++}`);
  };
  const addScope = (scope: GraphScope, parent: string | undefined, depth: number): void => {
    if (parent !== undefined) {
      // A scope's group sits in the group of the state that owns it (added before its children).
      g.setNode(scope.id, {});
      groups.set(scope.id, { label: scope.label, depth });
      const outer = g.parent(parent);
      if (outer !== undefined) g.setParent(scope.id, outer);
    }
    for (const node of scope.nodes) {
      const marker = node.type === GRAPH_START || node.type === GRAPH_END;
      const width = marker ? 22 : Math.max(110, Math.min(node.label.length, MAX_NODE_CHARS) * CHAR_WIDTH + 28);
      // A group's Start marker is made taller (its circle drawn at the bottom) to leave room for the group's label.
      const roomForLabel = marker && node.type === GRAPH_START && parent !== undefined ? 18 : 0;
      g.setNode(node.id, { width, height: (marker ? 22 : 46) + roomForLabel });
      kinds.set(node.id, { name: node.label, type: node.type });
      if (parent !== undefined) g.setParent(node.id, scope.id);
    }
    const owners = new Set(scope.children.map((c) => c.owner));
    for (const edge of scope.edges) {
      if (owners.has(edge.from) && !edge.dashed) continue; // leaves from the groups' Ends instead
      addEdge(edge);
    }
    for (const child of scope.children) {
      if (child.owner === undefined) continue;
      addScope(child, child.owner, depth + 1);
      // Heavier, so a short branch hangs right below its state rather than sinking to the join.
      addEdge({ from: child.owner, to: child.nodes[0].id }, child.owner, child.nodes[0].id, 4);
      const end = child.nodes.find((n) => n.type === GRAPH_END);
      for (const onward of scope.edges.filter((e) => e.from === child.owner && !e.dashed)) if (end) addEdge(onward, end.id, onward.to);
    }
  };
  addScope(root, undefined, 0);
  dagre.layout(g);

  const nodes: PlacedNode[] = [];
  const placedGroups: PlacedGroup[] = [];
  for (const id of g.nodes()) {
    const n = g.node(id) as { x: number; y: number; width: number; height: number };
    const group = groups.get(id);
    if (group) placedGroups.push({ id, label: group.label, depth: group.depth, x: n.x, y: n.y, width: n.width, height: n.height });
    const kind = kinds.get(id);
    if (!kind) continue;
    const marker = kind.type === GRAPH_START || kind.type === GRAPH_END;
    // Markers are circles of the node's width, at the bottom of a taller node.
    nodes.push({ id, name: kind.name, type: kind.type, marker, x: n.x, y: marker ? n.y + n.height / 2 - n.width / 2 : n.y, width: n.width, height: marker ? n.width : n.height });
  }
  placedGroups.sort((a, b) => a.depth - b.depth);
  const edges: PlacedEdge[] = g.edges().map((e) => {
    const data = g.edge(e) as EdgeData & { points?: { x: number; y: number }[]; x?: number; y?: number };
    return { from: e.v, to: e.w, dashed: data.dashed, points: data.points ?? [], ...(data.label ? { label: data.label } : {}), ...(data.label && data.x !== undefined && data.y !== undefined ? { labelAt: { x: data.x, y: data.y } } : {}) };
  });
  const size = g.graph() as unknown as { width: number; height: number };
  return { width: size.width, height: size.height, nodes, edges, groups: placedGroups };
}
