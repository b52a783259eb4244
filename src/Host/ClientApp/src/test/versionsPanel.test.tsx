import { cleanup, fireEvent, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VersionCompare, mergedFlow } from '../lib/designer/VersionCompare';
import { VersionsPanel } from '../lib/designer/VersionsPanel';
import { readFlow } from '../lib/flow';
import type { User } from '../lib/session';
import { json, renderApp } from './render';

const policy: User = { userName: 'policy01', role: 'policy', department: '政务服务数据管理局', displayName: '政策一', isHead: false, mustChangePassword: false, roles: ['policy'] };

const version = (n: number, state: string, extra: Record<string, unknown> = {}) => ({
  id: `v${n}id`, version: n, isPublished: state === 'published', isLatest: false, name: '高龄津贴', state,
  createdAt: null, createdBy: null, updatedAt: null, updatedBy: null, publishedAt: null, publishedBy: null, retractedAt: null, retractedBy: null, openCases: 0, ...extra,
});
const versions = [
  version(1, 'published', { openCases: 1 }),
  version(2, 'draft', { createdAt: '2026-03-02T01:30:00Z', createdBy: 'policy01', isLatest: true }),
];
const changes = {
  definitionId: 'elderly', from: 1, to: 2,
  elements: [{ field: 'promisedLimit', label: '承诺办结时限', before: '22个工作日', after: '25个工作日' }],
  materials: [{ name: '银行卡', change: 'changed', properties: [{ field: 'copies', label: '复印件份数', before: '0', after: '1' }] }],
  steps: [], activities: [], connections: [],
};
const publishImpact = {
  definitionId: 'elderly', action: 'publish', version: 2, publishedVersion: 1, newCases: 'starts', openCases: 1,
  openCasesByVersion: [{ version: 1, count: 1 }], migration: '/api/definitions/elderly/migration?to=2', refusal: null, changes,
};
const retractImpact = { ...publishImpact, action: 'retract', version: null, newCases: 'refused', migration: null, changes: null };

const step = (id: string, name: string) => ({ id, type: 'GovFlow.ReviewTask', name });
const go = (from: string, to: string) => ({ source: { activity: from, port: 'Done' }, target: { activity: to, port: 'In' } });
const v1 = { root: { type: 'Elsa.Flowchart', activities: [step('a', '受理'), step('b', '初审'), step('c', '旧环节')], connections: [go('a', 'b'), go('b', 'c')] } };
const v2 = { root: { type: 'Elsa.Flowchart', activities: [step('a', '受理'), step('b', '初审（改）'), step('d', '新环节')], connections: [go('a', 'b'), go('b', 'd')] } };

/** The host as the panel calls it: answers by path (and query), every call recorded. */
function host(routes: Record<string, unknown>) {
  const calls: string[] = [];
  vi.stubGlobal('fetch', async (request: Request) => {
    const url = new URL(request.url);
    const key = `${request.method} ${url.pathname}${url.search}`;
    calls.push(key);
    const hit = Object.entries(routes).find(([k]) => k === key || k === `${request.method} ${url.pathname}`);
    return hit ? json(hit[1]) : json({ title: `no route ${key}` }, 404);
  });
  return calls;
}

/** An element rendered anywhere in the document (dialogs render outside the container), once it is there. */
const shown = (testId: string) =>
  waitFor(() => {
    const element = document.querySelector(`[data-testid="${testId}"]`);
    if (!element) throw new Error(`no ${testId} yet`);
    return element as HTMLElement;
  });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('VersionsPanel', () => {
  it('lists drafts and published versions with who saved them and their open cases', async () => {
    host({ 'GET /api/definitions/elderly/versions': versions });
    const { container } = renderApp(<VersionsPanel definitionId="elderly" />, { user: policy });
    const page = within(container);
    await waitFor(() => expect(page.getByTestId('version-2')).toBeTruthy());
    const v1Row = within(page.getByTestId('version-1'));
    const v2Row = within(page.getByTestId('version-2'));
    expect(v1Row.getByText('已发布')).toBeTruthy();
    expect(v1Row.getByText('随系统提供')).toBeTruthy();
    expect(v1Row.getByText('1')).toBeTruthy();
    expect(v2Row.getByText('草稿')).toBeTruthy();
    expect(v2Row.getByText(/policy01/)).toBeTruthy();
    expect(page.queryByTestId('publish-1')).toBeNull();
    expect(page.getByTestId('publish-2')).toBeTruthy();
  });

  it('publishes only after a confirmation that names what changes for new and for open cases', async () => {
    const calls = host({
      'GET /api/definitions/elderly/versions': versions,
      'GET /api/definitions/elderly/publish-impact?version=2': publishImpact,
      'POST /api/definitions/elderly/publish?version=2': { definitionId: 'elderly', id: 'v2id', version: 2 },
    });
    const { container } = renderApp(<VersionsPanel definitionId="elderly" />, { user: policy });
    await waitFor(() => expect(within(container).getByTestId('publish-2')).toBeTruthy());
    fireEvent.click(within(container).getByTestId('publish-2'));
    const dialog = within(await shown('publish-confirm'));
    await waitFor(() => expect(dialog.getByTestId('impact-new-cases').textContent).toBe('新申请将按第 2 版办理（现为第 1 版）。'));
    expect(dialog.getByTestId('impact-open-cases').textContent).toContain('1 件在办件（第 1 版：1 件）仍按原版本办理');
    expect(dialog.getByText('承诺办结时限：22个工作日 → 25个工作日')).toBeTruthy();
    expect(dialog.getByText('材料“银行卡”：复印件份数 0 → 1')).toBeTruthy();
    expect(calls).not.toContain('POST /api/definitions/elderly/publish?version=2');
    fireEvent.click(dialog.getByText('确认发布').closest('button')!);
    await waitFor(() => expect(calls).toContain('POST /api/definitions/elderly/publish?version=2'));
  });

  it('retracts after saying new applications are refused and open cases finish on their versions', async () => {
    const calls = host({
      'GET /api/definitions/elderly/versions': versions,
      'GET /api/definitions/elderly/retract-impact': retractImpact,
      'POST /api/definitions/elderly/retract': { definitionId: 'elderly', publishedVersion: null },
    });
    const { container } = renderApp(<VersionsPanel definitionId="elderly" />, { user: policy });
    await waitFor(() => expect(within(container).getByTestId('retract')).toBeTruthy());
    fireEvent.click(within(container).getByTestId('retract'));
    const dialog = within(await shown('retract-confirm'));
    await waitFor(() => expect(dialog.getByTestId('impact-new-cases').textContent).toContain('不再受理新的申请'));
    expect(dialog.getByTestId('impact-open-cases').textContent).toContain('按原版本继续办结');
    fireEvent.click(dialog.getByText('确认停用').closest('button')!);
    await waitFor(() => expect(calls).toContain('POST /api/definitions/elderly/retract'));
  });

  it('compares the two versions chosen, elements and materials side by side', async () => {
    const calls = host({
      'GET /api/definitions/elderly/versions': versions,
      'GET /api/definitions/elderly/compare?from=1&to=2': changes,
      'GET /api/definitions/elderly/export?version=1': v1,
      'GET /api/definitions/elderly/export?version=2': v2,
    });
    const { container } = renderApp(<VersionsPanel definitionId="elderly" />, { user: policy });
    await waitFor(() => expect(within(container).getByTestId('version-2')).toBeTruthy());
    expect((within(container).getByTestId('compare') as HTMLButtonElement).disabled).toBe(true);
    for (const n of [1, 2]) fireEvent.click(within(container).getByTestId(`version-${n}`).querySelector('input[type="checkbox"]')!);
    fireEvent.click(within(container).getByTestId('compare'));
    const elements = within(await shown('compare-elements'));
    expect(elements.getByText('承诺办结时限')).toBeTruthy();
    expect(elements.getByText('22个工作日')).toBeTruthy();
    expect(elements.getByText('25个工作日')).toBeTruthy();
    const materials = within(document.querySelector('[data-testid="compare-materials"]') as HTMLElement);
    expect(materials.getByText('银行卡')).toBeTruthy();
    expect(materials.getByText('复印件份数')).toBeTruthy();
    expect(calls).toContain('GET /api/definitions/elderly/compare?from=1&to=2');
  });
});

describe('VersionCompare', () => {
  it('draws both versions in one flow, marking the activities added, removed and changed', async () => {
    host({
      'GET /api/definitions/elderly/compare?from=1&to=2': {
        ...changes, elements: [], materials: [],
        activities: [
          { id: 'c', name: '旧环节', type: 'GovFlow.ReviewTask', change: 'removed', properties: [], labels: [] },
          { id: 'd', name: '新环节', type: 'GovFlow.ReviewTask', change: 'added', properties: [], labels: [] },
          { id: 'b', name: '初审（改）', type: 'GovFlow.ReviewTask', change: 'changed', properties: ['name', 'department'], labels: ['名称', '受理部门'] },
        ],
        connections: [{ source: 'b', sourcePort: 'Done', target: 'c', targetPort: 'In', change: 'removed' }, { source: 'b', sourcePort: 'Done', target: 'd', targetPort: 'In', change: 'added' }],
      },
      'GET /api/definitions/elderly/export?version=1': v1,
      'GET /api/definitions/elderly/export?version=2': v2,
    });
    const { container } = renderApp(<VersionCompare definitionId="elderly" from={1} to={2} />, { user: policy });
    await waitFor(() => expect(container.querySelectorAll('.react-flow__node')).toHaveLength(4), { timeout: 5000 });
    expect(container.querySelector('.flow-node-added')?.textContent).toContain('新环节');
    expect(container.querySelector('.flow-node-removed')?.textContent).toContain('旧环节');
    expect(container.querySelector('.flow-node-changed')?.textContent).toContain('初审（改）');
    expect(within(container).getByTestId('compare-activity-b').textContent).toContain('改动了 名称、受理部门');
    expect(within(container).getByText('连线：新增 1 条，删除 1 条')).toBeTruthy();
  });

  it('keeps the removed activities and connections of the earlier version in the merged flow', () => {
    const merged = mergedFlow(readFlow(v1), readFlow(v2));
    expect(merged.nodes.map((n) => n.id)).toEqual(['a', 'b', 'd', 'c']);
    expect(merged.edges.map((e) => e.id)).toEqual(['a:Done->b', 'b:Done->d', 'b:Done->c']);
  });
});
