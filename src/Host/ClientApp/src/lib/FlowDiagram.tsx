// The matter's flow drawn with React Flow, laid out top-down by ELK (see flow.ts): the one drawing of a flow, on the
// catalog, the case page and the replay. The current position and the path taken are highlighted.
import {
  BaseEdge, Controls, EdgeLabelRenderer, Handle, MarkerType, Panel, Position, ReactFlow, ReactFlowProvider, useReactFlow,
  type Edge, type EdgeProps, type Node, type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { diagramEdges, diagramFonts, layoutFlow, roundedPath, viewportFor, type DiagramLayout, type Flow } from './flow';
import { outcomeNames, say } from './format';
import { useSession, useT } from './session';

type StepState = 'current' | 'passed' | 'ahead';
type StepData = { label: string; department?: string; state: StepState; terminal: boolean; mark?: FlowMark };
type ArrowData = { points: DiagramLayout['edges'][string]['points']; label?: DiagramLayout['edges'][string]['label']; taken: boolean };

const stepColors: Record<StepState, { border: string; background: string; ring?: string }> = {
  current: { border: '#fa541c', background: '#fff2e8', ring: '0 0 0 2px #fa541c' },
  passed: { border: '#1677ff', background: '#e6f4ff', ring: '0 0 0 1px #1677ff' },
  ahead: { border: '#bfbfbf', background: '#fff' },
};

// ---- marks (a version comparison): added, removed and changed nodes, drawn over the step states ----
/** How a node differs in a comparison of two versions. */
export type FlowMark = 'added' | 'removed' | 'changed';
const markColors: Record<FlowMark, { border: string; background: string }> = {
  added: { border: '#52c41a', background: '#f6ffed' },
  removed: { border: '#ff4d4f', background: '#fff1f0' },
  changed: { border: '#faad14', background: '#fffbe6' },
};
// ---- end of marks ----

// Handles are needed for React Flow to attach the arrows; the arrows themselves follow ELK's route.
const hidden = { opacity: 0, pointerEvents: 'none' as const };

function Step({ data, width, height }: NodeProps<Node<StepData>>) {
  const c = data.mark ? { ...stepColors[data.state], ...markColors[data.mark], ring: `0 0 0 1px ${markColors[data.mark].border}` } : stepColors[data.state];
  return (
    <div
      style={{
        width, height, boxSizing: 'border-box', padding: '7px 11px', textAlign: 'center', lineHeight: 1.4,
        textDecoration: data.mark === 'removed' ? 'line-through' : undefined,
        border: `1px solid ${c.border}`, boxShadow: c.ring, background: c.background, borderRadius: data.terminal ? 18 : 6,
        display: 'flex', flexDirection: 'column', justifyContent: 'center', wordBreak: 'break-all',
      }}
      title={data.department ? `${data.label}\n${data.department}` : data.label}
    >
      <Handle type="target" position={Position.Top} style={hidden} isConnectable={false} />
      <div style={{ fontSize: diagramFonts.label, color: '#1f1f1f', fontWeight: data.state === 'ahead' ? 400 : 600 }}>{data.label}</div>
      {data.department && <div style={{ fontSize: diagramFonts.department, color: '#8c8c8c' }}>{data.department}</div>}
      <Handle type="source" position={Position.Bottom} style={hidden} isConnectable={false} />
    </div>
  );
}

function Arrow({ id, data, markerEnd }: EdgeProps<Edge<ArrowData>>) {
  if (!data || data.points.length < 2) return null;
  const label = data.label;
  return (
    <>
      <BaseEdge id={id} path={roundedPath(data.points, 6)} markerEnd={markerEnd}
        style={{ stroke: data.taken ? '#1677ff' : '#a6a6a6', strokeWidth: data.taken ? 2 : 1 }} />
      {label && (
        <EdgeLabelRenderer>
          <div
            className="nodrag nopan"
            style={{
              position: 'absolute', transform: `translate(${label.x}px, ${label.y}px)`, width: label.width, height: label.height,
              boxSizing: 'border-box', fontSize: diagramFonts.outcome, lineHeight: `${label.height - 2}px`, textAlign: 'center',
              whiteSpace: 'nowrap', background: '#fff', border: `1px solid ${data.taken ? '#91caff' : '#f0f0f0'}`, borderRadius: 4,
              color: data.taken ? '#0958d9' : '#595959',
            }}
          >
            {label.text}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

const nodeTypes = { step: Step };
const edgeTypes = { arrow: Arrow };

/**
 * The flow of a matter. `current` are the steps the case stands at, `path` and `pathEdges` what it went through
 * (as `pathTaken` gives them). The drawing is shown at a readable size and as tall as it is, up to `maxHeight`;
 * past that it pans, starting at the current step. `marks` colours the nodes a version comparison found added, removed or changed.
 */
export function FlowDiagram(props: { flow: Flow; current?: string[]; path?: string[]; pathEdges?: Set<string>; maxHeight?: number; marks?: Record<string, FlowMark> }) {
  return (
    <ReactFlowProvider>
      <Diagram {...props} />
    </ReactFlowProvider>
  );
}

function Diagram({ flow, current = [], path = [], pathEdges, maxHeight = 640, marks }: { flow: Flow; current?: string[]; path?: string[]; pathEdges?: Set<string>; maxHeight?: number; marks?: Record<string, FlowMark> }) {
  const { lang } = useSession();
  const t = useT();
  // The layout is kept with the flow it is of: another matter's flow keeps none of it while its own is computed.
  const [laidOut, setLaidOut] = useState<{ flow: Flow; layout?: DiagramLayout; failed?: boolean }>();
  useEffect(() => {
    let live = true;
    layoutFlow(flow, (o) => say(outcomeNames, o, lang)).then(
      (layout) => live && setLaidOut({ flow, layout }),
      () => live && setLaidOut({ flow, failed: true }),
    );
    return () => {
      live = false;
    };
  }, [flow, lang]);
  const layout = laidOut?.flow === flow ? laidOut.layout : undefined;

  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const focusId = current[0];
  const view = useMemo(() => {
    if (!layout || !width) return undefined;
    const n = focusId ? layout.nodes[focusId] : undefined;
    return viewportFor(layout, width, maxHeight, n && { x: n.x + n.width / 2, y: n.y + n.height / 2 });
  }, [layout, width, maxHeight, focusId]);

  const nodes: Node<StepData>[] = useMemo(
    () =>
      layout
        ? flow.nodes.map((n) => {
            const at = layout.nodes[n.id];
            const state: StepState = current.includes(n.id) ? 'current' : path.includes(n.id) ? 'passed' : 'ahead';
            return {
              id: n.id, type: 'step', position: { x: at.x, y: at.y }, width: at.width, height: at.height,
              className: [state === 'current' ? 'flow-node-current' : state === 'passed' ? 'flow-node-passed' : '', marks?.[n.id] ? `flow-node-${marks[n.id]}` : ''].filter(Boolean).join(' ') || undefined,
              data: { label: n.label, department: n.department, state, terminal: n.type === 'Elsa.Start' || n.type === 'Elsa.End', mark: marks?.[n.id] },
            };
          })
        : [],
    [layout, flow, current, path, marks],
  );
  const edges: Edge<ArrowData>[] = useMemo(
    () =>
      layout
        ? diagramEdges(flow).map((e) => {
            const taken = e.ids.some((id) => pathEdges?.has(id));
            return {
              id: e.id, source: e.source, target: e.target, type: 'arrow', zIndex: taken ? 1 : 0,
              markerEnd: { type: MarkerType.ArrowClosed, color: taken ? '#1677ff' : '#a6a6a6' },
              data: { points: layout.edges[e.id]?.points ?? [], label: layout.edges[e.id]?.label, taken },
            };
          })
        : [],
    [layout, flow, pathEdges],
  );

  return (
    <div ref={box} style={{ height: view?.height ?? 240, border: '1px solid #f0f0f0', borderRadius: 8, background: '#fff' }} data-testid="flow-diagram">
      <ReactFlow
        nodes={nodes} edges={edges} nodeTypes={nodeTypes} edgeTypes={edgeTypes}
        nodesDraggable={false} nodesConnectable={false} elementsSelectable={false}
        // The wheel scrolls the page, not the drawing: a diagram as tall as the page must not trap it.
        zoomOnScroll={false} preventScrolling={false} zoomOnDoubleClick={false}
        minZoom={0.2} maxZoom={2} proOptions={{ hideAttribution: true }}
      >
        <Viewport view={view} />
        <Controls showInteractive={false} />
        {laidOut?.flow === flow && laidOut.failed && (
          <Panel position="top-center" style={{ color: '#8c8c8c' }}>{t('流程图无法绘制', 'The flow could not be drawn')}</Panel>
        )}
        {layout && view && (layout.height * view.zoom > view.height || layout.width * view.zoom > width) && (
          // Part of the flow is outside the box: say so, as nothing else shows it.
          <Panel position="bottom-right" style={{ fontSize: 12, color: '#8c8c8c', background: '#fff', padding: '0 4px' }} data-testid="flow-diagram-more">
            {t('拖动查看其余环节', 'Drag to see the other steps')}
          </Panel>
        )}
      </ReactFlow>
    </div>
  );
}

/** Puts the drawing where `viewportFor` says, again whenever the layout, the width or the current step changes. */
function Viewport({ view }: { view?: { zoom: number; x: number; y: number } }) {
  const flow = useReactFlow();
  useEffect(() => {
    if (view) void flow.setViewport({ x: view.x, y: view.y, zoom: view.zoom });
  }, [flow, view]);
  return null;
}
