// 红牌督办 (电子监察): every case past its promised date and undecided, for supervisors (all) and department heads
// (their department's, as the host decides).
import { Space, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { Link } from 'react-router-dom';
import { moment } from '../lib/format';
import type { RedCard } from '../lib/model';
import { Loadable } from '../lib/Page';
import { queries } from '../lib/queries';
import { useT } from '../lib/session';

export function RedCardsPage() {
  const t = useT();
  const cards = useQuery(queries.redCards());
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>{t('红牌督办', 'Red cards')}</Typography.Title>
      <Typography.Text type="secondary">{t('超过承诺办结时限仍未办结的办件，每件发一次红牌。', 'Each case past its promised date and still undecided gets one red card.')}</Typography.Text>
      <Loadable loading={cards.isPending} error={cards.error}>
        <Table<RedCard>
          rowKey="caseId"
          size="middle"
          scroll={{ x: 800 }}
          dataSource={cards.data ?? []}
          pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
          locale={{ emptyText: t('没有红牌', 'No red cards') }}
          data-testid="red-cards-table"
          columns={[
            { title: t('办件编号', 'Case number'), dataIndex: 'caseNumber', width: 170, render: (n: string, r) => <Link to={`/cases/${r.caseId}`}>{n}</Link> },
            { title: t('事项', 'Matter'), dataIndex: 'matterName' },
            { title: t('责任部门', 'Department'), dataIndex: 'department' },
            { title: t('承诺办结', 'Promised'), dataIndex: 'promisedDue', width: 150, render: moment },
            {
              title: t('超期', 'Overdue'),
              width: 110,
              render: (_, r) => <Tag color="red">{t(`${Math.max(1, dayjs().diff(dayjs(r.promisedDue), 'day'))} 天`, `${Math.max(1, dayjs().diff(dayjs(r.promisedDue), 'day'))} d`)}</Tag>,
            },
            { title: t('发牌时间', 'Issued'), dataIndex: 'issuedAt', width: 150, render: moment },
          ]}
        />
      </Loadable>
    </Space>
  );
}
