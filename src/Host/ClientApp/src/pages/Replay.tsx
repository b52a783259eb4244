import { Alert, Badge, Button, Card, Col, Descriptions, Row, Segmented, Slider, Space, Table, Tag, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { caseFileSteps } from '../lib/caseFile';
import type { JournalRecord } from '../lib/model';
import { FlowDiagram } from '../lib/FlowDiagram';
import { JournalLines } from '../lib/JournalLines';
import { pathTaken, readFlow } from '../lib/flow';
import { download, journalEventNames, moment, say, statusWords, stepActionNames, toCsv } from '../lib/format';
import { Loadable } from '../lib/Page';
import { usePersonName } from '../lib/people';
import { api, queries } from '../lib/queries';
import { useSession, useT } from '../lib/session';


export function ReplayPage() {
  const { id } = useParams();
  const t = useT();
  const { lang, user } = useSession();
  const view = useQuery(queries.case(id!));
  const journal = useQuery(queries.journal(id!));
  const verify = useQuery(queries.verify(id!));
  const code = view.data?.matterCode ?? '';
  const flowJson = useQuery({ ...queries.flow(code), enabled: !!code });
  const flow = useMemo(() => (flowJson.data ? readFlow(flowJson.data) : undefined), [flowJson.data]);
  const records = journal.data ?? [];
  const [at, setAt] = useState<number>();
  const [mode, setMode] = useState<'business' | 'engine'>('business');
  // Display names where the host lists them (demo mode); otherwise the lines show user names.
  const demoUsers = useQuery(queries.demoUsers()).data;
  const people = useQuery(queries.people()).data;
  const nameOf = usePersonName();
  const names = useMemo(() => {
    const map: Record<string, string> = Object.fromEntries([...(demoUsers ?? []), ...(people ?? [])].map((u) => [u.userName, u.displayName]));
    if (user) map[user.userName] = user.displayName;
    return map;
  }, [demoUsers, people, user]);
  const who = (a: string | null | undefined) => (a && names[a]) || nameOf(a);
  const upTo = at ?? records.length;
  const current = records[upTo - 1];
  const replay = useQuery({ ...queries.replay(id!, current?.sequence ?? 0), enabled: !!current, placeholderData: keepPreviousData });
  const replaySteps = useMemo(() => caseFileSteps(replay.data?.caseFile), [replay.data?.caseFile]);
  const path = useMemo(() => (flow ? pathTaken(flow, records, current?.sequence) : undefined), [flow, records, current?.sequence]);
  // The signed export (records with every hashed field, the chain head, the SM2 checkpoints), which
  // `verify-journal FILE --public-key KEY.pem` verifies offline; the key comes separately, as auditors should get it.
  const exportJson = async () =>
    download(`${view.data?.caseNumber}-journal.json`, JSON.stringify(await api.exportJournal(id!), null, 2), 'application/json');
  const exportKey = async () => download('govflow-journal-sm2.pem', (await api.publicKey()).pem, 'application/x-pem-file');
  const exportCsv = () =>
    download(`${view.data?.caseNumber}-journal.csv`, toCsv(records, ['sequence', 'timestamp', 'activityId', 'activityType', 'eventName', 'actor', 'message', 'payload', 'hash', 'previousHash']), 'text/csv');
  return (
    <Loadable loading={journal.isPending} error={view.error ?? journal.error}>
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Space wrap align="center">
          <Typography.Title level={4} style={{ margin: 0 }}>{t('回放', 'Replay')} <Link to={`/cases/${id}`}>{view.data?.caseNumber}</Link></Typography.Title>
          {verify.data && (
            <Tag color={verify.data.valid ? 'green' : 'red'} data-testid="chain-badge">
              {verify.data.valid
                ? t(`哈希链校验通过（${verify.data.entries} 条，SM2 签名覆盖至第 ${verify.data.signedUpTo} 条）`, `Hash chain verifies (${verify.data.entries} records, SM2-signed up to ${verify.data.signedUpTo})`)
                : t(`校验未通过：${verify.data.problem ?? ''}`, `Does not verify: ${verify.data.problem ?? ''}`)}
            </Tag>
          )}
          {verify.data && !verify.data.valid && verify.data.signedUpTo != null && (
            <Typography.Text type="secondary" data-testid="signed-up-to">{t(`第 1 至 ${verify.data.signedUpTo} 条有有效签名`, `Records 1–${verify.data.signedUpTo} carry a valid signature`)}</Typography.Text>
          )}
          <Button onClick={exportJson} data-testid="export-json">{t('导出 JSON', 'Export JSON')}</Button>
          <Button onClick={exportCsv} data-testid="export-csv">{t('导出 CSV', 'Export CSV')}</Button>
          <Button onClick={exportKey} data-testid="export-key">{t('下载验签公钥', 'Download the public key')}</Button>
        </Space>
        {records.length === 0 ? <Alert type="info" message={t('没有日志记录', 'No journal records')} /> : (
          <>
            <Card size="small">
              <Space style={{ width: '100%' }} wrap>
                <Button disabled={upTo <= 1} onClick={() => setAt(upTo - 1)} data-testid="step-back">{t('上一步', 'Back')}</Button>
                <Button disabled={upTo >= records.length} onClick={() => setAt(upTo + 1)} data-testid="step-forward">{t('下一步', 'Forward')}</Button>
                <Typography.Text data-testid="replay-position">{upTo} / {records.length}</Typography.Text>
              </Space>
              <Slider min={1} max={records.length} value={upTo} onChange={(v) => setAt(v as number)} data-testid="replay-slider" />
            </Card>
            <Row gutter={[16, 16]}>
              <Col xs={24} lg={14}>
                {flow && path && <FlowDiagram flow={flow} path={path.nodes} pathEdges={path.edges} current={current ? [current.activityId] : []} />}
              </Col>
              <Col xs={24} lg={10}>
                <Card size="small" title={t('此步', 'This step')} data-testid="replay-step">
                  {current && (
                    <Descriptions size="small" column={1}>
                      <Descriptions.Item label={t('序号', 'Sequence')}>{current.sequence}</Descriptions.Item>
                      <Descriptions.Item label={t('时间', 'When')}>{moment(current.timestamp)}</Descriptions.Item>
                      <Descriptions.Item label={t('操作人', 'Who')}><span data-testid="replay-actor">{who(current.actor)}</span></Descriptions.Item>
                      <Descriptions.Item label={t('活动', 'Activity')}>{current.activityName ?? t('流程', 'Flow')}</Descriptions.Item>
                      <Descriptions.Item label={t('事件', 'Event')}>{say(journalEventNames, current.eventName, lang)}</Descriptions.Item>
                      <Descriptions.Item label={t('数据', 'Data')}><pre style={{ margin: 0, whiteSpace: 'pre-wrap', maxHeight: 160, overflow: 'auto' }}>{current.payload ? JSON.stringify(current.payload, null, 1) : '—'}</pre></Descriptions.Item>
                      <Descriptions.Item label={t('哈希', 'Hash')}><Typography.Text code style={{ fontSize: 11 }}>{current.hash.slice(0, 16)}…</Typography.Text></Descriptions.Item>
                    </Descriptions>
                  )}
                </Card>
                <Card size="small" title={t('此时的办件', 'The case at this point')} style={{ marginTop: 16 }}>
                  {replay.data && (
                    <Space direction="vertical">
                      <Badge status="processing" text={<span data-testid="replay-status">{say(statusWords, replay.data.status, lang)}</span>} />
                      {replaySteps.map((s, i) => <div key={i}>{s.step ?? '—'} · {who(s.handler)} · {say(stepActionNames, s.action, lang)}{s.opinion ? ` · ${s.opinion}` : ''}</div>)}
                    </Space>
                  )}
                </Card>
              </Col>
            </Row>
            <Segmented value={mode} onChange={(v) => setMode(v as 'business' | 'engine')} data-testid="journal-mode"
              options={[{ value: 'business', label: t('业务视图', 'Business view') }, { value: 'engine', label: t('引擎记录', 'Engine records') }]} />
            {mode === 'business' ? (
              <JournalLines records={records} names={names} selected={current?.sequence}
                onSelect={(sequence) => setAt(records.findIndex((r) => r.sequence === sequence) + 1)} />
            ) : (
              <Table<JournalRecord> size="small" rowKey="sequence" dataSource={records} pagination={{ pageSize: 15 }} scroll={{ x: 800 }}
                onRow={(r) => ({ onClick: () => setAt(records.indexOf(r) + 1), style: { cursor: 'pointer', background: r.sequence === current?.sequence ? '#e6f4ff' : undefined } })}
                columns={[
                  { title: '#', dataIndex: 'sequence', width: 60 },
                  { title: t('时间', 'When'), dataIndex: 'timestamp', render: moment, width: 150 },
                  { title: t('活动', 'Activity'), dataIndex: 'activityName', render: (n: string | null) => n ?? t('流程', 'Flow') },
                  { title: t('事件', 'Event'), dataIndex: 'eventName', render: (e: string) => say(journalEventNames, e, lang) },
                  { title: t('操作人', 'Who'), dataIndex: 'actor', render: (a: string | null) => who(a) },
                ]}
              />
            )}
          </>
        )}
      </Space>
    </Loadable>
  );
}
