// The matter's flow drawn with React Flow: the current position and the path taken are highlighted.
import { Background, Controls, ReactFlow, MarkerType, Position, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { Flow } from './flow';
import { outcomeNames, say } from './format';
import { useSession } from './session';

export function FlowDiagram({ flow, current = [], path = [], pathEdges, height = 360 }: { flow: Flow; current?: string[]; path?: string[]; pathEdges?: Set<string>; height?: number }) {
  const { lang } = useSession();
  const nodes: Node[] = flow.nodes.map((n) => {
    const now = current.includes(n.id);
    const passed = path.includes(n.id);
    return {
      id: n.id,
      position: { x: n.x, y: n.y },
      data: { label: n.label },
      // The flows are drawn left to right in the designer.
      sourcePosition: Position.Right,
      targetPosition: Position.Left,
      className: now ? 'flow-node-current' : passed ? 'flow-node-passed' : undefined,
      style: {
        width: 150,
        fontSize: 12,
        borderColor: now ? '#fa541c' : passed ? '#1677ff' : '#d9d9d9',
        borderWidth: now ? 3 : passed ? 2 : 1,
        background: now ? '#fff2e8' : passed ? '#e6f4ff' : '#fff',
      },
    };
  });
  const edges: Edge[] = flow.edges.map((e) => {
    const taken = pathEdges?.has(e.id) ?? false;
    return {
      id: e.id,
      source: e.source,
      target: e.target,
      label: e.outcome === 'Done' ? undefined : say(outcomeNames, e.outcome, lang),
      animated: taken,
      markerEnd: { type: MarkerType.ArrowClosed },
      style: { stroke: taken ? '#1677ff' : '#bfbfbf', strokeWidth: taken ? 2 : 1 },
      labelStyle: { fontSize: 10 },
    };
  });
  return (
    <div style={{ height, border: '1px solid #f0f0f0', borderRadius: 8 }} data-testid="flow-diagram">
      <ReactFlow nodes={nodes} edges={edges} fitView nodesDraggable={false} nodesConnectable={false} proOptions={{ hideAttribution: true }}>
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
