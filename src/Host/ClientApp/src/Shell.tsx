import type React from 'react';
// The frame around every signed-in page: a menu for the role, the user, and the language switch.
import { Button, Layout, Menu, Segmented, Space, Typography, Grid } from 'antd';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useLogout } from './lib/queries';
import { hasRole, useSession, useT, type Role } from './lib/session';
import { ErrorBoundary } from './lib/ErrorBoundary';

const { Header, Content } = Layout;

export function Shell() {
  const { user, lang, setLang } = useSession();
  const logout = useLogout();
  const t = useT();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const is = (role: Role) => hasRole(user, role);
  const items = [
    (is('window') || is('reviewer')) && { key: '/inbox', label: <Link to="/inbox">{t('待办', 'Inbox')}</Link> },
    is('window') && { key: '/accept', label: <Link to="/accept">{t('一窗受理', 'Accept')}</Link> },
    (is('window') || is('reviewer') || is('auditor')) && { key: '/cases', label: <Link to="/cases">{t('办件查询', 'Cases')}</Link> },
    is('auditor') && { key: '/incidents', label: <Link to="/incidents" data-testid="menu-incidents">{t('异常办件', 'Incidents')}</Link> },
    (is('auditor') || user?.isHead) && { key: '/red-cards', label: <Link to="/red-cards" data-testid="menu-red-cards">{t('督办', 'Supervision')}</Link> },
    is('admin') && { key: '/admin', label: <Link to="/admin" data-testid="menu-admin">{t('系统管理', 'Administration')}</Link> },
    (is('auditor') || is('policy')) && { key: '/dashboard', label: <Link to="/dashboard">{t('监察看板', 'Dashboard')}</Link> },
    { key: '/matters', label: <Link to="/matters">{t('事项目录', 'Matters')}</Link> },
    is('policy') && { key: '/messages', label: <Link to="/messages" data-testid="menu-messages">{t('短信模板', 'SMS templates')}</Link> },
    (is('policy') || is('auditor')) && { key: '/priority', label: <Link to="/priority" data-testid="menu-priority">{t('绿色通道', 'Priority')}</Link> },
    user && { key: '/calendar', label: <Link to="/calendar" data-testid="menu-calendar">{t('节假日', 'Holidays')}</Link> },
    is('applicant') && { key: '/my', label: <Link to="/my" data-testid="menu-my">{t('我的办件', 'My applications')}</Link> },
    (is('window') || is('policy') || is('admin')) && { key: '/halls', label: <Link to="/halls" data-testid="menu-halls">{t('大厅排队', 'Halls')}</Link> },
    { key: '/progress', label: <Link to="/progress">{t('进度查询', 'Progress')}</Link> },
  ].filter(Boolean) as { key: string; label: React.JSX.Element }[];
  const selected = items.map((i) => i.key).filter((k) => location.pathname.startsWith(k));
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header style={{ display: 'flex', alignItems: 'center', gap: 16, paddingInline: screens.md ? 24 : 8 }}>
        <Typography.Text strong style={{ color: '#fff', whiteSpace: 'nowrap' }}>
          GovFlow {screens.md ? t('政务服务审批', 'Service approvals') : ''}
        </Typography.Text>
        <Menu theme="dark" mode="horizontal" selectedKeys={selected} items={items} style={{ flex: 1, minWidth: 0 }} />
        <Space>
          <Segmented size="small" value={lang} onChange={(v) => setLang(v as 'zh' | 'en')} options={[{ label: '中', value: 'zh' }, { label: 'EN', value: 'en' }]} data-testid="lang" />
          {user ? (
            <>
              {screens.md && <Link to="/password" title={t('修改密码', 'Change password')} style={{ color: '#fff' }} data-testid="me">{user.displayName}</Link>}
              <Button
                size="small"
                loading={logout.isPending}
                onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/login') })}
              >
                {t('退出', 'Sign out')}
              </Button>
            </>
          ) : (
            <Button size="small" onClick={() => navigate('/login')}>{t('登录', 'Sign in')}</Button>
          )}
        </Space>
      </Header>
      <Content style={{ padding: screens.md ? 24 : 8 }}>
        <ErrorBoundary resetKey={location.pathname}>
          <Outlet />
        </ErrorBoundary>
      </Content>
    </Layout>
  );
}
