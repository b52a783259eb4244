import { App, Button, DatePicker, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { CaseSummary } from '../lib/model';
import { errorText } from '../lib/api';
import { downloadBlob, moment, say, statusColor, statusWords, type Warning } from '../lib/format';
import { Loadable } from '../lib/Page';
import { api, queries } from '../lib/queries';
import { hasRole, useSession, useT } from '../lib/session';
import { opt, useUrlFilters } from '../lib/urlState';
import { WarningLight } from './Inbox';
import { PriorityTag } from '../lib/PriorityTag';

/** What the search form asks for, as the URL keeps it (empty = not filtered). */
export type CaseSearch = { q: string; idNumber: string; phone: string; matter: string; department: string; status: string; warning: string; from: string; to: string };

export const noSearch: CaseSearch = { q: '', idNumber: '', phone: '', matter: '', department: '', status: '', warning: '', from: '', to: '' };

/** The form's values as the host's query: trimmed, empty ones left out. */
export const caseQuery = (f: CaseSearch) =>
  Object.fromEntries(Object.entries(f).map(([k, v]) => [k, opt(v.trim())]).filter(([, v]) => v !== undefined)) as Partial<CaseSearch>;

type FormValues = Omit<CaseSearch, 'from' | 'to'> & { received?: [Dayjs, Dayjs] | null };

/** The case search form: applicant by ID number or phone (full, matched by the host's blind index), matter, department, status, light, received dates. */
export function CaseSearchForm({ value, onSearch, matters }: { value: CaseSearch; onSearch: (f: CaseSearch) => void; matters: { code: string; name: string; department: string }[] }) {
  const t = useT();
  const { lang } = useSession();
  const [form] = Form.useForm<FormValues>();
  // An empty filter is no value at all, so each select shows its placeholder (事项, 实施部门…) rather than a blank box.
  const filled = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === '' ? undefined : v])) as Partial<CaseSearch>;
  const initial: Partial<FormValues> = { ...filled, received: value.from && value.to ? [dayjs(value.from), dayjs(value.to)] : null };
  const departments = [...new Set(matters.map((m) => m.department))].sort();
  const submit = (v: FormValues) =>
    onSearch({
      q: v.q ?? '', idNumber: v.idNumber ?? '', phone: v.phone ?? '', matter: v.matter ?? '', department: v.department ?? '', status: v.status ?? '', warning: v.warning ?? '',
      from: v.received?.[0]?.format('YYYY-MM-DD') ?? '', to: v.received?.[1]?.format('YYYY-MM-DD') ?? '',
    });
  return (
    <Form form={form} layout="inline" initialValues={initial} onFinish={submit} style={{ rowGap: 8 }} data-testid="case-search-form">
      <Form.Item name="q">
        <Input allowClear placeholder={t('办件编号或申请人', 'Case number or applicant')} style={{ width: 200 }} data-testid="case-search" />
      </Form.Item>
      <Form.Item name="idNumber">
        <Input allowClear placeholder={t('证件号码（完整）', 'ID number (full)')} style={{ width: 200 }} data-testid="search-id" />
      </Form.Item>
      <Form.Item name="phone">
        <Input allowClear placeholder={t('联系电话（完整）', 'Phone (full)')} style={{ width: 160 }} data-testid="search-phone" />
      </Form.Item>
      <Form.Item name="matter">
        <Select allowClear showSearch optionFilterProp="label" placeholder={t('事项', 'Matter')} style={{ width: 200 }} options={matters.map((m) => ({ value: m.code, label: m.name }))} data-testid="search-matter" />
      </Form.Item>
      <Form.Item name="department">
        <Select allowClear showSearch placeholder={t('实施部门', 'Department')} style={{ width: 200 }} options={departments.map((d) => ({ value: d, label: d }))} data-testid="search-department" />
      </Form.Item>
      <Form.Item name="status">
        <Select allowClear placeholder={t('状态', 'Status')} style={{ width: 130 }} options={Object.keys(statusWords).map((k) => ({ value: k, label: say(statusWords, k, lang) }))} data-testid="search-status" />
      </Form.Item>
      <Form.Item name="warning">
        <Select allowClear placeholder={t('亮灯', 'Light')} style={{ width: 110 }} options={(['green', 'yellow', 'red'] as Warning[]).map((w) => ({ value: w, label: <WarningLight warning={w} /> }))} />
      </Form.Item>
      <Form.Item name="received">
        <DatePicker.RangePicker placeholder={[t('收件起', 'Received from'), t('收件止', 'Received to')]} data-testid="search-received" />
      </Form.Item>
      <Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" data-testid="search-submit">{t('查询', 'Search')}</Button>
          <Button
            data-testid="search-reset"
            onClick={() => {
              form.setFieldsValue({ ...noSearch, received: null });
              onSearch(noSearch);
            }}
          >
            {t('重置', 'Reset')}
          </Button>
        </Space>
      </Form.Item>
    </Form>
  );
}

export function CasesPage() {
  const t = useT();
  const { user, lang } = useSession();
  const { message } = App.useApp();
  const [f, setF] = useUrlFilters({ ...noSearch, page: '1' });
  const page = Math.max(1, Number(f.page) || 1);
  const search: CaseSearch = { q: f.q, idNumber: f.idNumber, phone: f.phone, matter: f.matter, department: f.department, status: f.status, warning: f.warning, from: f.from, to: f.to };
  const matters = useQuery(queries.matters()).data ?? [];
  const cases = useQuery({ ...queries.cases({ page, pageSize: 20, ...caseQuery(search) }), placeholderData: keepPreviousData });
  const [exporting, setExporting] = useState(false);
  const exportList = async () => {
    setExporting(true);
    try {
      downloadBlob(`${t('办件清单', 'cases')}-${dayjs().format('YYYYMMDD-HHmm')}.csv`, await api.exportCases(caseQuery(search)));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setExporting(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('办件查询', 'Cases')}</Typography.Title>
        <Button icon={<DownloadOutlined />} loading={exporting} onClick={exportList} data-testid="case-export">
          {t('导出查询结果', 'Export the list')}
        </Button>
      </Space>
      <CaseSearchForm key={JSON.stringify(search)} value={search} onSearch={(s) => setF(s)} matters={matters.map((m) => ({ code: m.code, name: m.name, department: m.department }))} />
      <Loadable loading={cases.isPending} error={cases.error}>
        <Table<CaseSummary>
          rowKey="caseId"
          size="middle"
          scroll={{ x: 900 }}
          loading={cases.isFetching}
          dataSource={cases.data?.items ?? []}
          pagination={{ current: page, pageSize: 20, total: cases.data?.total ?? 0, onChange: (p) => setF({ page: String(p) }), showSizeChanger: false }}
          columns={[
            { title: t('办件编号', 'Case number'), dataIndex: 'caseNumber', render: (n: string, r) => <Space size={4} wrap><Link to={`/cases/${r.caseId}`} data-testid="case-link">{n}</Link><PriorityTag kind={r.priority} /></Space> },
            { title: t('事项', 'Matter'), dataIndex: 'matterName', ellipsis: true },
            { title: t('申请人', 'Applicant'), dataIndex: 'applicantName', ellipsis: true },
            { title: t('收件', 'Received'), dataIndex: 'receivedAt', render: moment, width: 150 },
            { title: t('状态', 'Status'), dataIndex: 'status', width: 110, render: (s: string) => <Tag color={statusColor(s)}>{say(statusWords, s, lang)}</Tag> },
            { title: t('亮灯', 'Light'), dataIndex: 'warning', width: 90, render: (w: string) => <WarningLight warning={w} /> },
            ...(hasRole(user, 'auditor') ? [{ title: '', width: 80, render: (_: unknown, r: CaseSummary) => <Link to={`/cases/${r.caseId}/replay`}>{t('回放', 'Replay')}</Link> }] : []),
          ]}
        />
      </Loadable>
    </Space>
  );
}
