// Renders a component the way the app does: a query client, the session (zh by default), Ant Design's App.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { App as AntApp } from 'antd';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router-dom';
import { SessionContext, type Lang, type User } from '../lib/session';

export const clerk: User = { userName: 'reviewer01', role: 'reviewer', department: '市场监督管理局', displayName: '审批员一', isHead: false, mustChangePassword: false, roles: ['reviewer'] };

export function renderApp(ui: ReactNode, { user = clerk, lang = 'zh' as Lang, at = '/' } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const result = render(
    <QueryClientProvider client={client}>
      <SessionContext.Provider value={{ user, setUser: () => {}, lang, setLang: () => {} }}>
        <AntApp>
          <MemoryRouter initialEntries={[at]}>{ui}</MemoryRouter>
        </AntApp>
      </SessionContext.Provider>
    </QueryClientProvider>,
  );
  return { ...result, client };
}

/** Stands in for the network: each call gets the next answer (a Response, or an error to throw), and is recorded. */
export function fakeNetwork(...answers: (Response | Error)[]) {
  const calls: Request[] = [];
  const fetch = async (request: Request) => {
    calls.push(request.clone());
    const next = answers.shift();
    if (!next) throw new Error('no answer left');
    if (next instanceof Error) throw next;
    return next;
  };
  return { calls, fetch };
}

export const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
