// 免申即享: the SMS invitations the proactive sweep sent and what each resident answered, for policy staff and auditors.
import { Card, Select, Table, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { moment } from '../lib/format';
import type { Invitation } from '../lib/model';
import { Loadable } from '../lib/Page';
import { queries } from '../lib/queries';
import { useT } from '../lib/session';

const statuses: Record<string, [string, string, string]> = {
  invited: ['已邀请', 'Invited', 'blue'],
  agreed: ['已同意', 'Agreed', 'green'],
  declined: ['已拒绝', 'Declined', 'default'],
  expired: ['已过期', 'Expired', 'orange'],
  'opted-out': ['已退订', 'Opted out', 'red'],
};

export function InvitationsCard() {
  const t = useT();
  const [status, setStatus] = useState('');
  const invitations = useQuery(queries.invitations(status));
  return (
    <Card
      title={t('免申即享邀请', 'Proactive invitations')}
      extra={
        <Select
          value={status}
          onChange={setStatus}
          style={{ width: 140 }}
          data-testid="invitation-status"
          options={[{ value: '', label: t('全部状态', 'All') }, ...Object.entries(statuses).map(([value, [zh, en]]) => ({ value, label: t(zh, en) }))]}
        />
      }
    >
      <Loadable loading={invitations.isPending} error={invitations.error}>
        <Table<Invitation>
          rowKey="id"
          size="small"
          scroll={{ x: 900 }}
          dataSource={invitations.data ?? []}
          pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
          locale={{ emptyText: t('暂无邀请', 'No invitations') }}
          data-testid="invitations-table"
          columns={[
            { title: t('事项', 'Matter'), dataIndex: 'matterName' },
            { title: t('居民', 'Resident'), dataIndex: 'residentName', width: 90 },
            { title: t('身份证号', 'ID number'), dataIndex: 'idNumber', width: 180 },
            { title: t('手机', 'Phone'), dataIndex: 'phone', width: 120 },
            { title: t('符合条件日', 'Qualifies on'), dataIndex: 'qualifiesOn', width: 110 },
            { title: t('状态', 'Status'), dataIndex: 'status', width: 90, render: (s: string) => <Tag color={statuses[s]?.[2]}>{statuses[s] ? t(statuses[s][0], statuses[s][1]) : s}</Tag> },
            { title: t('邀请时间', 'Invited'), dataIndex: 'invitedAt', width: 150, render: moment },
            { title: t('回复', 'Reply'), dataIndex: 'reply', width: 80, render: (r: string | null) => r ?? '—' },
            { title: t('申请办件', 'Application'), dataIndex: 'caseNumber', width: 170, render: (n: string | null) => n ?? '—' },
          ]}
        />
      </Loadable>
    </Card>
  );
}
