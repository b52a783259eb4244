import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, onUnauthorized } from '../lib/api';
import { api } from '../lib/queries';
import { fakeNetwork, json } from './render';

afterEach(() => {
  vi.unstubAllGlobals();
  onUnauthorized(() => {});
});

describe('the typed client', () => {
  it('sends cookies and typed query parameters, and reads the answer', async () => {
    const net = fakeNetwork(json({ items: [], hasMore: false }));
    vi.stubGlobal('fetch', net.fetch);
    expect(await api.tasks({ scope: 'mine', warning: 'red', page: 2, pageSize: 20, matter: undefined })).toEqual({ items: [], hasMore: false });
    const url = new URL(net.calls[0].url);
    expect(url.pathname).toBe('/api/tasks');
    expect(Object.fromEntries(url.searchParams)).toEqual({ scope: 'mine', warning: 'red', page: '2', pageSize: '20' });
    expect(net.calls[0].credentials).toBe('same-origin');
  });

  it('turns a problem into an ApiError with the Chinese words, and each field message without its key', async () => {
    vi.stubGlobal('fetch', fakeNetwork(json({ title: '输入有误', errors: { opinion: ['请填写意见'] } }, 400)).fetch);
    const error = await api.complete('t1', { action: 'reject' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).message).toBe('输入有误 — 请填写意见');
    expect((error as ApiError).fieldErrors('opinion')).toEqual(['请填写意见']);
  });

  it('forgets the session on a 401, except from sign-in and "who am I"', async () => {
    const ended = vi.fn();
    onUnauthorized(ended);
    vi.stubGlobal('fetch', fakeNetwork(json({ title: 'Unauthorized' }, 401), json({}, 401), json({ title: '用户名或密码错误' }, 401)).fetch);
    await expect(api.cases({})).rejects.toBeInstanceOf(ApiError);
    expect(ended).toHaveBeenCalledTimes(1);
    expect(await api.me()).toBeNull();
    await expect(api.login({ userName: 'x', password: 'y' })).rejects.toThrow('用户名或密码错误');
    expect(ended).toHaveBeenCalledTimes(1);
  });
});
