// 绿色通道 register: policy staff mark applicants (person or enterprise) for priority service until an end date,
// extend and revoke; auditors read. Every change is in the administrators' change log on the server.
import { App, Button, Card, DatePicker, Form, Input, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { client, fieldProps } from '../lib/api';
import { moment, priorityKindNames, say } from '../lib/format';
import { Loadable } from '../lib/Page';
import type { Answer, BodyOf } from '../lib/queries';
import { hasRole, useSession, useT } from '../lib/session';

type Entry = Answer<'/api/priority-applicants', 'get'>[number];
type Mark = BodyOf<'/api/priority-applicants', 'post'>;
const key = ['priority-applicants'] as const;

const stateNames = { active: ['有效', 'active'], expired: ['已到期', 'ended'], revoked: ['已撤销', 'revoked'] } as Record<string, [string, string]>;

export function PriorityPage() {
  const t = useT();
  const { lang, user } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [all, setAll] = useState(false);
  const [form] = Form.useForm();
  const policy = hasRole(user, 'policy');
  const list = useQuery({
    queryKey: [...key, all],
    queryFn: async ({ signal }) => (await client.GET('/api/priority-applicants', { params: { query: { all } }, signal })).data as Entry[],
  });
  const done = (text: string) => {
    message.success(text);
    void qc.invalidateQueries({ queryKey: key });
  };
  const mark = useMutation({
    mutationFn: async (body: Mark) => (await client.POST('/api/priority-applicants', { body })).data,
    onSuccess: () => {
      form.resetFields();
      done(t('已列入名单', 'Added to the register'));
    },
  });
  const change = useMutation({
    mutationFn: async ({ id, endsOn }: { id: string; endsOn: string }) => (await client.PUT('/api/priority-applicants/{id}', { params: { path: { id } }, body: { endsOn, reason: null } })).data,
    onSuccess: () => done(t('结束日期已修改', 'End date changed')),
    onError: (e) => message.error(String((e as Error).message)),
  });
  const revoke = useMutation({
    mutationFn: async (id: string) => (await client.POST('/api/priority-applicants/{id}/revoke', { params: { path: { id } } })).data,
    onSuccess: () => done(t('已撤销', 'Revoked')),
    onError: (e) => message.error(String((e as Error).message)),
  });
  const submit = (v: { idType: string; idNumber: string; name: string; kind: string; reason: string; endsOn?: Dayjs }) =>
    mark.mutate({ ...v, endsOn: v.endsOn?.format('YYYY-MM-DD') ?? null } as Mark);
  const err = mark.error;

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={4} style={{ margin: 0 }}>{t('绿色通道名单', 'Priority register')}</Typography.Title>
      {policy && (
        <Card size="small" title={t('列入名单', 'Add an applicant')}>
          <Form form={form} layout="vertical" onFinish={submit} initialValues={{ idType: '111', kind: 'green' }} data-testid="priority-form">
            <Space wrap align="start">
              <Form.Item name="idType" label={t('证件类型', 'ID type')}>
                <Select style={{ width: 180 }} options={[{ value: '111', label: t('居民身份证', 'Resident ID') }, { value: '001', label: t('统一社会信用代码', 'Credit code') }]} />
              </Form.Item>
              <Form.Item name="idNumber" label={t('证件号码', 'ID number')} {...fieldProps(err, 'idNumber')}><Input style={{ width: 220 }} data-testid="priority-id" /></Form.Item>
              <Form.Item name="name" label={t('姓名或企业名称', 'Name')} {...fieldProps(err, 'name')}><Input style={{ width: 200 }} data-testid="priority-name" /></Form.Item>
              <Form.Item name="kind" label={t('类别', 'Kind')} {...fieldProps(err, 'kind')}>
                <Select style={{ width: 140 }} options={Object.keys(priorityKindNames).map((k) => ({ value: k, label: say(priorityKindNames, k, lang) }))} />
              </Form.Item>
              <Form.Item name="endsOn" label={t('结束日期', 'Ends on')} {...fieldProps(err, 'endsOn')}>
                <DatePicker disabledDate={(d) => !d.isAfter(dayjs(), 'day')} data-testid="priority-ends" />
              </Form.Item>
            </Space>
            <Form.Item name="reason" label={t('理由（认定文件、会议纪要等）', 'Reason (decision, list, minutes)')} {...fieldProps(err, 'reason')}>
              <Input.TextArea rows={2} maxLength={200} data-testid="priority-reason" />
            </Form.Item>
            {err && !fieldProps(err, 'idNumber').help && !fieldProps(err, 'reason').help && !fieldProps(err, 'endsOn').help && !fieldProps(err, 'name').help && (
              <Typography.Text type="danger" data-testid="priority-error">{(err as Error).message}</Typography.Text>
            )}
            <Button type="primary" htmlType="submit" loading={mark.isPending} data-testid="priority-submit">{t('列入名单', 'Add')}</Button>
          </Form>
        </Card>
      )}
      <Space>
        <Switch checked={all} onChange={setAll} data-testid="priority-all" />
        <Typography.Text>{t('显示已到期和已撤销的', 'Show ended and revoked')}</Typography.Text>
      </Space>
      <Loadable loading={list.isPending} error={list.error}>
        <Table<Entry>
          rowKey="id"
          size="middle"
          scroll={{ x: 900 }}
          dataSource={list.data ?? []}
          pagination={false}
          locale={{ emptyText: t('名单为空', 'No one on the register') }}
          columns={[
            { title: t('姓名或名称', 'Name'), dataIndex: 'name' },
            { title: t('证件号码', 'ID number'), dataIndex: 'idNumber', width: 200 },
            { title: t('类别', 'Kind'), dataIndex: 'kind', width: 110, render: (k: string) => <Tag color="green">{say(priorityKindNames, k, lang)}</Tag> },
            { title: t('理由', 'Reason'), dataIndex: 'reason', ellipsis: true },
            {
              title: t('结束日期', 'Ends on'), dataIndex: 'endsOn', width: 170,
              render: (d: string, r) => policy && r.state === 'active'
                ? <DatePicker size="small" allowClear={false} value={dayjs(d)} disabledDate={(x) => !x.isAfter(dayjs(), 'day')} onChange={(v) => v && change.mutate({ id: r.id, endsOn: v.format('YYYY-MM-DD') })} />
                : d,
            },
            { title: t('状态', 'State'), dataIndex: 'state', width: 90, render: (s: string) => <Tag color={s === 'active' ? 'green' : 'default'}>{say(stateNames, s, lang)}</Tag> },
            { title: t('登记', 'Marked'), dataIndex: 'markedAt', width: 180, render: (m: string, r) => `${moment(m)} ${r.markedByName ?? ""}` },
            ...(policy ? [{
              title: '', width: 90, render: (_: unknown, r: Entry) => r.state === 'active' && (
                <Popconfirm title={t('撤销后新收的办件不再优先办理，确定？', 'New cases will no longer be served first. Revoke?')} onConfirm={() => revoke.mutate(r.id)}>
                  <Button size="small" danger>{t('撤销', 'Revoke')}</Button>
                </Popconfirm>
              ),
            }] : []),
          ]}
        />
      </Loadable>
    </Space>
  );
}
