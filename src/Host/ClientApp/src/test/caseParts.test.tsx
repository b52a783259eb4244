import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { caseFileSteps } from '../lib/caseFile';
import { say, stepActionNames, taskStatusNames, waybillStatusNames } from '../lib/format';
import { HandlingCard, ParallelCard, RatingCard, WaybillCard } from '../pages/Case';
import { renderApp } from './render';

afterEach(cleanup);

describe('the case file parts on the case page (zh)', () => {
  it('shows each step with its department, handler, action, times and opinion, and an open pause (no end) as 至今', () => {
    renderApp(
      <HandlingCard
        steps={[
          { step: '受理', action: 'Accepted', handler: 'window01', department: '政务服务中心', start: '2026-03-02T01:30:00Z', end: '2026-03-02T02:00:00Z', opinion: null },
          { step: '初审', action: 'requestCorrection', handler: 'reviewer01', department: '市场监督管理局', start: '2026-03-02T02:00:00Z', opinion: '平面图不清晰', materials: ['平面图'] },
        ]}
        pauses={[{ kind: 'Correction', start: '2026-03-03', reason: '补正材料' }]}
        corrections={[{ materials: ['平面图'], notifiedAt: '2026-03-02T03:00:00Z', step: '初审' }]}
      />,
    );
    const timeline = screen.getByTestId('timeline').textContent!;
    expect(timeline).toContain('政务服务中心');
    expect(timeline).toContain('受理');
    expect(timeline).toContain('要求补正');
    expect(timeline).toContain('意见：平面图不清晰');
    expect(timeline).toContain('办理中');
    expect(timeline).not.toContain('Accepted');
    expect(screen.getByTestId('pauses').textContent).toContain('补正 2026-03-03 ~ 至今：补正材料');
    expect(screen.getByTestId('corrections').textContent).toContain('平面图');
  });

  it('shows the waybill with its status and history in Chinese', () => {
    renderApp(
      <WaybillCard
        waybill={{ number: 'EMS1001', status: 'inTransit', history: [{ status: 'created', at: '2026-03-05T01:00:00Z' }, { status: 'inTransit', detail: '已到达深圳', at: '2026-03-05T05:00:00Z' }] }}
      />,
    );
    const text = screen.getByTestId('waybill').textContent!;
    expect(text).toContain('EMS1001');
    expect(text).toContain('运输中');
    expect(text).toContain('已下单');
    expect(text).toContain('已到达深圳');
    expect(text).not.toContain('inTransit');
  });

  it('shows each member department’s decision and the outcome of a parallel approval', () => {
    renderApp(
      <ParallelCard
        parallel={{ lead: '市场监督管理局', members: ['消防救援支队', '生态环境局'], decisions: [{ department: '消防救援支队', decision: 'agree', by: 'fire01', at: '2026-03-04T01:00:00Z' }], outcome: 'PartiallyApproved' }}
      />,
    );
    const text = screen.getByTestId('parallel').textContent!;
    expect(text).toContain('同意');
    expect(text).toContain('待答复');
    expect(screen.getByText('部分通过')).toBeTruthy();
  });

  it('shows a bad rating with its rectification stages in Chinese', () => {
    renderApp(
      <RatingCard
        rating={{
          level: 5, bad: true, comment: '等太久', ratedAt: '2026-03-06T01:00:00Z',
          rectification: { assignedTo: '市场监督管理局', dueAt: '2026-03-13T09:00:00Z', stages: [{ stage: 'verify', note: '属实', by: 'reviewer01', at: '2026-03-07T01:00:00Z' }, { stage: 'resolve', resolution: 'explain', by: 'reviewer01', at: '2026-03-08T01:00:00Z' }] },
        }}
      />,
    );
    const text = screen.getByTestId('rating').textContent!;
    expect(text).toContain('非常不满意');
    expect(text).toContain('核实');
    expect(text).toContain('处理');
    expect(text).toContain('解释说明');
    expect(screen.getByTestId('rectification').textContent).toContain('整改中');
  });
});

describe('codes in Chinese', () => {
  it('names step actions, waybill and task statuses', () => {
    for (const code of ['pass', 'reject', 'return', 'transfer', 'requestCorrection', 'Accepted', 'ToleranceAccepted', 'NotAccepted', 'Withdrawn', 'AllApproved', 'PartiallyApproved', 'Rejected', 'manual'])
      expect(say(stepActionNames, code, 'zh')).not.toBe(code);
    for (const code of ['created', 'collected', 'inTransit', 'delivered', 'returned', 'failed']) expect(say(waybillStatusNames, code, 'zh')).not.toBe(code);
    expect(say(taskStatusNames, 'Cancelled', 'zh')).toBe('已撤销');
  });
});

describe('caseFileSteps', () => {
  it('reads the steps of a stored case file, keeping only what has the right type', () => {
    expect(caseFileSteps({ steps: [{ step: '受理', action: 'Accepted', handler: 'window01', opinion: 7 }, 'junk', null] })).toEqual([
      { step: '受理', action: 'Accepted', handler: 'window01', opinion: null, start: undefined, end: undefined, department: null },
    ]);
    expect(caseFileSteps(null)).toEqual([]);
    expect(caseFileSteps({ steps: 'no' })).toEqual([]);
  });
});
