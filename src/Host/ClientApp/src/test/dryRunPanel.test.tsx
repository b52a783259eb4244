import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DryRunPanel, humanSteps, identityNumber, sampleApplicant, type DryRunResult, type Json } from '../lib/designer/DryRunPanel';
import { moment } from '../lib/format';
import { fakeNetwork, json, renderApp } from './render';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const literal = (value: unknown) => ({ typeName: 'String', expression: { type: 'Literal', value } });

const definition: Json = {
  definitionId: 'demo',
  customProperties: {
    'govflow:matter': {
      code: '44030505001',
      name: '高龄津贴申请',
      materials: [
        { name: '高龄津贴申请书', required: true },
        { name: '居民身份证', required: true },
        { name: '低保证', required: false, condition: 'age < 90 && onMinimumAllowance' },
      ],
    },
  },
  root: {
    type: 'Elsa.Flowchart',
    id: 'flow',
    activities: [
      { type: 'Elsa.Start', id: 'start' },
      { type: 'GovFlow.ReviewTask', id: 'step1', name: '初审', stepName: literal('初审') },
      { type: 'GovFlow.ReviewTask', id: 'step2', name: '审核', stepName: literal('审核') },
      { type: 'Elsa.End', id: 'end' },
    ],
    connections: [],
  },
};

const result: DryRunResult = {
  status: { code: 'Completed', name: '已办结' },
  stoppedBecause: { code: 'finished', message: '流程已结束', activityId: null },
  path: [
    { activityId: 'start', name: '开始', type: 'Elsa.Start', at: '2026-04-28T09:30:00+08:00' },
    { activityId: 'step1', name: '初审', type: 'GovFlow.ReviewTask', at: '2026-04-28T09:30:00+08:00' },
    { activityId: 'step2', name: '审核', type: 'GovFlow.ReviewTask', at: '2026-04-29T10:00:00+08:00' },
    { activityId: 'end', name: '结束', type: 'Elsa.End', at: '2026-04-30T10:00:00+08:00' },
  ],
  tasks: [
    {
      activityId: 'step1', name: '初审', stepName: '初审', kind: 'GovFlow.ReviewTask', department: '深圳市南山区民政局', role: 'reviewer',
      createdAt: '2026-04-28T09:30:00+08:00', limitWorkingDays: 5, dueAt: '2026-05-08T18:00:00+08:00', outcome: 'approve', outcomeName: '通过', completedAt: '2026-04-29T10:00:00+08:00',
    },
  ],
  dueDates: { promised: '2026-06-01T18:00:00+08:00', statutory: '2026-06-10T18:00:00+08:00', completedAt: '2026-04-30T10:00:00+08:00', onTime: true },
  journal: [{ at: '2026-04-28T09:30:00+08:00', actor: '试运行', activityId: 'step1', activityName: '初审', event: '开始', detail: null }],
  calls: [{ at: '2026-04-28T09:30:00+08:00', service: '短信平台', operation: '发送短信', detail: '13900001007：已办结' }],
  startedAt: '2026-04-28T09:30:00+08:00',
  endedAt: '2026-04-30T10:00:00+08:00',
};

// The panel is a whole form with tables and a date picker: its renders take seconds in jsdom on a busy machine.
describe('DryRunPanel', { timeout: 60_000 }, () => {
  it('prefills a sample applicant with a valid ID number and ticks every unconditional required material', () => {
    renderApp(<DryRunPanel definition={definition} />);
    const id = (screen.getByTestId('dryrun-applicant-idNumber') as HTMLInputElement).value;
    expect(id).toHaveLength(18);
    expect(identityNumber(id.slice(0, 17))).toBe(id);
    expect((screen.getByLabelText('高龄津贴申请书') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('居民身份证') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('低保证（有条件）') as HTMLInputElement).checked).toBe(false);
    expect(JSON.parse((screen.getByTestId('dryrun-data') as HTMLTextAreaElement).value)).toHaveProperty('age');
  });

  it('lists the flow’s human steps for their decisions', () => {
    expect(humanSteps(definition).map((s) => s.id)).toEqual(['step1', 'step2']);
    renderApp(<DryRunPanel definition={definition} />);
    const table = screen.getByTestId('dryrun-decisions');
    expect(within(table).getByText('初审')).toBeTruthy();
    expect(within(table).getByText('审核')).toBeTruthy();
  });

  it('sends the whole definition with the application, shows path, tasks and journal, and hands the path to the page', async () => {
    const net = fakeNetwork(json(result));
    vi.stubGlobal('fetch', net.fetch);
    const onPath = vi.fn();
    renderApp(<DryRunPanel definition={definition} onPath={onPath} />);
    fireEvent.click(screen.getByTestId('dryrun-run'));
    await waitFor(() => expect(onPath).toHaveBeenCalledWith(['start', 'step1', 'step2', 'end']));
    expect(new URL(net.calls[0].url).pathname).toBe('/api/definitions/dry-run');
    const body = await net.calls[0].json();
    expect(body.definition).toEqual(definition);
    expect(body.application.materials).toEqual(['高龄津贴申请书', '居民身份证']);
    expect(body.application.applicant.idNumber).toBe(sampleApplicant(7).idNumber);
    expect(body.decisions).toEqual([]);
    expect(screen.getByTestId('dryrun-path').textContent).toContain('审核');
    expect(within(screen.getByTestId('dryrun-tasks')).getByText('深圳市南山区民政局')).toBeTruthy();
    expect(within(screen.getByTestId('dryrun-tasks')).getByText(moment('2026-05-08T18:00:00+08:00'))).toBeTruthy();
    expect(within(screen.getByTestId('dryrun-journal')).getByText('试运行')).toBeTruthy();
    expect(screen.getByTestId('dryrun-status').textContent).toBe('已办结');
  });

  it('shows the host’s Chinese problem when the definition cannot run', async () => {
    const net = fakeNetwork(json({ status: 422, title: '流程定义有 1 处问题，不能试运行', detail: '承诺时限不能超过法定时限' }, 422));
    vi.stubGlobal('fetch', net.fetch);
    renderApp(<DryRunPanel definition={definition} />);
    fireEvent.click(screen.getByTestId('dryrun-run'));
    expect((await screen.findByTestId('dryrun-error')).textContent).toContain('承诺时限不能超过法定时限');
  });

  it('refuses form data that is not JSON before calling the host', () => {
    const net = fakeNetwork();
    vi.stubGlobal('fetch', net.fetch);
    renderApp(<DryRunPanel definition={definition} />);
    fireEvent.change(screen.getByTestId('dryrun-data'), { target: { value: '{ age: ' } });
    fireEvent.click(screen.getByTestId('dryrun-run'));
    expect(screen.getByText('表单数据不是有效的 JSON')).toBeTruthy();
    expect(net.calls).toHaveLength(0);
  });
});
