import { Alert, Button, Card, Form, Input, List, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, post } from '../lib/api';
import { roleHome, useSession, useT, type User } from '../lib/session';

interface DemoUser {
  userName: string;
  password: string;
  role: User['role'];
  department?: string;
  displayName: string;
}

export const roleNames: Record<string, [string, string]> = {
  window: ['窗口人员', 'Window clerk'],
  reviewer: ['审批人员', 'Reviewer'],
  auditor: ['监察审计', 'Auditor'],
  policy: ['事项管理', 'Policy staff'],
  applicant: ['申请人', 'Applicant'],
};

export function LoginPage() {
  const { setUser } = useSession();
  const t = useT();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [demo, setDemo] = useState<DemoUser[]>([]);
  useEffect(() => {
    api<DemoUser[]>('/api/demo/users').then(setDemo).catch(() => setDemo([]));
  }, []);
  const signIn = async (values: { userName: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const user = await post<User>('/api/auth/login', values);
      setUser(user);
      navigate(roleHome[user.role]);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ maxWidth: 960, margin: '5vh auto', padding: 12, display: 'flex', flexWrap: 'wrap', gap: 16 }}>
      <Card title={t('GovFlow 政务服务审批系统', 'GovFlow service approvals')} style={{ flex: '1 1 320px' }}>
        <Form form={form} layout="vertical" onFinish={signIn}>
          <Form.Item name="userName" label={t('用户名', 'User name')} rules={[{ required: true, message: t('请输入用户名', 'Enter the user name') }]}>
            <Input autoComplete="username" data-testid="userName" />
          </Form.Item>
          <Form.Item name="password" label={t('密码', 'Password')} rules={[{ required: true, message: t('请输入密码', 'Enter the password') }]}>
            <Input.Password autoComplete="current-password" data-testid="password" />
          </Form.Item>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
          <Button type="primary" htmlType="submit" loading={busy} block data-testid="signIn">
            {t('登录', 'Sign in')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
          {t('申请人无需登录即可', 'Applicants can')} <a href="/progress">{t('查询办件进度并评价', 'look up progress and rate')}</a>.
        </Typography.Paragraph>
      </Card>
      {demo.length > 0 && (
        <Card title={t('演示账号（点击填入）', 'Demo users (click to fill in)')} style={{ flex: '1 1 320px' }} size="small">
          <List
            size="small"
            dataSource={demo}
            renderItem={(u) => (
              <List.Item
                style={{ cursor: 'pointer' }}
                data-testid={`demo-${u.userName}`}
                onClick={() => form.setFieldsValue({ userName: u.userName, password: u.password })}
              >
                <span>
                  <Tag>{t(...(roleNames[u.role] ?? [u.role, u.role]))}</Tag>
                  {u.displayName} <Typography.Text type="secondary">{u.userName}</Typography.Text>
                </span>
                <Typography.Text type="secondary" ellipsis style={{ maxWidth: 160 }}>{u.department}</Typography.Text>
              </List.Item>
            )}
          />
        </Card>
      )}
    </div>
  );
}
