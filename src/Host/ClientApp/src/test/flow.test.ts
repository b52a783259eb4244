import { describe, expect, it } from 'vitest';
import { labelOf, pathTaken, readFlow } from '../lib/flow';

const definition = {
  root: {
    type: 'Elsa.Flowchart',
    activities: [
      { id: 'start', type: 'Elsa.Start', metadata: { designer: { position: { x: 0, y: 0 } } } },
      { id: 'accept', type: 'GovFlow.Acceptance', metadata: { designer: { position: { x: 220, y: 0 } } } },
      { id: 'review', type: 'GovFlow.ReviewTask', stepName: { typeName: 'String', expression: { type: 'Literal', value: '初审' } } },
      { id: 'refuse', type: 'GovFlow.Conclude', metadata: { displayName: '不予许可' } },
    ],
    connections: [
      { source: { activity: 'start', port: 'Done' }, target: { activity: 'accept', port: 'In' } },
      { source: { activity: 'accept', port: 'Accepted' }, target: { activity: 'review', port: 'In' } },
      { source: { activity: 'accept', port: 'NotAccepted' }, target: { activity: 'refuse', port: 'In' } },
      { source: { activity: 'review', port: 'Approved' }, target: { activity: 'gone', port: 'In' } },
    ],
  },
};

describe('readFlow', () => {
  it('reads nodes with their designer positions, and lays out the ones without in a row', () => {
    const flow = readFlow(definition);
    expect(flow.nodes.map((n) => [n.id, n.x, n.y])).toEqual([['start', 0, 0], ['accept', 220, 0], ['review', 440, 0], ['refuse', 660, 0]]);
  });

  it('keeps connections between known activities, with their outcome', () => {
    const flow = readFlow(definition);
    expect(flow.edges.map((e) => e.id)).toEqual(['start:Done->accept', 'accept:Accepted->review', 'accept:NotAccepted->refuse']);
  });

  it('labels an activity by step name, then display name, then its type', () => {
    expect(labelOf(definition.root.activities[2])).toBe('初审');
    expect(labelOf(definition.root.activities[3])).toBe('不予许可');
    expect(labelOf(definition.root.activities[1])).toBe('受理');
    expect(labelOf({ id: 'x', type: 'Acme.Widget' })).toBe('Widget');
  });
});

describe('pathTaken', () => {
  const flow = readFlow(definition);
  const journal = [
    { sequence: 1, activityId: 'start', eventName: 'Started' },
    { sequence: 2, activityId: 'start', eventName: 'Completed' },
    { sequence: 3, activityId: 'accept', eventName: 'Started' },
    { sequence: 4, activityId: 'accept', eventName: 'Completed' },
    { sequence: 5, activityId: 'review', eventName: 'Started' },
  ];

  it('follows the activities reached up to a record, and the edges between them', () => {
    const path = pathTaken(flow, journal, 4);
    expect(path.nodes).toEqual(['start', 'accept']);
    expect([...path.edges]).toEqual(['start:Done->accept']);
  });

  it('takes the whole journal by default and never draws the branch not taken', () => {
    const path = pathTaken(flow, journal);
    expect(path.nodes).toEqual(['start', 'accept', 'review']);
    expect(path.edges.has('accept:NotAccepted->refuse')).toBe(false);
  });
});
