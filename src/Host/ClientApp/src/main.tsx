import type React from 'react';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import 'dayjs/locale/zh-cn';
import { api } from './lib/api';
import { SessionContext, roleHome, type Lang, type User } from './lib/session';
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

function Root() {
  const [user, setUser] = useState<User | null>(null);
  const [checked, setChecked] = useState(false);
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem('govflow.lang') as Lang) ?? 'zh');
  useEffect(() => {
    api<User>('/api/auth/me')
      .then(setUser)
      .catch(() => setUser(null))
      .finally(() => setChecked(true));
  }, []);
  useEffect(() => localStorage.setItem('govflow.lang', lang), [lang]);
  if (!checked) return <Spin style={{ display: 'block', margin: '20vh auto' }} />;
  const signedIn = (element: React.JSX.Element) => (user ? element : <Navigate to="/login" replace />);
  return (
    <SessionContext.Provider value={{ user, setUser, lang, setLang }}>
      <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={{ token: { colorPrimary: '#c41d1d' } }}>
        <AntApp>
          <BrowserRouter>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route element={<Shell />}>
                <Route path="/progress" element={<ProgressPage />} />
                <Route path="/inbox" element={signedIn(<InboxPage />)} />
                <Route path="/accept" element={signedIn(<AcceptPage />)} />
                <Route path="/cases" element={signedIn(<CasesPage />)} />
                <Route path="/cases/:id" element={signedIn(<CasePage />)} />
                <Route path="/cases/:id/replay" element={signedIn(<ReplayPage />)} />
                <Route path="/dashboard" element={signedIn(<DashboardPage />)} />
                <Route path="/matters" element={<MattersPage />} />
                <Route path="*" element={<Navigate to={user ? roleHome[user.role] : '/login'} replace />} />
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
    <Root />
  </StrictMode>,
);
