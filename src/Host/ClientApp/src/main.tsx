import type React from 'react';
import { StrictMode, useEffect, useState } from 'react';
import { QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import 'dayjs/locale/zh-cn';
import { onUnauthorized } from './lib/api';
import { keys, makeQueryClient, queries, startSession } from './lib/queries';
import { SessionContext, homeOf, type Lang, type User } from './lib/session';
import { Shell } from './Shell';
import { LoginPage } from './pages/Login';
import { InboxPage } from './pages/Inbox';
import { CasePage } from './pages/Case';
import { AcceptPage } from './pages/Accept';
import { CasesPage } from './pages/Cases';
import { ReplayPage } from './pages/Replay';
import { DashboardPage } from './pages/Dashboard';
import { MattersPage } from './pages/Matters';
import { ProgressPage } from './pages/Progress';
import { MyPage } from './pages/My';
import { MyApplyFormPage, MyApplyPage } from './pages/MyApply';
import { IncidentsPage } from './pages/Incidents';
import { RedCardsPage } from './pages/RedCards';
import { AdminPage } from './pages/Admin';
import { PasswordPage } from './pages/Password';
import { CalendarPage } from './pages/Calendar';
import { MessagesPage } from './pages/Messages';
import { MatterDesignerPage } from './pages/MatterDesigner';
import { PriorityPage } from './pages/Priority';
import { HallsPage } from './pages/Halls';
import { HallKioskPage } from './pages/HallKiosk';
import { HallScreenPage } from './pages/HallScreen';

const queryClient = makeQueryClient();

// The session ended (401 on any call but sign-in): forget the user and everything loaded for them; the routes go to /login.
onUnauthorized(() => startSession(queryClient, null));

function Root() {
  const qc = useQueryClient();
  const me = useQuery(queries.me());
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem('govflow.lang') as Lang) ?? 'zh');
  useEffect(() => localStorage.setItem('govflow.lang', lang), [lang]);
  if (me.isPending) return <Spin style={{ display: 'block', margin: '20vh auto' }} />;
  const user = me.data ?? null;
  const setUser = (u: User | null) => qc.setQueryData(keys.me, u);
  // Signed in on a one-time password: every page waits until it is changed (the host refuses the work anyway).
  const signedIn = (element: React.JSX.Element) =>
    !user ? <Navigate to="/login" replace /> : user.mustChangePassword && element.type !== PasswordPage ? <Navigate to="/password" replace /> : element;
  return (
    <SessionContext.Provider value={{ user, setUser, lang, setLang }}>
      <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={{ token: { colorPrimary: '#c41d1d' } }}>
        <AntApp>
          <BrowserRouter>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route path="/hall/:id/screen" element={<HallScreenPage />} />
              <Route element={<Shell />}>
                <Route path="/progress" element={<ProgressPage />} />
                <Route path="/my" element={signedIn(<MyPage />)} />
                <Route path="/my/apply" element={signedIn(<MyApplyPage />)} />
                <Route path="/my/apply/:code" element={signedIn(<MyApplyFormPage />)} />
                <Route path="/inbox" element={signedIn(<InboxPage />)} />
                <Route path="/accept" element={signedIn(<AcceptPage />)} />
                <Route path="/cases" element={signedIn(<CasesPage />)} />
                <Route path="/cases/:id" element={signedIn(<CasePage />)} />
                <Route path="/cases/:id/replay" element={signedIn(<ReplayPage />)} />
                <Route path="/dashboard" element={signedIn(<DashboardPage />)} />
                <Route path="/incidents" element={signedIn(<IncidentsPage />)} />
                <Route path="/red-cards" element={signedIn(<RedCardsPage />)} />
                <Route path="/admin" element={signedIn(<AdminPage />)} />
                <Route path="/password" element={signedIn(<PasswordPage />)} />
                <Route path="/matters" element={<MattersPage />} />
                <Route path="/matters/new" element={signedIn(<MatterDesignerPage key="new" />)} />
                <Route path="/designer/:definitionId" element={signedIn(<MatterDesignerPage />)} />
                <Route path="/calendar" element={signedIn(<CalendarPage />)} />
                <Route path="/messages" element={signedIn(<MessagesPage />)} />
                <Route path="/priority" element={signedIn(<PriorityPage />)} />
                <Route path="/halls" element={signedIn(<HallsPage />)} />
                <Route path="/hall/:id/kiosk" element={signedIn(<HallKioskPage />)} />
                <Route path="*" element={<Navigate to={user ? homeOf(user.role) : '/login'} replace />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </AntApp>
      </ConfigProvider>
    </SessionContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <Root />
    </QueryClientProvider>
  </StrictMode>,
);
