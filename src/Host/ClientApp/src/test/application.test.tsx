import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useApplicationSubmission } from '../lib/application';
import { fakeNetwork, json } from './render';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const wrapper = ({ children }: { children: ReactNode }) => (
  <QueryClientProvider client={new QueryClient({ defaultOptions: { mutations: { retry: false } } })}>{children}</QueryClientProvider>
);
const body = { matterCode: 'M1', channel: 'window', applicant: { name: '张三', idType: '111', idNumber: '11010519491231002X' }, materials: [], data: {} };
const receipt = (n: string) => json({ caseId: n, caseNumber: n, status: 'Accepted', promisedDue: null }, 201);
const keyOf = (r: Request) => r.headers.get('Idempotency-Key');

describe('one Idempotency-Key per application form', () => {
  it('draws the key when the form opens and sends the same key with every retry of that form', async () => {
    // A timeout (no answer), a 502, then the host answers: three attempts of one form.
    const net = fakeNetwork(new TypeError('network'), json({ title: 'Bad gateway' }, 502), receipt('N1'));
    vi.stubGlobal('fetch', net.fetch);
    const { result } = renderHook(() => useApplicationSubmission(), { wrapper });
    const opened = result.current.key;
    expect(opened).toMatch(/^[0-9a-f-]{36}$/);
    await act(() => result.current.submit(body).catch(() => undefined));
    await waitFor(() => expect(result.current.error?.message).toBe('无法连接服务器，请检查网络后重试'));
    await act(() => result.current.submit(body).catch(() => undefined));
    await act(() => result.current.submit(body));
    expect(net.calls.map(keyOf)).toEqual([opened, opened, opened]);
    await waitFor(() => expect(result.current.receipt?.caseNumber).toBe('N1'));
  });

  it('draws a new key only after a successful submission, and when the form is reset for the next applicant', async () => {
    const net = fakeNetwork(receipt('N1'), receipt('N2'), receipt('N3'));
    vi.stubGlobal('fetch', net.fetch);
    const { result } = renderHook(() => useApplicationSubmission(), { wrapper });
    const first = result.current.key;
    await act(() => result.current.submit(body));
    const second = result.current.key;
    expect(second).not.toBe(first);
    await act(() => result.current.submit(body));
    act(() => result.current.reset());
    const third = result.current.key;
    expect(third).not.toBe(second);
    await waitFor(() => expect(result.current.receipt).toBeUndefined());
    await act(() => result.current.submit(body));
    expect(net.calls.map(keyOf)).toEqual([first, second, third]);
  });

  it('keeps the key across re-renders of the same form', () => {
    const { result, rerender } = renderHook(() => useApplicationSubmission(), { wrapper });
    const key = result.current.key;
    rerender();
    rerender();
    expect(result.current.key).toBe(key);
  });
});
