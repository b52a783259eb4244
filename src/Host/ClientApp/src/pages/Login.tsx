import { Alert, Button, Card, Form, Input, List, Segmented, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { errorText } from '../lib/api';
import { queries, useLogin } from '../lib/queries';
import { startOf, useSession, useT } from '../lib/session';

export const roleNames: Record<string, [string, string]> = {
  window: ['窗口人员', 'Window clerk'],
  reviewer: ['审批人员', 'Reviewer'],
  auditor: ['监察审计', 'Auditor'],
  policy: ['事项管理', 'Policy staff'],
  applicant: ['申请人', 'Applicant'],
  admin: ['系统管理', 'Administrator'],
};

export function LoginPage() {
  const t = useT();
  const { lang, setLang } = useSession();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  // Demo users exist only in demo mode; elsewhere the list is simply not shown.
  const demo = useQuery(queries.demoUsers()).data ?? [];
  const login = useLogin();
  const signIn = (values: { userName: string; password: string }) =>
    login.mutate(values, { onSuccess: (user) => navigate(startOf(user)) });
  return (
    <div style={{ maxWidth: 960, margin: '5vh auto', padding: 12, display: 'flex', flexWrap: 'wrap', gap: 16 }}>
      <Card
        title={t('GovFlow 政务服务审批系统', 'GovFlow service approvals')}
        style={{ flex: '1 1 320px' }}
        extra={<Segmented size="small" value={lang} onChange={(v) => setLang(v as 'zh' | 'en')} options={[{ label: '中', value: 'zh' }, { label: 'EN', value: 'en' }]} data-testid="lang" />}
      >
        <Form form={form} layout="vertical" onFinish={signIn}>
          <Form.Item name="userName" label={t('用户名', 'User name')} rules={[{ required: true, message: t('请输入用户名', 'Enter the user name') }]}>
            <Input autoComplete="username" data-testid="userName" />
          </Form.Item>
          <Form.Item name="password" label={t('密码', 'Password')} rules={[{ required: true, message: t('请输入密码', 'Enter the password') }]}>
            <Input.Password autoComplete="current-password" data-testid="password" />
          </Form.Item>
          {login.error && <Alert type="error" showIcon message={errorText(login.error)} style={{ marginBottom: 12 }} data-testid="login-error" />}
          <Button type="primary" htmlType="submit" loading={login.isPending} block data-testid="signIn">
            {t('登录', 'Sign in')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
          {t('申请人无需登录即可', 'Applicants can')} <a href="/progress">{t('查询办件进度并评价', 'look up progress and rate')}</a>{t('。', '.')}
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
                key={u.userName}
                onClick={() => form.setFieldsValue({ userName: u.userName, password: u.password })}
              >
                <span>
                  <Tag>{t(...(roleNames[u.role ?? ''] ?? [u.role ?? '', u.role ?? '']))}</Tag>
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
