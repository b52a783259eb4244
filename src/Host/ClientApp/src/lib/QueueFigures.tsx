// 等候时间: waiting figures per hall and per matter (numbers called, average and longest wait, 过号, bookings not kept).
import { Card, Col, Row, Table } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { errorText } from './api';
import { queueApi, type QueueFigure } from './queue';
import { useT } from './session';

const minutes = (v?: number | null) => (v == null ? '—' : String(v));

export function QueueFigures() {
  const t = useT();
  const figures = useQuery({ queryKey: ['queue', 'figures'], queryFn: queueApi.figures });
  const columns = (first: string) => [
    { title: first, dataIndex: 'name' },
    { title: t('叫号数', 'Called'), dataIndex: 'served' },
    { title: t('平均等候（分钟）', 'Average wait (min)'), dataIndex: 'averageWaitMinutes', render: minutes },
    { title: t('最长等候（分钟）', 'Longest wait (min)'), dataIndex: 'maxWaitMinutes', render: minutes },
    { title: t('过号', 'Skipped'), dataIndex: 'skipped' },
    { title: t('预约未到', 'No-shows'), dataIndex: 'noShows' },
  ];
  return (
    <Card title={t('排队等候', 'Queue waiting times')} size="small" style={{ marginTop: 16 }} data-testid="queue-figures">
      {figures.error ? errorText(figures.error) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={12}>
            <Table<QueueFigure> size="small" rowKey="name" pagination={false} loading={figures.isPending} dataSource={figures.data?.halls ?? []} columns={columns(t('大厅', 'Hall'))} locale={{ emptyText: '—' }} scroll={{ x: true }} />
          </Col>
          <Col xs={24} xl={12}>
            <Table<QueueFigure> size="small" rowKey="name" pagination={false} loading={figures.isPending} dataSource={figures.data?.matters ?? []} columns={columns(t('事项', 'Matter'))} locale={{ emptyText: '—' }} scroll={{ x: true }} />
          </Col>
        </Row>
      )}
    </Card>
  );
}
