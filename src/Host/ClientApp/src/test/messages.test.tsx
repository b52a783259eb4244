import { cleanup, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MessagesPage } from '../pages/Messages';
import { fakeNetwork, json, renderApp } from './render';

// A loaded CI machine renders Ant Design slowly; nothing here waits on time itself.
vi.setConfig({ testTimeout: 60_000 });
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const policy = { userName: 'policy01', role: 'policy' as const, department: '政务服务数据管理局', displayName: '陈政策', isHead: false, mustChangePassword: false, roles: ['policy'] };

const invitation = {
  moment: 'ratingInvitation', name: '评价邀请',
  text: '【政务服务】您申请的{matter}已办结，请评价：{link}', defaultText: '【政务服务】您申请的{matter}已办结，请评价：{link}',
  placeholders: ['matter', 'link'],
  placeholderInfo: [
    { name: 'matter', description: '事项名称', sample: '高龄津贴申领' },
    { name: 'link', description: '查询进度和评价的网址', sample: 'https://zwfw.example.gov.cn/progress' },
  ],
};

describe('MessagesPage', () => {
  it('lists each moment with its placeholders explained and previews what the host renders', async () => {
    const net = fakeNetwork(json([invitation]), json({ moment: 'ratingInvitation', text: '高龄津贴申领，请评价：https://zwfw.example.gov.cn/progress', length: 38 }));
    vi.stubGlobal('fetch', net.fetch);
    renderApp(<MessagesPage />, { user: policy });
    const card = await screen.findByTestId('template-ratingInvitation');
    expect(within(card).getByText('评价邀请')).toBeTruthy();
    expect(within(card).getByText('查询进度和评价的网址')).toBeTruthy();
    expect(within(card).getByText('{link}')).toBeTruthy();

    fireEvent.change(screen.getByTestId('template-ratingInvitation-text'), { target: { value: '{matter}，请评价：{link}' } });
    fireEvent.click(screen.getByTestId('template-ratingInvitation-preview-button'));
    const preview = await screen.findByTestId('template-ratingInvitation-preview');
    expect(preview.textContent).toContain('高龄津贴申领，请评价：https://zwfw.example.gov.cn/progress');
    expect(preview.textContent).toContain('共 38 字');
    expect(new URL(net.calls[1].url).pathname).toBe('/api/message-templates/ratingInvitation/preview');
    expect(await net.calls[1].json()).toEqual({ text: '{matter}，请评价：{link}' });
  });

  it('saves an edit and shows what the host refused at the text', async () => {
    const refusal = { title: '输入有误', errors: { text: ['不能使用占位符{deadline}，可用：{matter} {link}'] } };
    const saved = { ...invitation, text: '{matter}：{link}' };
    const net = fakeNetwork(json([invitation]), json(refusal, 400), json(saved), json([saved]));
    vi.stubGlobal('fetch', net.fetch);
    renderApp(<MessagesPage />, { user: policy });
    const text = await screen.findByTestId('template-ratingInvitation-text');
    expect((screen.getByTestId('template-ratingInvitation-save') as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(text, { target: { value: '请于{deadline}前评价' } });
    fireEvent.click(screen.getByTestId('template-ratingInvitation-save'));
    expect(await screen.findByText('不能使用占位符{deadline}，可用：{matter} {link}')).toBeTruthy();
    expect(net.calls[1].method).toBe('PUT');

    fireEvent.change(text, { target: { value: '{matter}：{link}' } });
    expect(screen.queryByText('不能使用占位符{deadline}，可用：{matter} {link}')).toBeNull();
    fireEvent.click(screen.getByTestId('template-ratingInvitation-save'));
    await waitFor(() => expect(net.calls).toHaveLength(4));
    expect(new URL(net.calls[2].url).pathname).toBe('/api/message-templates/ratingInvitation');
    expect(await net.calls[2].json()).toEqual({ text: '{matter}：{link}' });
    await waitFor(() => expect(screen.queryByText('未保存')).toBeNull());
  });
});
