// Reads an Elsa 3 flowchart (the matter's workflow JSON) into the nodes and edges a diagram draws.
import type { ElkExtendedEdge, ElkNode, ElkPoint, LayoutOptions } from 'elkjs/lib/elk-api';

export interface FlowNode {
  id: string;
  type: string;
  label: string;
  /** The department that handles the step, where the activity names one. */
  department?: string;
  x: number;
  y: number;
}

export interface FlowEdge {
  id: string;
  source: string;
  target: string;
  outcome: string;
}

export interface Flow {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

type Json = Record<string, unknown>;

const shortNames: Record<string, string> = {
  'Elsa.Start': '开始',
  'Elsa.End': '结束',
  'GovFlow.Acceptance': '受理',
  'GovFlow.CertificateLookup': '电子证照调取',
  'GovFlow.ParallelApproval': '并联审批',
  'GovFlow.ToleranceGap': '容缺受理',
  'GovFlow.RuleCheck': '秒批规则校验',
  'GovFlow.IssueResult': '出证',
  'GovFlow.SendByPost': '邮寄送达',
  'GovFlow.HandOver': '受理转交',
  'GovFlow.RequestRating': '好差评',
  'GovFlow.Notify': '短信通知',
  'GovFlow.Conclude': '办结',
};

/** A literal input's value: Elsa wraps them as {typeName, expression: {type: "Literal", value}}. */
function literal(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const expression = (value as Json | undefined)?.expression as Json | undefined;
  return typeof expression?.value === 'string' ? (expression.value as string) : undefined;
}

/** The label of an activity: its step name, else its display name, else a name for its type. */
export function labelOf(activity: Json): string {
  const metadata = (activity.metadata ?? {}) as Json;
  return (
    literal(activity.stepName) ??
    (typeof metadata.displayName === 'string' ? (metadata.displayName as string) : undefined) ??
    (typeof metadata.displayText === 'string' && metadata.displayText ? (metadata.displayText as string) : undefined) ??
    (typeof activity.name === 'string' ? (activity.name as string) : undefined) ??
    shortNames[activity.type as string] ??
    String(activity.type).replace(/^.*\./, '')
  );
}

/** The root flowchart of a definition (or a flowchart given directly). */
export function readFlow(definition: Json): Flow {
  const root = ((definition.root as Json | undefined) ?? definition) as Json;
  const activities = (root.activities as Json[] | undefined) ?? [];
  const connections = (root.connections as Json[] | undefined) ?? [];
  const nodes = activities.map((a, i) => {
    const position = (((a.metadata as Json | undefined)?.designer as Json | undefined)?.position ?? {}) as { x?: number; y?: number };
    return {
      id: String(a.id),
      type: String(a.type),
      label: labelOf(a),
      department: literal(a.department),
      // Flows without designer positions are laid out in a row.
      x: typeof position.x === 'number' ? position.x : i * 220,
      y: typeof position.y === 'number' ? position.y : 0,
    };
  });
  const known = new Set(nodes.map((n) => n.id));
  const edges = connections
    .map((c) => {
      const source = c.source as Json;
      const target = c.target as Json;
      const from = String(source?.activity ?? '');
      const to = String(target?.activity ?? '');
      const outcome = String(source?.port ?? 'Done');
      return { id: `${from}:${outcome}->${to}`, source: from, target: to, outcome };
    })
    .filter((e) => known.has(e.source) && known.has(e.target));
  return { nodes, edges };
}

export interface JournalStep {
  sequence: number;
  activityId: string;
  eventName: string;
}

/**
 * The path a case took up to a journal record: the activities that completed (in order, each once) and
 * the edges between consecutive completed activities that the flow has.
 */
export function pathTaken(flow: Flow, journal: JournalStep[], upTo = Number.MAX_SAFE_INTEGER) {
  const ids = new Set(flow.nodes.map((n) => n.id));
  const visited: string[] = [];
  for (const r of journal) {
    if (r.sequence > upTo) break;
    if (!ids.has(r.activityId)) continue;
    if (r.eventName === 'Completed' || r.eventName === 'Started' || r.eventName === 'Executed') {
      if (visited[visited.length - 1] !== r.activityId && !visited.includes(r.activityId)) visited.push(r.activityId);
    }
  }
  const edges = new Set<string>();
  const seen = new Set(visited);
  for (const e of flow.edges) if (seen.has(e.source) && seen.has(e.target) && visited.indexOf(e.source) < visited.indexOf(e.target)) edges.add(e.id);
  return { nodes: visited, edges };
}

// ---- Drawing: the flow laid out top-down by ELK so that it fits the width of a page column at a readable size.

/** One arrow of the diagram: every connection between the same two activities, drawn once. */
export interface DiagramEdge {
  id: string;
  source: string;
  target: string;
  /** The outcomes written on the arrow; none when the source goes there whatever happens. */
  outcomes: string[];
  /** The ids of the connections it stands for (what `pathTaken` names). */
  ids: string[];
}

/**
 * The arrows to draw. Connections between the same two activities (a lookup's four outcomes that all go on
 * to the next step) would be drawn on top of each other with their labels in a heap, so they become one
 * arrow; an arrow is unlabelled when its source goes nowhere else, as no choice is made there.
 */
export function diagramEdges(flow: Flow): DiagramEdge[] {
  const byPair = new Map<string, DiagramEdge>();
  for (const e of flow.edges) {
    const key = `${e.source}->${e.target}`;
    const edge = byPair.get(key) ?? { id: key, source: e.source, target: e.target, outcomes: [], ids: [] };
    if (e.outcome !== 'Done') edge.outcomes.push(e.outcome);
    edge.ids.push(e.id);
    byPair.set(key, edge);
  }
  const edges = [...byPair.values()];
  const targets = new Map<string, Set<string>>();
  for (const e of edges) targets.set(e.source, (targets.get(e.source) ?? new Set()).add(e.target));
  return edges.map((e) => (targets.get(e.source)!.size === 1 ? { ...e, outcomes: [] } : e));
}

/** The font sizes the diagram draws with, in px at zoom 1. */
export const diagramFonts = { label: 14, department: 12, outcome: 12 } as const;

/** Han characters and full-width punctuation are about one em wide; Latin letters and digits about 0.6 em. */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) em += /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF\u3000-\u303F]/.test(ch) ? 1 : 0.6;
  return Math.ceil(em * fontSize);
}

const nodePadding = { x: 12, y: 8 };
const nodeWidth = { min: 112, max: 208 };
const lineHeight = (fontSize: number) => Math.round(fontSize * 1.4);

/**
 * The box of a step: as wide as its longest text (between a minimum, so short steps still look like steps, and a
 * maximum, so one long department does not widen the whole drawing), as tall as its wrapped lines.
 */
export function nodeSize(node: Pick<FlowNode, 'label' | 'department'>) {
  const label = textWidth(node.label, diagramFonts.label);
  const department = node.department ? textWidth(node.department, diagramFonts.department) : 0;
  const width = Math.min(nodeWidth.max, Math.max(nodeWidth.min, Math.max(label, department) + 2 * nodePadding.x));
  const inner = width - 2 * nodePadding.x;
  const labelLines = Math.max(1, Math.ceil(label / inner));
  const departmentLines = department ? Math.ceil(department / inner) : 0;
  const height = 2 * nodePadding.y + labelLines * lineHeight(diagramFonts.label) + departmentLines * lineHeight(diagramFonts.department);
  return { width, height };
}

/** The box of an outcome label on an arrow (drawn with a background, so a little padding around the text). */
export function outcomeLabelSize(text: string) {
  return { width: textWidth(text, diagramFonts.outcome) + 8, height: lineHeight(diagramFonts.outcome) + 2 };
}

/**
 * ELK's layered algorithm, top-down: a flow of fifteen steps is far wider than it is deep, so drawn left to right it
 * had to be shrunk to a third to fit a column. Top-down it fits the width at full size and the page scrolls.
 * Labels sit on their arrows and ELK keeps room for them, so no label lies on a step or on another arrow.
 */
export const layoutOptions: LayoutOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.edgeLabels.sideSelection': 'ALWAYS_DOWN',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.spacing.nodeNode': '28',
  'elk.layered.spacing.nodeNodeBetweenLayers': '28',
  'elk.spacing.edgeNode': '16',
  'elk.spacing.edgeEdge': '12',
  'elk.spacing.edgeLabel': '4',
  'elk.layered.spacing.edgeNodeBetweenLayers': '16',
  'elk.padding': '[top=12,left=12,bottom=12,right=12]',
};

/** The size of a step's box; the designer's boxes are larger than the diagram's (they carry their outcome ports). */
export type SizeOf = (node: FlowNode) => { width: number; height: number };

/** The graph handed to ELK; `name` turns an outcome into the words on its arrow. */
export function elkGraph(flow: Flow, name: (outcome: string) => string, sizeOf: SizeOf = nodeSize): ElkNode {
  return {
    id: 'root',
    layoutOptions,
    children: flow.nodes.map((n) => ({ id: n.id, ...sizeOf(n) })),
    edges: diagramEdges(flow).map((e) => {
      const text = e.outcomes.map(name).join(' / ');
      return { id: e.id, sources: [e.source], targets: [e.target], labels: text ? [{ id: `${e.id}#label`, text, ...outcomeLabelSize(text) }] : [] };
    }),
  };
}

/** A laid-out diagram: where each step and arrow goes, in px at zoom 1. */
export interface DiagramLayout {
  width: number;
  height: number;
  nodes: Record<string, { x: number; y: number; width: number; height: number }>;
  edges: Record<string, { points: ElkPoint[]; label?: { text: string; x: number; y: number; width: number; height: number } }>;
}

/** Reads ELK's answer into what the diagram draws. */
export function readLayout(graph: ElkNode): DiagramLayout {
  const nodes: DiagramLayout['nodes'] = {};
  for (const c of graph.children ?? []) nodes[c.id] = { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 };
  const edges: DiagramLayout['edges'] = {};
  for (const e of (graph.edges ?? []) as ElkExtendedEdge[]) {
    const s = e.sections?.[0];
    const points = s ? [s.startPoint, ...(s.bendPoints ?? []), s.endPoint] : [];
    const l = e.labels?.[0];
    edges[e.id] = { points, label: l?.text ? { text: l.text, x: l.x ?? 0, y: l.y ?? 0, width: l.width ?? 0, height: l.height ?? 0 } : undefined };
  }
  return { width: graph.width ?? 0, height: graph.height ?? 0, nodes, edges };
}

/** Lays the flow out with ELK (loaded on first use: it is large, and only pages with a diagram need it). */
export async function layoutFlow(flow: Flow, name: (outcome: string) => string, sizeOf?: SizeOf): Promise<DiagramLayout> {
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  return readLayout(await new ELK().layout(elkGraph(flow, name, sizeOf)));
}

/** The smallest zoom the diagram is shown at: below it the 14 px step names are too small to read. */
export const minReadableZoom = 0.8;

/**
 * How to show a layout in a box `containerWidth` wide: at full size if it fits, else shrunk to the width but never
 * below `minReadableZoom` (then it pans sideways); as tall as it is, up to `maxHeight` (then it pans up and down).
 * `focus` (the current step's centre) is brought into view when the drawing is taller than the box.
 */
export function viewportFor(layout: Pick<DiagramLayout, 'width' | 'height'>, containerWidth: number, maxHeight: number, focus?: ElkPoint) {
  const zoom = Math.max(minReadableZoom, Math.min(1, containerWidth / layout.width));
  const height = Math.ceil(Math.min(maxHeight, layout.height * zoom));
  const along = (box: number, size: number, at?: number) =>
    size <= box ? Math.max(0, (box - size) / 2) : at === undefined ? 0 : Math.min(0, Math.max(box - size, box / 2 - at));
  const x = along(containerWidth, layout.width * zoom, focus && focus.x * zoom);
  const y = along(height, layout.height * zoom, focus && focus.y * zoom);
  return { zoom, height, x, y };
}

/** An SVG path through ELK's route, its corners rounded by up to `radius` (less where a segment is shorter). */
export function roundedPath(points: ElkPoint[], radius: number): string {
  if (points.length === 0) return '';
  let d = `M ${points[0].x} ${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [a, b, c] = [points[i - 1], points[i], points[i + 1]];
    const r = Math.min(radius, Math.hypot(b.x - a.x, b.y - a.y) / 2, Math.hypot(c.x - b.x, c.y - b.y) / 2);
    const towards = (p: ElkPoint, q: ElkPoint) => {
      const len = Math.hypot(q.x - p.x, q.y - p.y) || 1;
      return { x: p.x + ((q.x - p.x) / len) * r, y: p.y + ((q.y - p.y) / len) * r };
    };
    const before = towards(b, a);
    const after = towards(b, c);
    d += ` L ${before.x} ${before.y} Q ${b.x} ${b.y} ${after.x} ${after.y}`;
  }
  const last = points[points.length - 1];
  return `${d} L ${last.x} ${last.y}`;
}
