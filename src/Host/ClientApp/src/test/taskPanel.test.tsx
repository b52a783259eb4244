import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CurrentStep, TaskActionOffer } from '../lib/model';
import { TaskPanel } from '../lib/TaskPanel';
import { fakeNetwork, json, renderApp } from './render';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const actions: TaskActionOffer[] = [
  { name: 'approve', label: '通过', labelEn: 'Approve', opinion: 'optional', danger: false, fields: [] },
  { name: 'reject', label: '不予通过', labelEn: 'Reject', opinion: 'required', danger: true, fields: [] },
  {
    name: 'requestCorrection',
    label: '要求补正',
    labelEn: 'Request correction',
    opinion: 'required',
    danger: false,
    fields: [{ name: 'materials', required: true, label: '缺少或需补正的材料', choices: ['营业执照', '平面图'] }],
  },
  { name: 'transfer', label: '转办', labelEn: 'Transfer', opinion: 'none', danger: false, fields: [{ name: 'assignee', required: true, label: '转给', choices: ['reviewer02', 'reviewer03'] }] },
];

const step = (over: Partial<CurrentStep> = {}): CurrentStep => ({
  taskId: 't1',
  stepName: '审查',
  department: '市场监督管理局',
  role: 'reviewer',
  assignee: 'reviewer01',
  status: 'Claimed',
  dueAt: null,
  dueProvisional: false,
  kind: 'GovFlow.ReviewTask',
  activityId: null,
  payload: null,
  actions,
  ...over,
});

const submit = () => screen.getByTestId('submit-action').closest('button')!;
const pick = (name: string) => fireEvent.click(screen.getByTestId(`action-${name}`));

describe('TaskPanel', () => {
  it('renders exactly the actions the host offers, with their labels, the first one chosen', () => {
    renderApp(<TaskPanel caseId="c1" step={step()} />);
    const radios = screen.getAllByRole('radio');
    expect(radios.map((r) => r.getAttribute('data-testid'))).toEqual(['action-approve', 'action-reject', 'action-requestCorrection', 'action-transfer']);
    expect(screen.getByText('不予通过')).toBeTruthy();
    expect((screen.getByTestId('action-approve') as HTMLInputElement).checked).toBe(true);
    // approve: optional opinion, nothing else needed.
    expect(screen.getByTestId('opinion').getAttribute('placeholder')).toBe('意见（可选）');
    expect(submit().disabled).toBe(false);
  });

  it('labels the actions in English when the hall is switched to English', () => {
    renderApp(<TaskPanel caseId="c1" step={step()} />, { lang: 'en' });
    expect(screen.getByText('Request correction')).toBeTruthy();
    expect(screen.queryByText('要求补正')).toBeNull();
  });

  it('blocks submitting until a required opinion is given, and marks danger actions', () => {
    renderApp(<TaskPanel caseId="c1" step={step()} />);
    pick('reject');
    expect(screen.getByTestId('opinion').getAttribute('placeholder')).toBe('意见（必填）');
    expect(submit().disabled).toBe(true);
    expect(submit().textContent).toContain('意见');
    expect(submit().className).toContain('dangerous');
    fireEvent.change(screen.getByTestId('opinion'), { target: { value: '不符合条件' } });
    expect(submit().disabled).toBe(false);
  });

  it('asks for the fields an action declares: materials from its choices, an assignee from a list; no opinion box when none', () => {
    renderApp(<TaskPanel caseId="c1" step={step()} />);
    pick('requestCorrection');
    expect(screen.getByText('缺少或需补正的材料')).toBeTruthy();
    expect(screen.getByLabelText('营业执照')).toBeTruthy();
    expect(screen.getByLabelText('平面图')).toBeTruthy();
    fireEvent.change(screen.getByTestId('opinion'), { target: { value: '请补正' } });
    expect(submit().disabled).toBe(true);
    fireEvent.click(screen.getByLabelText('平面图'));
    expect(submit().disabled).toBe(false);
    pick('transfer');
    expect(screen.queryByTestId('opinion')).toBeNull();
    expect(screen.getByTestId('field-assignee')).toBeTruthy();
    expect(submit().textContent).toContain('转给');
  });

  it('says so when the task offers no actions (absent or empty)', () => {
    renderApp(<TaskPanel caseId="c1" step={step({ actions: undefined })} />);
    expect(screen.getByTestId('no-actions').textContent).toContain('此环节暂无可办理的操作');
    expect(screen.queryByTestId('submit-action')).toBeNull();
    cleanup();
    renderApp(<TaskPanel caseId="c1" step={step({ actions: [] })} />);
    expect(screen.getByTestId('no-actions').textContent).toContain('此环节暂无可办理的操作');
  });

  it('sends the chosen action in the one complete body, claiming first when the task is open', async () => {
    const net = fakeNetwork(new Response(null, { status: 204 }), new Response(null, { status: 204 }));
    vi.stubGlobal('fetch', net.fetch);
    renderApp(<TaskPanel caseId="c1" step={step({ assignee: null, status: 'Open' })} />);
    pick('reject');
    fireEvent.change(screen.getByTestId('opinion'), { target: { value: ' 不符合条件 ' } });
    fireEvent.click(submit());
    await waitFor(() => expect(net.calls).toHaveLength(2));
    expect(new URL(net.calls[0].url).pathname).toBe('/api/tasks/t1/claim');
    expect(new URL(net.calls[1].url).pathname).toBe('/api/tasks/t1/complete');
    expect(await net.calls[1].json()).toEqual({ action: 'reject', opinion: '不符合条件', assignee: null, returnTo: null, materials: null });
  });

  it('shows the host’s field errors on the fields they name', async () => {
    const net = fakeNetwork(json({ title: '输入有误', errors: { materials: ['所选材料不在本事项的材料清单中'] } }, 400));
    vi.stubGlobal('fetch', net.fetch);
    renderApp(<TaskPanel caseId="c1" step={step()} />);
    pick('requestCorrection');
    fireEvent.change(screen.getByTestId('opinion'), { target: { value: '请补正' } });
    fireEvent.click(screen.getByLabelText('营业执照'));
    fireEvent.click(submit());
    expect(await screen.findByText('所选材料不在本事项的材料清单中')).toBeTruthy();
    expect(screen.getByTestId('task-error').textContent).toContain('输入有误');
  });

  it('says plainly that someone else acted first (409)', async () => {
    const net = fakeNetwork(json({ title: 'Conflict', detail: '该任务已由 reviewer02 办理' }, 409));
    vi.stubGlobal('fetch', net.fetch);
    renderApp(<TaskPanel caseId="c1" step={step()} />);
    fireEvent.click(submit());
    expect((await screen.findByTestId('task-error')).textContent).toContain('其他人已先办理');
  });
});
