// 修改密码: a one-time password (a new account or a reset) must be changed before anything else; any user may
// change theirs. The host's policy decides what is good enough and says why not.
import { Alert, App, Button, Card, Form, Input, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { errorText, fieldProps, namesFields } from '../lib/api';
import { useChangePassword } from '../lib/queries';
import { homeOf, useSession, useT } from '../lib/session';

export function PasswordPage() {
  const t = useT();
  const { user } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const change = useChangePassword();
  const submit = (v: { currentPassword: string; newPassword: string; confirm: string }) =>
    change.mutate(
      { currentPassword: v.currentPassword, newPassword: v.newPassword },
      {
        onSuccess: (u) => {
          void message.success(t('密码已修改，其他设备上的登录已退出', 'Password changed; other sign-ins have ended'));
          navigate(homeOf(u.role));
        },
      },
    );
  return (
    <Card title={t('修改密码', 'Change password')} style={{ maxWidth: 480, margin: '4vh auto' }}>
      {user?.mustChangePassword && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} data-testid="must-change"
          message={t('您正在使用一次性密码，请先设置自己的密码再办理业务。', 'You signed in with a one-time password: set your own before anything else.')} />
      )}
      <Form layout="vertical" onFinish={submit} onValuesChange={() => change.reset()}>
        <Form.Item name="currentPassword" label={t('当前密码', 'Current password')} rules={[{ required: true, message: t('请输入当前密码', 'Enter the current password') }]}
          {...fieldProps(change.error, 'currentPassword')}>
          <Input.Password autoComplete="current-password" data-testid="pw-current" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('新密码', 'New password')} rules={[{ required: true, message: t('请输入新密码', 'Enter the new password') }]}
          {...fieldProps(change.error, 'newPassword')}
          extra={t('至少 10 位，须同时包含字母和数字，不能包含用户名', 'At least 10 characters with letters and digits, not containing the user name')}>
          <Input.Password autoComplete="new-password" data-testid="pw-new" />
        </Form.Item>
        <Form.Item name="confirm" label={t('确认新密码', 'Confirm')} dependencies={['newPassword']}
          rules={[
            { required: true, message: t('请再次输入新密码', 'Enter the new password again') },
            ({ getFieldValue }) => ({ validator: (_, v) => (v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('两次输入的新密码不一致', 'The two entries differ')))) }),
          ]}>
          <Input.Password autoComplete="new-password" data-testid="pw-confirm" />
        </Form.Item>
        {change.error && !namesFields(change.error) && <Alert type="error" showIcon message={errorText(change.error)} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" block loading={change.isPending} data-testid="pw-submit">{t('修改密码', 'Change password')}</Button>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
        {t('修改后，您在其他设备上的登录将全部退出。', 'Changing it signs you out everywhere else.')}
      </Typography.Paragraph>
    </Card>
  );
}
