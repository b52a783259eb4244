import { Card, Descriptions, Space, Tag, Typography } from 'antd';
import type { components } from './api.gen';
import { moment } from './format';
import { useT } from './session';

type CaseView = components['schemas']['CaseView'];

/** 通办 on the case page: where the case was accepted, who decides it, the hand-over's receipt and limit, the originals' waybill and where the result is collected. */
export function HandOverCard({ view }: { view: CaseView }) {
  const t = useT();
  const h = view.handOver;
  if (!h) return null;
  const late = h.status === 'pending' && !!h.dueAt && new Date(h.dueAt) < new Date();
  const state =
    h.status === 'local' ? <Tag>{t('本地受理，无需转交', 'Accepted locally, no hand-over')}</Tag>
    : h.status === 'received' ? <Tag color="green">{t('已签收', 'Signed for')}</Tag>
    : <Tag color={late ? 'red' : 'orange'}>{late ? t('转交超时未签收', 'Hand-over overdue') : t('已转交，待签收', 'Handed over, awaiting receipt')}</Tag>;
  return (
    <Card size="small" title={t('通办', 'Handled anywhere')} data-testid="hand-over">
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('受理地', 'Accepted at')}>
          <span data-testid="hand-over-hall">{h.acceptingHall ?? view.hall ?? t('网上申请', 'online')}{h.acceptingRegionName ? `（${h.acceptingRegionName}）` : ''}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('承办部门', 'Decided by')}>{h.owner ?? view.department}</Descriptions.Item>
        <Descriptions.Item label={t('转交', 'Hand-over')}>
          <Space direction="vertical" size={0}>
            <span data-testid="hand-over-state">{state}</span>
            {h.status !== 'local' && h.dueAt && (
              <Typography.Text type="secondary">{t(`时限 ${h.limitWorkingDays ?? 1} 个工作日，须于 ${moment(h.dueAt)} 前签收`, `within ${h.limitWorkingDays ?? 1} working day(s), by ${moment(h.dueAt)}`)}</Typography.Text>
            )}
            {h.receivedAt && <Typography.Text type="secondary">{t(`签收时间 ${moment(h.receivedAt)}`, `signed for ${moment(h.receivedAt)}`)}</Typography.Text>}
          </Space>
        </Descriptions.Item>
        {(h.originals?.length ?? 0) > 0 && (
          <Descriptions.Item label={t('纸质原件寄递', 'Originals by post')}>
            <Space direction="vertical" size={0}>
              <span data-testid="originals-waybill">{h.originalsWaybill ? t(`运单号 ${h.originalsWaybill}`, `waybill ${h.originalsWaybill}`) : h.originalsProblem ?? t('待寄出', 'not yet posted')}</span>
              <Typography.Text type="secondary">{(h.originals ?? []).join('、')}</Typography.Text>
            </Space>
          </Descriptions.Item>
        )}
        {h.collection && (
          <Descriptions.Item label={t('结果领取', 'Result collection')}>
            <span data-testid="result-collection-state">
              {h.collection === 'pickup'
                ? h.collectedAt ? t(`已在受理大厅领取（${moment(h.collectedAt)}）`, `collected at the hall (${moment(h.collectedAt)})`) : t('到受理大厅领取', 'pick up at the accepting hall')
                : t('邮寄送达', 'by post')}
            </span>
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}
