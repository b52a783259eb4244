import { Alert, Button, Card, Form, Input, Rate, Result, Space, Steps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, post } from '../lib/api';
import { moment, statusColor, statusNames } from '../lib/format';
import { ratingNames } from './Dashboard';
import { useT } from '../lib/session';

interface Progress {
  caseNumber: string;
  matterName: string;
  department: string;
  status: string;
  receivedAt: string;
  promisedDue?: string;
  completedAt?: string;
  steps: { step: string; action: string; at: string }[];
  waybill?: string;
  rating?: number;
  canRate: boolean;
}

/** Stars (5 = best) as the national levels (1 非常满意 … 5 非常不满意). */
export const levelFromStars = (stars: number) => 6 - stars;

export function ProgressPage() {
  const t = useT();
  const [form] = Form.useForm();
  const [progress, setProgress] = useState<Progress>();
  const [error, setError] = useState<string>();
  const [stars, setStars] = useState(5);
  const [comment, setComment] = useState('');
  const [rated, setRated] = useState<string>();
  const [busy, setBusy] = useState(false);
  const look = async (values: { caseNumber: string; idNumber: string }) => {
    setError(undefined);
    setBusy(true);
    try {
      setProgress(await api<Progress>(`/api/progress?${new URLSearchParams(values)}`));
    } catch (e) {
      setProgress(undefined);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const rate = async () => {
    setBusy(true);
    try {
      const values = form.getFieldsValue();
      await post('/api/progress/rating', { ...values, level: levelFromStars(stars), comment: comment || null, channel: 'pc' });
      setRated(ratingNames[levelFromStars(stars) - 1]);
      await look(values);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 720, margin: '0 auto', display: 'flex' }}>
      <Card title={t('办件进度查询', 'Track your application')} size="small">
        <Form form={form} layout="vertical" onFinish={look}>
          <Form.Item name="caseNumber" label={t('办件编号', 'Case number')} rules={[{ required: true }]}><Input data-testid="p-caseNumber" /></Form.Item>
          <Form.Item name="idNumber" label={t('申请人证件号码', 'Applicant ID number')} rules={[{ required: true }]}><Input data-testid="p-idNumber" /></Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="p-lookup">{t('查询', 'Look up')}</Button>
        </Form>
      </Card>
      {error && <Alert type="error" showIcon message={error} data-testid="p-error" />}
      {progress && (
        <Card size="small" title={<Space>{progress.matterName}<Tag color={statusColor(progress.status)} data-testid="p-status">{t(statusNames[progress.status] ?? progress.status, progress.status)}</Tag></Space>}>
          <Typography.Paragraph>{t('收件', 'Received')} {moment(progress.receivedAt)} · {t('承诺办结', 'Promised by')} {moment(progress.promisedDue)} · {progress.department}</Typography.Paragraph>
          <Steps direction="vertical" size="small" current={progress.steps.length} items={progress.steps.map((s) => ({ title: s.step, description: `${s.action} · ${moment(s.at)}` }))} />
          {progress.waybill && <Typography.Paragraph>{t('邮寄：', 'Mail: ')}{progress.waybill}</Typography.Paragraph>}
          {rated && <Result status="success" title={t(`感谢评价：${rated}`, `Thank you: ${rated}`)} data-testid="p-rated" />}
          {progress.canRate && !rated && (
            <Card size="small" type="inner" title={t('请评价本次服务', 'Rate this service')}>
              <Space direction="vertical" style={{ width: '100%' }}>
                <Rate value={stars} onChange={setStars} tooltips={[...ratingNames].reverse()} data-testid="p-stars" />
                <Typography.Text type="secondary">{ratingNames[levelFromStars(stars) - 1]}</Typography.Text>
                <Input.TextArea rows={2} maxLength={500} value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('意见建议（可选）', 'Comment (optional)')} data-testid="p-comment" />
                <Button type="primary" loading={busy} onClick={rate} data-testid="p-rate">{t('提交评价', 'Submit rating')}</Button>
              </Space>
            </Card>
          )}
          {progress.rating && !rated && <Typography.Text>{t('已评价：', 'Rated: ')}{ratingNames[progress.rating - 1]}</Typography.Text>}
        </Card>
      )}
    </Space>
  );
}
