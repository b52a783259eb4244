import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CalendarPage } from '../pages/Calendar';
import { fakeNetwork, json, renderApp } from './render';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const provisional2027 = {
  year: 2027, source: '暂按《全国年节及纪念日放假办法》计算', provisional: true,
  holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-01' }, { name: '国庆节', from: '2027-10-01', to: '2027-10-05' }],
  workdays: [],
};
const policy = { userName: 'policy01', role: 'policy' as const, department: '政务服务数据管理局', displayName: '陈政策', isHead: false, mustChangePassword: false, roles: ['policy'] };

describe('CalendarPage', () => {
  it('marks a year without its notice as provisional and lists its days off', async () => {
    vi.stubGlobal('fetch', fakeNetwork(json(provisional2027)).fetch);
    renderApp(<CalendarPage />);
    expect((await screen.findByTestId('provisional')).textContent).toBe('暂按法定节假日计算');
    expect(screen.getByText('2027-10-01 ～ 2027-10-05')).toBeTruthy();
    expect(screen.queryByTestId('load-notice')).toBeNull();
  });

  it('lets policy staff load a notice file and shows what the host refused', async () => {
    const net = fakeNetwork(json(provisional2027), json({ title: '输入有误', errors: { notice: ['法定节假日 国庆节 2027-10-01 未安排放假'] } }, 400));
    vi.stubGlobal('fetch', net.fetch);
    const { container } = renderApp(<CalendarPage />, { user: policy });
    await screen.findByTestId('provisional');
    const content = JSON.stringify({ year: 2027, source: '通知', holidays: [], workdays: [] });
    // jsdom's File has no text(); the browser's does.
    const file = Object.assign(new File([content], '2027.json', { type: 'application/json' }), { text: async () => content });
    fireEvent.change(container.querySelector('input[type=file]')!, { target: { files: [file] } });
    await waitFor(() => expect(net.calls).toHaveLength(2));
    expect(new URL(net.calls[1].url).pathname).toBe('/api/calendar/years');
    expect((await net.calls[1].json()).year).toBe(2027);
    expect((await screen.findByTestId('notice-error')).textContent).toContain('法定节假日 国庆节 2027-10-01 未安排放假');
  });
});
