import { Alert, Button, Card, Form, Input, Rate, Result, Space, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorText } from '../lib/api';
import { queries, useRateProgress, type ProgressLookup } from '../lib/queries';
import { ProgressDetails } from '../lib/ProgressDetails';
import { ratingNames } from './Dashboard';
import { useT } from '../lib/session';

/** Stars (5 = best) as the national levels (1 非常满意 … 5 非常不满意). */
export const levelFromStars = (stars: number) => 6 - stars;

export function ProgressPage() {
  const t = useT();
  const [form] = Form.useForm();
  // What the applicant asked for (not in the URL: an ID number does not belong in links and history).
  const [lookup, setLookup] = useState<Required<ProgressLookup>>();
  const [stars, setStars] = useState(5);
  const [comment, setComment] = useState('');
  const [rated, setRated] = useState<string>();
  const found = useQuery({ ...queries.progress(lookup ?? { caseNumber: '', idNumber: '' }), enabled: !!lookup });
  const progress = lookup ? found.data : undefined;
  const rating = useRateProgress();
  const error = (lookup ? found.error : null) ?? rating.error;
  const look = (values: { caseNumber: string; idNumber: string }) => {
    setRated(undefined);
    rating.reset();
    const next = { caseNumber: values.caseNumber.trim(), idNumber: values.idNumber.trim() };
    // Asking again for the same case looks again.
    if (lookup && lookup.caseNumber === next.caseNumber && lookup.idNumber === next.idNumber) void found.refetch();
    else setLookup(next);
  };
  const rate = () => {
    if (!lookup) return;
    rating.mutate(
      { ...lookup, level: levelFromStars(stars), comment: comment || null, channel: 'pc' },
      { onSuccess: () => setRated(ratingNames[levelFromStars(stars) - 1]) },
    );
  };
  const busy = found.isFetching || rating.isPending;
  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 720, margin: '0 auto', display: 'flex' }}>
      <Card title={t('办件进度查询', 'Track your application')} size="small">
        <Form form={form} layout="vertical" onFinish={look}>
          <Form.Item name="caseNumber" label={t('办件编号', 'Case number')} rules={[{ required: true }]}><Input data-testid="p-caseNumber" /></Form.Item>
          <Form.Item name="idNumber" label={t('申请人证件号码', 'Applicant ID number')} rules={[{ required: true }]}><Input data-testid="p-idNumber" /></Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="p-lookup">{t('查询', 'Look up')}</Button>
        </Form>
      </Card>
      {error && <Alert type="error" showIcon message={errorText(error)} data-testid="p-error" />}
      {progress && (
        <Card size="small">
          <ProgressDetails progress={progress} />
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
