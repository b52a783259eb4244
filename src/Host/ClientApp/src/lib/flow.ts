// Reads an Elsa 3 flowchart (the matter's workflow JSON) into the nodes and edges a diagram draws.

export interface FlowNode {
  id: string;
  type: string;
  label: string;
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
