import { describe, expect, it } from 'vitest';
import { diagramEdges, elkGraph, layoutFlow, minReadableZoom, nodeSize, readFlow, roundedPath, textWidth, viewportFor, type Flow } from '../lib/flow';

// A matter with a parallel approval, shaped as the demo's: lookups whose every outcome goes on, a choice at acceptance,
// a parallel review whose outcomes part three ways, and a retry branch after issuing.
const step = (id: string, type: string, name: string, department?: string) => ({
  id, type, name, ...(department ? { department: { typeName: 'String', expression: { type: 'Literal', value: department } } } : {}),
});
const go = (from: string, port: string, to: string) => ({ source: { activity: from, port }, target: { activity: to, port: 'In' } });
const culture = '深圳市南山区文化广电旅游体育局';
const parallelMatter = {
  root: {
    activities: [
      step('start', 'Elsa.Start', '开始'),
      step('cert', 'GovFlow.CertificateLookup', '调取电子房产权属证明或租赁合同'),
      step('accept', 'GovFlow.Acceptance', '一窗受理', '综合窗口'),
      step('notAccepted', 'GovFlow.Notify', '不予受理告知'),
      step('parallel', 'GovFlow.ParallelApproval', '并联审查', culture),
      step('lead', 'GovFlow.ReviewTask', '牵头部门研究决定', culture),
      step('approve', 'GovFlow.ReviewTask', '审批', culture),
      step('refuse', 'GovFlow.Conclude', '不予许可', culture),
      step('issue', 'GovFlow.IssueResult', '出证'),
      step('issueRetry', 'GovFlow.ReviewTask', '出证异常处理', culture),
      step('end', 'Elsa.End', '结束'),
    ],
    connections: [
      go('start', 'Done', 'cert'),
      go('cert', 'Found', 'accept'), go('cert', 'NotFound', 'accept'), go('cert', 'Invalid', 'accept'), go('cert', 'Unavailable', 'accept'),
      go('accept', 'Accepted', 'parallel'), go('accept', 'NotAccepted', 'notAccepted'), go('notAccepted', 'Done', 'end'),
      go('parallel', 'AllApproved', 'approve'), go('parallel', 'PartiallyApproved', 'lead'), go('parallel', 'Rejected', 'refuse'),
      go('lead', 'Approved', 'approve'), go('lead', 'Rejected', 'refuse'),
      go('approve', 'Approved', 'issue'), go('approve', 'Rejected', 'refuse'), go('refuse', 'Done', 'end'),
      go('issue', 'Issued', 'end'), go('issue', 'Unavailable', 'issueRetry'), go('issueRetry', 'Approved', 'end'),
    ],
  },
};
const flow: Flow = readFlow(parallelMatter);
const zh: Record<string, string> = { Accepted: '受理', NotAccepted: '不予受理', AllApproved: '全部通过', PartiallyApproved: '部分通过', Rejected: '不通过', Approved: '通过', Issued: '已出证', Unavailable: '系统不可用' };
const name = (o: string) => zh[o] ?? o;

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('the steps', () => {
  it('read the department that handles them', () => {
    expect(flow.nodes.find((n) => n.id === 'parallel')?.department).toBe(culture);
    expect(flow.nodes.find((n) => n.id === 'start')?.department).toBeUndefined();
  });

  it('measure Han characters at a full em and Latin ones narrower', () => {
    expect(textWidth('并联审查', 14)).toBe(56);
    expect(textWidth('ABCDE', 10)).toBe(30);
  });

  it('are as wide as their longest text within bounds, and taller when a long name wraps', () => {
    const short = nodeSize({ label: '出证' });
    const department = nodeSize({ label: '审批', department: culture });
    const long = nodeSize({ label: '调取电子房产权属证明或租赁合同' });
    expect(short.width).toBe(112);
    expect(department.width).toBe(textWidth(culture, 12) + 24);
    expect(department.height).toBeGreaterThan(short.height);
    expect(long.width).toBe(208);
    expect(long.height).toBeGreaterThan(short.height);
  });
});

describe('the arrows', () => {
  const edges = diagramEdges(flow);

  it('draw the connections between two steps once, standing for all of them', () => {
    const lookup = edges.filter((e) => e.source === 'cert');
    expect(lookup).toHaveLength(1);
    expect(lookup[0].ids).toHaveLength(4);
  });

  it('carry no outcome where the step goes on whatever happens, and every outcome where it chooses', () => {
    expect(edges.find((e) => e.source === 'cert')?.outcomes).toEqual([]);
    expect(edges.find((e) => e.id === 'parallel->refuse')?.outcomes).toEqual(['Rejected']);
    expect(edges.find((e) => e.id === 'start->cert')?.outcomes).toEqual([]);
  });

  it('give ELK a label sized for each outcome to place', () => {
    const graph = elkGraph(flow, name);
    const label = graph.edges?.find((e) => e.id === 'parallel->lead')?.labels?.[0];
    expect(label?.text).toBe('部分通过');
    expect(label?.width).toBe(textWidth('部分通过', 12) + 8);
    expect(graph.layoutOptions?.['elk.direction']).toBe('DOWN');
  });

  it('round their corners without overshooting a short segment', () => {
    expect(roundedPath([{ x: 0, y: 0 }, { x: 0, y: 4 }, { x: 10, y: 4 }], 6)).toBe('M 0 0 L 0 2 Q 0 4 2 4 L 10 4');
  });
});

describe('the layout', () => {
  it('runs top-down, fits a page column at full size, and puts no label on a step or another label', async () => {
    const layout = await layoutFlow(flow, name);
    expect(layout.width).toBeLessThanOrEqual(690);
    const at = layout.nodes;
    expect(at.cert.y).toBeGreaterThan(at.start.y);
    expect(at.parallel.y).toBeGreaterThan(at.accept.y);
    expect(at.approve.y).toBeGreaterThan(at.lead.y);
    const labels = Object.values(layout.edges).flatMap((e) => (e.label ? [e.label] : []));
    expect(labels.map((l) => l.text).sort()).toEqual(['不予受理', '不通过', '不通过', '不通过', '全部通过', '受理', '已出证', '部分通过', '系统不可用', '通过', '通过'].sort());
    for (const l of labels) for (const n of Object.values(at)) expect(overlaps(l, n)).toBe(false);
    for (const a of labels) for (const b of labels) if (a !== b) expect(overlaps(a, b)).toBe(false);
    for (const e of Object.values(layout.edges)) expect(e.points.length).toBeGreaterThanOrEqual(2);
  });

  it("routes no arrow through another arrow's label", async () => {
    const layout = await layoutFlow(flow, name);
    const arrows = Object.entries(layout.edges);
    for (const [id, { label }] of arrows) {
      if (!label) continue;
      for (const [other, { points }] of arrows) {
        if (other === id) continue;
        // Orthogonal routes: each segment is a thin box of its own.
        for (let i = 1; i < points.length; i++) {
          const [a, b] = [points[i - 1], points[i]];
          const segment = { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x) || 0.01, height: Math.abs(a.y - b.y) || 0.01 };
          expect(overlaps(label, segment), `${other} crosses the label of ${id}`).toBe(false);
        }
      }
    }
  });
});

describe('the viewport', () => {
  it('shows a narrow drawing at full size, centred, as tall as it is', () => {
    expect(viewportFor({ width: 600, height: 500 }, 800, 640)).toEqual({ zoom: 1, height: 500, x: 100, y: 0 });
  });

  it('shrinks a wide drawing to the width but never below a readable zoom', () => {
    expect(viewportFor({ width: 1000, height: 400 }, 900, 640).zoom).toBe(0.9);
    expect(viewportFor({ width: 2000, height: 400 }, 800, 640).zoom).toBe(minReadableZoom);
  });

  it('caps its height and brings the current step into view, without panning past the drawing', () => {
    const middle = viewportFor({ width: 600, height: 1500 }, 800, 600, { x: 300, y: 800 });
    expect(middle).toEqual({ zoom: 1, height: 600, x: 100, y: -500 });
    expect(viewportFor({ width: 600, height: 1500 }, 800, 600, { x: 300, y: 50 }).y).toBe(0);
    expect(viewportFor({ width: 600, height: 1500 }, 800, 600, { x: 300, y: 1480 }).y).toBe(-900);
    expect(viewportFor({ width: 600, height: 1500 }, 800, Infinity).height).toBe(1500);
  });
});
