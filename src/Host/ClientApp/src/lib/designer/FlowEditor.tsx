// The flow designer: a React Flow canvas that edits the definition's root Elsa flowchart. A palette from the toolbox
// descriptors, outcome ports connected to inputs, delete, move, copy/paste, undo/redo, zoom, ELK auto-layout, the
// validator's problems on their nodes, a property panel for the selected activity and the workflow's variables, inputs
// and outputs. Every edit goes through flowModel's pure functions, so what the designer does not edit is kept.
import {
  applyEdgeChanges, applyNodeChanges, Background, Controls, Handle, MarkerType, Position as Side, ReactFlow,
  ReactFlowProvider, useReactFlow, type Connection, type Edge, type EdgeChange, type Node, type NodeChange, type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { Button, Empty, Input, Select, Space, Tabs, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { diagramFonts, labelOf, layoutFlow, nodeSize, readFlow, viewportFor, type FlowNode } from '../flow';
import { useSession, useT } from '../session';
import { outcomeLabel, textOf, type FlowLookups } from './flowFields';
import { emptyHistory, record, redo, undo, type FlowHistory } from './flowHistory';
import {
  activitiesOf, activityById, addActivity, addListEntry, connect, connectionKey, connectionsOf, copyActivities, listOf, moveActivities, outcomesOf,
  pasteActivities, positionOf, removeActivities, removeConnections, setListEntry, type ActivityDescriptor, type Clipboard,
  type DefinitionListKey, type Json, type Position, type Problem,
} from './flowModel';
import { PropertyPanel, type ApplyEdit } from './PropertyPanel';

export interface FlowEditorProps {
  /** The whole Elsa definition; the editor changes its root, variables, inputs and outputs. */
  definition: Json;
  onChange: (definition: Json) => void;
  /** The validator's problems; those with an activityId mark their node. */
  problems?: Problem[];
  descriptors: ActivityDescriptor[];
  lookups?: FlowLookups;
  readOnly?: boolean;
  /** The canvas height in px. */
  height?: number;
}

/** The drag payload's type when an activity type is dragged from the palette. */
export const paletteMime = 'application/govflow-activity';

const categoryNames: Record<string, [string, string]> = {
  政务服务: ['政务服务', 'Government services'],
  Flow: ['流程', 'Flow'],
  Branching: ['分支', 'Branching'],
  'Control Flow': ['控制', 'Control flow'],
  Looping: ['循环', 'Looping'],
  Primitives: ['基础', 'Primitives'],
  Composition: ['组合', 'Composition'],
  Scheduling: ['定时', 'Scheduling'],
  Scripting: ['脚本', 'Scripting'],
  HTTP: ['HTTP', 'HTTP'],
  Logging: ['日志', 'Logging'],
  Console: ['控制台', 'Console'],
};
const categoryOrder = ['政务服务', 'Flow', 'Branching', 'Scheduling', 'Primitives', 'Scripting', 'Composition', 'HTTP', 'Logging', 'Console'];

type PortData = { id: string; label: string };
type ActivityData = {
  label: string;
  kind: string;
  department?: string;
  ports: PortData[];
  problems: string[];
  unknown: boolean;
  hasInput: boolean;
  terminal: boolean;
};

const portWidth = 68;
const portRow = 22;

/** The box of a node on the canvas: the diagram's box, wide enough for its outcome ports and one row taller for their names. */
export function editorNodeSize(node: Pick<FlowNode, 'label' | 'department'>, ports: number) {
  const base = nodeSize(node);
  return { width: Math.max(base.width, 140, ports * portWidth), height: base.height + 16 + (ports > 0 ? portRow : 0) };
}

function ActivityNode({ id, data, selected }: NodeProps<Node<ActivityData>>) {
  const problem = data.problems.length > 0;
  const border = problem ? '#cf1322' : selected ? '#1677ff' : data.unknown ? '#8c8c8c' : '#bfbfbf';
  return (
    <div
      data-testid={`node-${id}`}
      className={problem ? 'flow-editor-node has-problem' : 'flow-editor-node'}
      title={[data.label, data.kind, ...data.problems].join('\n')}
      style={{
        boxSizing: 'border-box', minWidth: 140, width: '100%', height: '100%', padding: `6px 8px ${data.ports.length ? portRow + 2 : 6}px`, textAlign: 'center',
        border: `${problem || selected ? 2 : 1}px solid ${border}`, borderRadius: data.terminal ? 18 : 6,
        background: problem ? '#fff1f0' : data.unknown ? '#f5f5f5' : '#fff', position: 'relative', wordBreak: 'break-all', lineHeight: 1.35,
      }}
    >
      {data.hasInput && <Handle type="target" position={Side.Top} id="In" />}
      <div style={{ fontSize: diagramFonts.label, color: data.unknown ? '#595959' : '#1f1f1f', fontWeight: 500 }}>{data.label}</div>
      {data.kind !== data.label && <div style={{ fontSize: 11, color: '#8c8c8c' }}>{data.kind}</div>}
      {data.department && <div style={{ fontSize: diagramFonts.department, color: '#8c8c8c' }}>{data.department}</div>}
      {data.ports.map((p, i) => {
        const left = `${((i + 0.5) / data.ports.length) * 100}%`;
        return (
          <div key={p.id}>
            <span style={{ position: 'absolute', bottom: 4, left, transform: 'translateX(-50%)', fontSize: 11, color: '#595959', whiteSpace: 'nowrap', maxWidth: portWidth - 4, overflow: 'hidden', textOverflow: 'ellipsis' }}>
              {p.label}
            </span>
            <Handle type="source" position={Side.Bottom} id={p.id} style={{ left, background: '#1677ff' }} data-testid={`port-${id}-${p.id}`} />
          </div>
        );
      })}
    </div>
  );
}

const nodeTypes = { activity: ActivityNode };

export function FlowEditor(props: FlowEditorProps) {
  return (
    <ReactFlowProvider>
      <Editor {...props} />
    </ReactFlowProvider>
  );
}

const noProblems: Problem[] = [];

/** Activities without a stored position, or drawn on top of one another where they are. */
export function unplaceable(nodes: { stored?: Position; width?: number; height?: number }[]): boolean {
  if (nodes.some((n) => !n.stored)) return nodes.length > 0;
  for (let i = 0; i < nodes.length; i++)
    for (let j = i + 1; j < nodes.length; j++) {
      const [a, b] = [nodes[i], nodes[j]];
      const [p, q] = [a.stored!, b.stored!];
      if (p.x < q.x + (b.width ?? 0) && q.x < p.x + (a.width ?? 0) && p.y < q.y + (b.height ?? 0) && q.y < p.y + (a.height ?? 0)) return true;
    }
  return false;
}

function Editor({ definition, onChange, problems = noProblems, descriptors, lookups, readOnly = false, height = 640 }: FlowEditorProps) {
  const t = useT();
  const { lang } = useSession();
  const flow = useReactFlow();
  const byType = useMemo(() => new Map(descriptors.map((d) => [d.typeName, d])), [descriptors]);
  // Stable per language: the nodes are rebuilt when it changes.
  const outcomeName = useCallback((o: string) => outcomeLabel(o, lang), [lang]);

  // ---- Editing with undo
  const [history, setHistory] = useState<FlowHistory>(emptyHistory);
  const typing = useRef<string | undefined>(undefined);
  // Another definition opened in the same editor: undo must not bring the previous one's flow into it.
  const opened = definition.definitionId ?? '';
  useEffect(() => {
    setHistory(emptyHistory);
    typing.current = undefined;
  }, [opened]);
  const apply: ApplyEdit = (next, coalesce) => {
    if (readOnly || next === definition) return;
    if (!coalesce || coalesce !== typing.current) setHistory((h) => record(h, definition));
    typing.current = coalesce;
    if (display) {
      // What was shown laid out is what the author edited: it is saved, except where this edit moved an activity.
      const movedHere = (a: Json) => {
        const was = activityById(definition, String(a.id));
        return !!was && JSON.stringify(positionOf(was)) !== JSON.stringify(positionOf(a));
      };
      const moved = new Set(activitiesOf(next).filter(movedHere).map((a) => String(a.id)));
      next = moveActivities(next, Object.fromEntries(Object.entries(display).filter(([id]) => !moved.has(id))));
    }
    onChange(next);
  };
  const step = (back: boolean) => {
    const r = back ? undo(history, definition) : redo(history, definition);
    if (!r) return;
    typing.current = undefined;
    setHistory(r.history);
    onChange(r.definition);
  };

  // A laid-out flow is shown from its top at a size one can read (as the diagram shows flows), not shrunk to fit: a
  // matter's flow of twenty steps fitted into the canvas has 7 px labels.
  const canvas = useRef<HTMLDivElement>(null);
  const showReadable = (layout: { width: number; height: number }) =>
    setTimeout(() => {
      const v = viewportFor(layout, canvas.current?.clientWidth || layout.width, height);
      void flow.setViewport({ x: v.x, y: 0, zoom: v.zoom });
    }, 50);

  // ---- Nodes and edges, rebuilt from the definition; selection and measured sizes are React Flow's and kept.
  const problemsAt = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const p of problems) if (p.activityId) m.set(p.activityId, [...(m.get(p.activityId) ?? []), p.message]);
    return m;
  }, [problems]);
  const select = useRef<string[] | undefined>(undefined);
  const [nodes, setNodes] = useState<Node<ActivityData>[]>([]);
  const [edges, setEdges] = useState<Edge[]>([]);
  const built = useMemo(() => {
    const connections = connectionsOf(definition);
    return activitiesOf(definition).map((a): Node<ActivityData> & { stored?: Position } => {
      const id = String(a.id);
      const descriptor = byType.get(String(a.type));
      const ports = outcomesOf(a, descriptor, connections).map((p) => ({ id: p, label: outcomeName(p) }));
      const label = labelOf(a);
      const department = textOf(a, 'department') || undefined;
      const kind = descriptor ? (lang === 'zh' ? descriptor.displayNameZh || descriptor.displayName : descriptor.displayName) : String(a.type);
      const size = editorNodeSize({ label, department }, ports.length);
      const stored = positionOf(a);
      return {
        id, type: 'activity', position: stored ?? { x: 0, y: 0 }, stored, width: size.width, height: size.height,
        className: problemsAt.has(id) ? 'has-problem' : undefined,
        data: {
          label, kind, department, ports, problems: problemsAt.get(id) ?? [], unknown: !descriptor,
          hasInput: a.type !== 'Elsa.Start' && !descriptor?.isTrigger, terminal: a.type === 'Elsa.Start' || a.type === 'Elsa.End',
        },
      };
    });
  }, [definition, byType, problemsAt, outcomeName, lang]);

  // A flow whose positions cannot be drawn as they are (none stored, or boxes on top of each other, as the catalog's
  // flows written in one row) is shown laid out by ELK. Opening writes nothing; the first edit saves what is shown.
  const [shown, setShown] = useState<{ root: unknown; positions: Record<string, Position> }>();
  // Only for the very flowchart that was laid out: the first edit saves the layout with it, undo brings that flowchart
  // (the same object) back and with it the shown layout, and an overlap the author makes later is theirs to keep.
  const display = shown && shown.root === definition.root ? shown.positions : undefined;
  useEffect(() => {
    if (!unplaceable(built)) return;
    let live = true;
    const ports = new Map(built.map((n) => [n.id, n.data.ports.length]));
    layoutFlow(readFlow(definition), outcomeName, (n) => editorNodeSize(n, ports.get(n.id) ?? 1)).then((layout) => {
      if (!live) return;
      setShown({ root: definition.root, positions: Object.fromEntries(Object.entries(layout.nodes).map(([id, n]) => [id, { x: n.x, y: n.y }])) });
      showReadable(layout);
    }, () => undefined);
    return () => {
      live = false;
    };
    // Once per definition opened: later overlaps are the author's own doing.
  }, [opened]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const chosen = select.current;
    select.current = undefined;
    setNodes((old) => {
      const before = new Map(old.map((n) => [n.id, n]));
      return built.map(({ stored, ...n }) => {
        const o = before.get(n.id);
        const position = display?.[n.id] ?? stored ?? n.position;
        return { ...n, position, selected: chosen ? chosen.includes(n.id) : o?.selected ?? false, ...(o?.measured ? { measured: o.measured } : {}) };
      });
    });
    // The arrows carry no outcome: each leaves its own port, which the node labels. Labels on arrows that converge
    // (a lookup's four outcomes going on to one step) lay on top of one another.
    setEdges((old) => {
      const selected = new Set(old.filter((e) => e.selected).map((e) => e.id));
      return connectionsOf(definition).map((c): Edge => {
        const s = c.source as Json;
        const port = String(s.port ?? 'Done');
        const id = connectionKey(c);
        return {
          id, source: String(s.activity), sourceHandle: port, target: String((c.target as Json).activity), targetHandle: 'In', type: 'smoothstep',
          selected: selected.has(id), markerEnd: { type: MarkerType.ArrowClosed, color: '#8c8c8c' }, style: { stroke: '#8c8c8c' },
          ariaLabel: outcomeName(port),
        };
      });
    });
  }, [definition, built, display, outcomeName]);

  const onNodesChange = useCallback((changes: NodeChange<Node<ActivityData>>[]) => setNodes((n) => applyNodeChanges(changes, n)), []);
  const onEdgesChange = useCallback((changes: EdgeChange[]) => setEdges((e) => applyEdgeChanges(changes, e)), []);
  const selectedIds = nodes.filter((n) => n.selected).map((n) => n.id);
  const selectedEdges = edges.filter((e) => e.selected).map((e) => e.id);

  // ---- Commands
  const addAt = (type: string, at?: Position) => {
    const descriptor = byType.get(type);
    if (!descriptor || readOnly) return;
    let position = at;
    if (!position) {
      // Clicked in the palette: under the lowest activity, so it never lands on another one.
      const placed = activitiesOf(definition).map((a) => positionOf(a)).filter((p): p is Position => !!p);
      const lowest = placed.reduce<Position | undefined>((low, p) => (!low || p.y > low.y ? p : low), undefined);
      position = lowest ? { x: lowest.x, y: lowest.y + 140 } : { x: 0, y: 0 };
    }
    const added = addActivity(definition, descriptor, position);
    select.current = [added.id];
    setTab('props');
    apply(added.definition);
    if (!at) {
      // Added by a click, somewhere the author may not be looking: bring it into view.
      const to = position;
      setTimeout(() => void flow.setCenter(to.x + 70, to.y + 40, { zoom: flow.getZoom() }), 0);
    }
  };
  const deleteSelected = () => apply(removeConnections(removeActivities(definition, selectedIds), selectedEdges));
  const clipboard = useRef<Clipboard | undefined>(undefined);
  const copy = () => {
    if (selectedIds.length) clipboard.current = copyActivities(definition, selectedIds);
  };
  const paste = () => {
    if (!clipboard.current?.activities.length || readOnly) return;
    const pasted = pasteActivities(definition, clipboard.current);
    select.current = pasted.ids;
    apply(pasted.definition);
  };
  const [laying, setLaying] = useState(false);
  const autoLayout = async () => {
    setLaying(true);
    try {
      const ports = new Map(nodes.map((n) => [n.id, n.data.ports.length]));
      const layout = await layoutFlow(readFlow(definition), outcomeName, (n) => editorNodeSize(n, ports.get(n.id) ?? 1));
      apply(moveActivities(definition, Object.fromEntries(Object.entries(layout.nodes).map(([id, n]) => [id, { x: n.x, y: n.y }]))));
      showReadable(layout);
    } finally {
      setLaying(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.isContentEditable) return;
    const mod = e.ctrlKey || e.metaKey;
    if (!mod) return;
    const k = e.key.toLowerCase();
    if (k === 'c') copy();
    else if (k === 'v') paste();
    else if (k === 'z' && !e.shiftKey) step(true);
    else if (k === 'y' || (k === 'z' && e.shiftKey)) step(false);
    else return;
    e.preventDefault();
  };

  const onDrop = (e: DragEvent) => {
    const type = e.dataTransfer.getData(paletteMime);
    if (!type) return;
    e.preventDefault();
    addAt(type, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
  };

  // ---- The side panel
  const [tab, setTab] = useState('props');
  const current = selectedIds.length === 1 ? activitiesOf(definition).find((a) => String(a.id) === selectedIds[0]) : undefined;
  const flowProblems = problems.filter((p) => p.activityId || !p.field);
  const names = new Map(activitiesOf(definition).map((a) => [String(a.id), labelOf(a)]));
  const focus = (id: string) => {
    setNodes((ns) => ns.map((n) => ({ ...n, selected: n.id === id })));
    setTab('props');
    const n = nodes.find((x) => x.id === id);
    if (n) void flow.setCenter(n.position.x + (n.width ?? 0) / 2, n.position.y + (n.height ?? 0) / 2, { zoom: Math.max(flow.getZoom(), 0.8) });
  };

  return (
    <div data-testid="flow-editor" style={{ display: 'flex', gap: 8, alignItems: 'stretch' }} onKeyDown={onKeyDown}>
      {!readOnly && <Palette descriptors={descriptors} onAdd={(type) => addAt(type)} height={height} />}
      <div style={{ flex: 1, minWidth: 0, display: 'flex', flexDirection: 'column', gap: 6 }}>
        <Space wrap size={4}>
          <Button size="small" data-testid="flow-undo" disabled={readOnly || history.past.length === 0} onClick={() => step(true)}>{t('撤销', 'Undo')}</Button>
          <Button size="small" data-testid="flow-redo" disabled={readOnly || history.future.length === 0} onClick={() => step(false)}>{t('重做', 'Redo')}</Button>
          <Button size="small" data-testid="flow-delete" danger disabled={readOnly || (selectedIds.length === 0 && selectedEdges.length === 0)} onClick={deleteSelected}>{t('删除', 'Delete')}</Button>
          <Button size="small" data-testid="flow-copy" disabled={readOnly || selectedIds.length === 0} onClick={copy}>{t('复制', 'Copy')}</Button>
          <Button size="small" data-testid="flow-paste" disabled={readOnly} onClick={paste}>{t('粘贴', 'Paste')}</Button>
          <Button size="small" data-testid="flow-layout" disabled={readOnly} loading={laying} onClick={() => void autoLayout()}>{t('自动排列', 'Auto layout')}</Button>
          <Button size="small" data-testid="flow-fit" onClick={() => void flow.fitView({ padding: 0.1 })}>{t('适应窗口', 'Fit')}</Button>
        </Space>
        <div ref={canvas} data-testid="flow-canvas" tabIndex={0} style={{ height, border: '1px solid #f0f0f0', borderRadius: 8, background: '#fff', outline: 'none' }}
          onDragOver={(e) => { if (!readOnly) { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; } }} onDrop={onDrop}>
          <ReactFlow
            nodes={nodes} edges={edges} nodeTypes={nodeTypes} onNodesChange={onNodesChange} onEdgesChange={onEdgesChange}
            onConnect={(c: Connection) => apply(connect(definition, c.source, c.sourceHandle ?? 'Done', c.target))}
            isValidConnection={(c) => c.source !== c.target}
            onNodeDragStop={(_, __, dragged) => apply(moveActivities(definition, Object.fromEntries(dragged.map((n) => [n.id, n.position]))))}
            onDelete={({ nodes: gone, edges: cut }) => apply(removeConnections(removeActivities(definition, gone.map((n) => n.id)), cut.map((e) => e.id)))}
            onNodeClick={() => setTab('props')}
            deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
            nodesDraggable={!readOnly} nodesConnectable={!readOnly} elementsSelectable
            // A flow of two steps is fitted at full size, not blown up to fill the canvas.
            fitView fitViewOptions={{ maxZoom: 1, padding: 0.2 }} minZoom={0.2} maxZoom={2} proOptions={{ hideAttribution: true }}
          >
            <Background gap={20} size={1} color="#f0f0f0" />
            <Controls showInteractive={false} />
          </ReactFlow>
        </div>
        {flowProblems.length > 0 && (
          <div data-testid="flow-problems" style={{ border: '1px solid #ffccc7', background: '#fff2f0', borderRadius: 6, padding: '6px 10px' }}>
            {flowProblems.map((p, i) => (
              <div key={i} data-testid={`flow-problem-${i}`} style={{ color: '#cf1322', fontSize: 13, cursor: p.activityId ? 'pointer' : undefined }}
                onClick={() => p.activityId && focus(p.activityId)}>
                {p.activityId && <Typography.Text strong style={{ color: 'inherit' }}>{names.get(p.activityId) ?? p.activityId}：</Typography.Text>}
                {p.message}
              </div>
            ))}
          </div>
        )}
      </div>
      <div style={{ width: 340, flex: 'none', maxHeight: height + 40, overflowY: 'auto' }}>
        <Tabs size="small" activeKey={tab} onChange={setTab} items={[
          {
            key: 'props', label: t('属性', 'Properties'),
            children: current ? (
              <PropertyPanel definition={definition} activity={current} descriptor={byType.get(String(current.type))} lookups={lookups}
                problems={problems.filter((p) => p.activityId === current.id)} readOnly={readOnly} onApply={apply}
                onDelete={() => apply(removeActivities(definition, [String(current.id)]))} />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('选择一个环节查看和修改属性', 'Select an activity to see and change it')} />
            ),
          },
          { key: 'variables', label: t('变量与输入输出', 'Variables, inputs, outputs'), children: <DefinitionLists definition={definition} readOnly={readOnly} onApply={apply} /> },
        ]} />
      </div>
    </div>
  );
}

/** The toolbox: activity types by category, dragged onto the canvas or clicked to add. */
function Palette({ descriptors, onAdd, height }: { descriptors: ActivityDescriptor[]; onAdd: (type: string) => void; height: number }) {
  const t = useT();
  const { lang } = useSession();
  const groups = useMemo(() => {
    const m = new Map<string, ActivityDescriptor[]>();
    // Containers hold activities of their own, which a flat canvas cannot edit; Studio designs those.
    for (const d of descriptors) if (!d.isContainer) m.set(d.category, [...(m.get(d.category) ?? []), d]);
    const rank = (c: string) => (categoryOrder.includes(c) ? categoryOrder.indexOf(c) : categoryOrder.length);
    return [...m.entries()].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  }, [descriptors]);
  return (
    <div data-testid="flow-palette" style={{ width: 168, flex: 'none', maxHeight: height + 40, overflowY: 'auto', fontSize: 13 }}>
      <div style={{ fontSize: 12, color: '#8c8c8c', marginBottom: 4 }}>{t('拖到画布上，或点击添加', 'Drag onto the canvas, or click to add')}</div>
      {groups.map(([category, items]) => (
        <div key={category} style={{ marginBottom: 8 }}>
          <div style={{ fontWeight: 600, color: '#595959', margin: '4px 0' }}>{categoryNames[category]?.[lang === 'zh' ? 0 : 1] ?? category}</div>
          {items.map((d) => (
            <Tooltip key={d.typeName} title={d.description} placement="right">
              <div
                data-testid={`palette-${d.typeName}`} draggable role="button" tabIndex={0}
                onDragStart={(e) => { e.dataTransfer.setData(paletteMime, d.typeName); e.dataTransfer.effectAllowed = 'move'; }}
                onClick={() => onAdd(d.typeName)}
                onKeyDown={(e) => e.key === 'Enter' && onAdd(d.typeName)}
                style={{ padding: '3px 8px', margin: '2px 0', border: '1px solid #f0f0f0', borderRadius: 4, cursor: 'grab', background: '#fafafa' }}
              >
                {lang === 'zh' ? d.displayNameZh || d.displayName : d.displayName}
              </div>
            </Tooltip>
          ))}
        </div>
      ))}
    </div>
  );
}

const valueTypes = ['String', 'Boolean', 'Int32', 'Int64', 'Double', 'Decimal', 'DateTime', 'DateTimeOffset', 'TimeSpan', 'Object', 'ExpandoObject', 'JsonObject'];
const typeNames: Record<string, [string, string]> = {
  String: ['文本', 'Text'], Boolean: ['是/否', 'Yes/no'], Int32: ['整数', 'Integer'], Int64: ['长整数', 'Long'], Double: ['小数', 'Number'],
  Decimal: ['金额', 'Amount'], DateTime: ['日期时间', 'Date and time'], DateTimeOffset: ['带时区的日期时间', 'Date and time with zone'],
  TimeSpan: ['时长', 'Duration'], Object: ['任意值', 'Any'], ExpandoObject: ['对象', 'Object'], JsonObject: ['JSON 对象', 'JSON object'],
};

/** The workflow's variables, inputs and outputs, each a row of name, type and a label (or a variable's starting value). */
function DefinitionLists({ definition, readOnly, onApply }: { definition: Json; readOnly: boolean; onApply: ApplyEdit }) {
  const t = useT();
  const { lang } = useSession();
  const sections: [DefinitionListKey, string][] = [['variables', t('变量', 'Variables')], ['inputs', t('输入', 'Inputs')], ['outputs', t('输出', 'Outputs')]];
  return (
    <div data-testid="flow-variables" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      {sections.map(([key, title]) => {
        const typeKey = key === 'variables' ? 'typeName' : 'type';
        const third = key === 'variables' ? 'value' : 'displayName';
        return (
          <div key={key}>
            <div style={{ display: 'flex', justifyContent: 'space-between', marginBottom: 4 }}>
              <Typography.Text strong>{title}</Typography.Text>
              {!readOnly && <Button size="small" data-testid={`flow-add-${key}`} onClick={() => onApply(addListEntry(definition, key))}>{t('添加', 'Add')}</Button>}
            </div>
            {listOf(definition, key).map((entry, i) => {
              const set = (field: string, value: unknown) => onApply(setListEntry(definition, key, i, { ...entry, [field]: value }), `${key}/${i}/${field}`);
              const type = String(entry[typeKey] ?? 'Object');
              return (
                <div key={i} data-testid={`${key}-${i}`} style={{ display: 'flex', gap: 4, marginBottom: 4 }}>
                  <Input size="small" data-testid={`${key}-${i}-name`} value={String(entry.name ?? '')} disabled={readOnly} placeholder={t('名称', 'Name')} onChange={(e) => set('name', e.target.value)} />
                  <Select size="small" value={type} disabled={readOnly} style={{ width: 110, flex: 'none' }} popupMatchSelectWidth={false}
                    options={[...new Set([...valueTypes, type])].map((v) => ({ value: v, label: typeNames[v]?.[lang === 'zh' ? 0 : 1] ?? v }))}
                    onChange={(v: string) => set(typeKey, v)} />
                  <Input size="small" data-testid={`${key}-${i}-${third}`} disabled={readOnly}
                    value={entry[third] === null || entry[third] === undefined ? '' : typeof entry[third] === 'string' ? (entry[third] as string) : JSON.stringify(entry[third])}
                    placeholder={key === 'variables' ? t('初始值', 'Starting value') : t('显示名', 'Label')} onChange={(e) => set(third, e.target.value)} />
                  {!readOnly && <Button size="small" danger data-testid={`${key}-${i}-remove`} onClick={() => onApply(setListEntry(definition, key, i, undefined))}>×</Button>}
                </div>
              );
            })}
          </div>
        );
      })}
    </div>
  );
}
