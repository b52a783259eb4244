import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReplayPage } from '../pages/Replay';
import { journal } from './journalRecords';
import { clerk, json, renderApp } from './render';

const auditor = { ...clerk, userName: 'auditor01', role: 'auditor', displayName: '孙监察' };

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** Answers the replay page's calls by path, whatever order they come in. */
function hostFor(id: string) {
  const answers: [RegExp, () => Response][] = [
    [new RegExp(`/api/cases/${id}/journal/verify$`), () => json({ valid: true, entries: journal.length, signedUpTo: journal.length })],
    [new RegExp(`/api/cases/${id}/journal$`), () => json(journal)],
    [new RegExp(`/api/cases/${id}/replay`), () => json({ sequence: 1, status: 'InReview', caseFile: {} })],
    [new RegExp(`/api/cases/${id}$`), () => json({ caseId: id, caseNumber: 'N2026120301', matterCode: '' })],
    [/\/api\/demo\/users$/, () => json([{ userName: 'reviewer01', displayName: '王审核', role: 'reviewer', department: '市场监督管理局', password: 'x' }])],
  ];
  return async (request: Request) => {
    const path = new URL(request.url).pathname;
    const hit = answers.find(([pattern]) => pattern.test(path));
    return hit ? hit[1]() : json({ title: 'Not found' }, 404);
  };
}

describe('the replay page', () => {
  it('opens on the business view: who did what at which step, with the opinion; a line selects its record; the engine records are one click away', async () => {
    vi.stubGlobal('fetch', hostFor('c1'));
    renderApp(<Routes><Route path="/cases/:id/replay" element={<ReplayPage />} /></Routes>, { at: '/cases/c1/replay', user: auditor });
    await waitFor(() => expect(screen.getAllByTestId('business-line').map((l) => l.textContent)).toContain('王审核（reviewer01）在 初审 通过：材料齐全'), { timeout: 5000 });
    const lines = screen.getAllByTestId('business-line').map((l) => l.textContent);
    expect(lines).toContain('王审核（reviewer01）在 初审 通过：材料齐全');
    expect(lines).toContain('fire01 在 并联审查 并联意见 不同意：不符合消防安全要求（消防救援大队）');
    expect(screen.queryByText('等待办理')).toBeNull();

    fireEvent.click(screen.getByText('王审核（reviewer01）在 初审 通过：材料齐全'), { timeout: 5000 });
    expect(screen.getByTestId('replay-position').textContent).toBe(`15 / ${journal.length}`);
    expect(screen.getByTestId('replay-step').textContent).toContain('继续办理');
    expect(screen.getByTestId('replay-step').textContent).toContain('王审核');
    expect(screen.getByTestId('replay-step').textContent).not.toContain('Resumed');

    fireEvent.click(screen.getByText('引擎记录'));
    expect(screen.queryAllByTestId('business-line')).toHaveLength(0);
    expect(screen.getAllByText('等待办理').length).toBeGreaterThan(0);
    expect(screen.queryByText('Suspended')).toBeNull();
  }, 15_000);

  it('speaks English', async () => {
    vi.stubGlobal('fetch', hostFor('c2'));
    renderApp(<Routes><Route path="/cases/:id/replay" element={<ReplayPage />} /></Routes>, { at: '/cases/c2/replay', lang: 'en', user: auditor });
    await waitFor(() => expect(screen.getAllByTestId('business-line').map((l) => l.textContent)).toContain('王审核 (reviewer01) at 初审: passed — 材料齐全'), { timeout: 5000 });
    expect(screen.getByText('Engine records')).toBeTruthy();
  }, 15_000);
});
