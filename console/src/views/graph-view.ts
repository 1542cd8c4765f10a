/**
 * Draws a GraphLayout as SVG with pan (drag), zoom (wheel, buttons) and fit,
 * all by changing the viewBox, so text stays sharp at every scale. States are
 * coloured by status with setStatuses; a click on a state calls onSelect.
 */
import { clip, MAX_NODE_CHARS, type GraphLayout, type PlacedEdge } from '../graph-layout';
import { h, s } from '../dom';
import type { StateStatus } from '../state-status';

export interface GraphView {
  readonly element: HTMLElement;
  /** Colours each state by its status; states not named are shown as not run. */
  setStatuses(statuses: ReadonlyMap<string, StateStatus>): void;
  /** Marks one state as selected (undefined: none). */
  select(name: string | undefined): void;
  fit(): void;
}

/** Below this scale a whole-graph fit is unreadable: the view opens at READABLE_SCALE on the start instead. */
const MIN_FIT_SCALE = 0.55;
const READABLE_SCALE = 0.9;
const MAX_SCALE = 3;

function pathOf(edge: PlacedEdge): string {
  const [first, ...rest] = edge.points;
  if (!first) return '';
  return `M${first.x},${first.y}` + rest.map((p) => ` L${p.x},${p.y}`).join('');
}

/** Builds the view; `onSelect` gets the clicked state's name. */
export function createGraphView(layout: GraphLayout, onSelect?: (name: string) => void): GraphView {
  const svg = s('svg', { class: 'graph', role: 'img', 'aria-label': 'State machine graph' });
  const defs = s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' })));
  svg.appendChild(defs);
  for (const group of layout.groups) {
    svg.appendChild(s('g', { class: `group depth-${group.depth % 3}` }, s('rect', { x: group.x - group.width / 2, y: group.y - group.height / 2, width: group.width, height: group.height, rx: 8 }), s('text', { x: group.x - group.width / 2 + 8, y: group.y - group.height / 2 + 13, class: 'group-label' }, group.label)));
  }
  for (const edge of layout.edges) {
    const g = s('g', { class: edge.dashed ? 'edge catch' : 'edge' }, s('path', { d: pathOf(edge), 'marker-end': 'url(#arrow)' }));
    if (edge.label && edge.labelAt) {
      const text = clip(edge.label, 28);
      g.appendChild(s('rect', { class: 'edge-label-bg', x: edge.labelAt.x - (text.length * 6.4 + 8) / 2, y: edge.labelAt.y - 8, width: text.length * 6.4 + 8, height: 16, rx: 3 }));
      g.appendChild(s('text', { class: 'edge-label', x: edge.labelAt.x, y: edge.labelAt.y + 4 }, text, s('title', {}, edge.label)));
    }
    svg.appendChild(g);
  }
  const byName = new Map<string, SVGGElement>();
  for (const node of layout.nodes) {
    const x = node.x - node.width / 2;
    const y = node.y - node.height / 2;
    if (node.marker) {
      svg.appendChild(s('g', { class: 'marker' }, s('circle', { cx: node.x, cy: node.y, r: node.width / 2 }), s('title', {}, node.name)));
      continue;
    }
    const g = s(
      'g',
      { class: 'node status-none', 'data-state': node.name, tabindex: 0, onclick: () => onSelect?.(node.name), onkeydown: (e: Event) => (e as KeyboardEvent).key === 'Enter' && onSelect?.(node.name) },
      s('title', {}, `${node.name} (${node.type})`),
      s('rect', { x, y, width: node.width, height: node.height, rx: node.type === 'Choice' ? 14 : 5 }),
      s('text', { class: 'node-name', x: node.x, y: node.y - 3 }, clip(node.name, MAX_NODE_CHARS)),
      s('text', { class: 'node-type', x: node.x, y: node.y + 13 }, node.type),
    );
    byName.set(node.name, g);
    svg.appendChild(g);
  }

  // The viewBox: what part of the layout shows, in layout units; scale is screen pixels per unit.
  let view = { x: 0, y: 0, scale: 1 };
  const size = (): { width: number; height: number } => ({ width: svg.clientWidth || 800, height: svg.clientHeight || 500 });
  const apply = (): void => {
    const { width, height } = size();
    svg.setAttribute('viewBox', `${view.x} ${view.y} ${width / view.scale} ${height / view.scale}`);
  };
  const zoomAt = (factor: number, px: number, py: number): void => {
    const scale = Math.min(MAX_SCALE, Math.max(0.05, view.scale * factor));
    // Keep the layout point under (px, py) where it is.
    const ux = view.x + px / view.scale;
    const uy = view.y + py / view.scale;
    view = { scale, x: ux - px / scale, y: uy - py / scale };
    apply();
  };
  const fit = (): void => {
    const { width, height } = size();
    const scale = Math.min(1.2, width / layout.width, height / layout.height);
    if (scale >= MIN_FIT_SCALE) {
      view = { scale, x: (layout.width - width / scale) / 2, y: (layout.height - height / scale) / 2 };
    } else {
      const start = layout.nodes.find((n) => n.marker) ?? { x: layout.width / 2, y: 0 };
      view = { scale: READABLE_SCALE, x: start.x - width / READABLE_SCALE / 2, y: -8 };
    }
    apply();
  };
  const showAll = (): void => {
    const { width, height } = size();
    const scale = Math.min(width / layout.width, height / layout.height);
    view = { scale, x: (layout.width - width / scale) / 2, y: (layout.height - height / scale) / 2 };
    apply();
  };

  svg.addEventListener('wheel', (e) => {
    e.preventDefault();
    const box = svg.getBoundingClientRect();
    zoomAt(e.deltaY < 0 ? 1.15 : 1 / 1.15, e.clientX - box.left, e.clientY - box.top);
  }, { passive: false });
  let drag: { x: number; y: number; viewX: number; viewY: number } | undefined;
  svg.addEventListener('pointerdown', (e) => {
    if ((e.target as Element).closest('.node')) return;
    drag = { x: e.clientX, y: e.clientY, viewX: view.x, viewY: view.y };
    svg.setPointerCapture(e.pointerId);
    svg.classList.add('dragging');
  });
  svg.addEventListener('pointermove', (e) => {
    if (!drag) return;
    view = { ...view, x: drag.viewX - (e.clientX - drag.x) / view.scale, y: drag.viewY - (e.clientY - drag.y) / view.scale };
    apply();
  });
  const endDrag = (): void => {
    drag = undefined;
    svg.classList.remove('dragging');
  };
  svg.addEventListener('pointerup', endDrag);
  svg.addEventListener('pointercancel', endDrag);

  const centre = (): [number, number] => [size().width / 2, size().height / 2];
  const toolbar = h(
    'div',
    { class: 'graph-toolbar' },
    h('button', { type: 'button', title: 'Zoom in', onclick: () => zoomAt(1.25, ...centre()) }, '+'),
    h('button', { type: 'button', title: 'Zoom out', onclick: () => zoomAt(0.8, ...centre()) }, '−'),
    h('button', { type: 'button', title: 'Fit the graph (readable size on large graphs)', onclick: fit }, 'Fit'),
    h('button', { type: 'button', title: 'Show the whole graph', onclick: showAll }, 'All'),
    h('span', { class: 'graph-count' }, `${byName.size} state${byName.size === 1 ? '' : 's'}`),
  );
  const legend = h('div', { class: 'legend' }, ...(['none', 'running', 'succeeded', 'caught', 'failed', 'cancelled'] as const).map((k) => h('span', { class: `legend-item status-${k}` }, h('i', {}), k === 'none' ? 'not run' : k)));
  const element = h('div', { class: 'graph-view' }, toolbar, svg, legend);
  // Fit once the element is in the page and has a size; later resizes keep the user's view.
  let fitted = false;
  new ResizeObserver(() => {
    if (svg.clientWidth === 0) return;
    if (fitted) return apply();
    fitted = true;
    fit();
  }).observe(svg);

  let selected: string | undefined;
  return {
    element,
    setStatuses(statuses) {
      for (const [name, g] of byName) g.setAttribute('class', `node status-${statuses.get(name) ?? 'none'}${name === selected ? ' selected' : ''}`);
    },
    select(name) {
      if (selected !== undefined) byName.get(selected)?.classList.remove('selected');
      selected = name;
      if (name !== undefined) byName.get(name)?.classList.add('selected');
    },
    fit,
  };
}
