// 我的办件: a signed-in applicant's own applications, newest first; each opens its progress in plain words, its
// notices and, once finished and unrated, the rating form. Laid out as one column so it works at phone width.
import { Alert, Button, Card, Input, List, Pagination, Rate, Result, Space, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { components } from '../lib/api.gen';
import { client, errorText } from '../lib/api';
import { CaseDocuments } from '../lib/CaseDocuments';
import { OwedList, ProgressDetails } from '../lib/ProgressDetails';
import { moment, statusColor } from '../lib/format';
import { useT } from '../lib/session';
import { ratingNames } from './Dashboard';
import { levelFromStars } from './Progress';
import { MaterialUpload } from './MyApply';
import { MyBookings } from '../lib/MyBookings';

type MyCase = components['schemas']['MyCase'];
type MyCasePage = components['schemas']['MyCasePage'];
type ProgressView = components['schemas']['ProgressView'];

const pageSize = 10;

/** The applicant's cases as a list: number, matter, status in Chinese, dates, and what is owed. */
export function MyCasesList({ items, onOpen }: { items: readonly MyCase[]; onOpen: (caseId: string) => void }) {
  const t = useT();
  return (
    <List<MyCase>
      dataSource={[...items]}
      locale={{ emptyText: t('暂无办件', 'No applications yet') }}
      data-testid="my-cases"
      renderItem={(c) => (
        <List.Item key={c.caseId} data-testid="my-case" onClick={() => onOpen(c.caseId)} style={{ cursor: 'pointer', display: 'block' }}>
          <Space direction="vertical" size={2} style={{ width: '100%' }}>
            <Space wrap>
              <Typography.Text strong>{c.matterName}</Typography.Text>
              <Tag color={statusColor(c.status)}>{c.statusName}</Tag>
            </Space>
            <Typography.Text type="secondary">
              {c.caseNumber} · {t('收件', 'Received')} {moment(c.receivedAt)} · {t('承诺办结', 'Promised by')} {moment(c.promisedDue)}
            </Typography.Text>
            <OwedList owed={c.owed} />
          </Space>
        </List.Item>
      )}
    />
  );
}

/** 在线补正: an upload for each owed material not yet supplied online, then one submission for the window to confirm. */
function SupplyOnline({ caseId, progress }: { caseId: string; progress: ProgressView }) {
  const t = useT();
  const qc = useQueryClient();
  const [uploads, setUploads] = useState<Record<string, string | undefined>>({});
  const owed = progress.status === 'Correction' ? progress.owed.find((o) => o.why === '补正') : undefined;
  const supply = useMutation({
    mutationFn: async () =>
      (await client.POST('/api/my/cases/{id}/supply', {
        params: { path: { id: caseId } },
        body: { materials: Object.entries(uploads).filter(([, id]) => id).map(([name, uploadId]) => ({ name, uploadId: uploadId ?? null })) },
      })).data,
    onSuccess: () => {
      setUploads({});
      return qc.invalidateQueries({ queryKey: ['my'] });
    },
  });
  const open = owed?.materials.filter((m) => !owed.suppliedOnline?.includes(m)) ?? [];
  if (open.length === 0) return null;
  return (
    <Card size="small" title={t('在线补正', 'Supply online')} data-testid="my-supply">
      <Space direction="vertical" style={{ width: '100%' }}>
        {open.map((m) => (
          <Space key={m} direction="vertical" size={2} style={{ width: '100%' }}>
            <Typography.Text strong>{m}</Typography.Text>
            <MaterialUpload name={m} onUploaded={(id) => setUploads((u) => ({ ...u, [m]: id }))} />
          </Space>
        ))}
        {supply.error && <Alert type="error" showIcon message={errorText(supply.error)} />}
        <Button type="primary" block disabled={!Object.values(uploads).some(Boolean)} loading={supply.isPending} onClick={() => supply.mutate()} data-testid="my-supply-submit">
          {t('提交补正', 'Submit')}
        </Button>
      </Space>
    </Card>
  );
}

function MyCaseDetails({ caseId, onBack }: { caseId: string; onBack: () => void }) {
  const t = useT();
  const qc = useQueryClient();
  const [stars, setStars] = useState(5);
  const [comment, setComment] = useState('');
  const progress = useQuery({
    queryKey: ['my', 'cases', caseId],
    queryFn: async ({ signal }) => (await client.GET('/api/my/cases/{id}', { params: { path: { id: caseId } }, signal })).data as ProgressView,
  });
  const rating = useMutation({
    mutationFn: async () => {
      await client.POST('/api/cases/{id}/rating', { params: { path: { id: caseId } }, body: { level: levelFromStars(stars), comment: comment || null, channel: 'pc' } });
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['my'] }),
  });
  const view = progress.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button onClick={onBack} data-testid="my-back">{t('返回我的办件', 'Back to my applications')}</Button>
      {(progress.error ?? rating.error) && <Alert type="error" showIcon message={errorText(progress.error ?? rating.error)} />}
      {view && (
        <Card size="small" loading={progress.isPending}>
          <ProgressDetails progress={view} />
        </Card>
      )}
      {view && <SupplyOnline caseId={caseId} progress={view} />}
      {rating.isSuccess && <Result status="success" title={t(`感谢评价：${ratingNames[levelFromStars(stars) - 1]}`, 'Thank you')} data-testid="my-rated" />}
      {view?.canRate && !rating.isSuccess && (
        <Card size="small" title={t('请评价本次服务', 'Rate this service')}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Rate value={stars} onChange={setStars} tooltips={[...ratingNames].reverse()} data-testid="my-stars" />
            <Typography.Text type="secondary">{ratingNames[levelFromStars(stars) - 1]}</Typography.Text>
            <Input.TextArea rows={2} maxLength={500} value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('意见建议（可选）', 'Comment (optional)')} />
            <Button type="primary" loading={rating.isPending} onClick={() => rating.mutate()} data-testid="my-rate">{t('提交评价', 'Submit rating')}</Button>
          </Space>
        </Card>
      )}
      {view?.rating && !rating.isSuccess && <Typography.Text>{t('已评价：', 'Rated: ')}{ratingNames[view.rating - 1]}</Typography.Text>}
      <Card size="small" title={t('文书', 'Notices')}>
        <CaseDocuments caseId={caseId} />
      </Card>
    </Space>
  );
}

export function MyPage() {
  const t = useT();
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string>();
  const cases = useQuery({
    queryKey: ['my', 'cases', 'list', page],
    queryFn: async ({ signal }) => (await client.GET('/api/my/cases', { params: { query: { page, pageSize } }, signal })).data as MyCasePage,
  });
  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 720, margin: '0 auto', display: 'flex' }}>
      {open ? (
        <MyCaseDetails caseId={open} onBack={() => setOpen(undefined)} />
      ) : (
        <Card
          title={t('我的办件', 'My applications')}
          size="small"
          loading={cases.isPending}
          extra={<Button type="primary" onClick={() => navigate('/my/apply')} data-testid="my-apply">{t('网上申办', 'Apply online')}</Button>}
        >
          {cases.error && <Alert type="error" showIcon message={errorText(cases.error)} />}
          <MyCasesList items={cases.data?.items ?? []} onOpen={setOpen} />
          {(cases.data?.total ?? 0) > pageSize && (
            <Pagination size="small" current={page} pageSize={pageSize} total={cases.data?.total} onChange={setPage} style={{ marginTop: 8 }} />
          )}
        </Card>
      )}
      {!open && <MyBookings />}
    </Space>
  );
}
