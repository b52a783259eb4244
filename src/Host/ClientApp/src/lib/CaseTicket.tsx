// The number a case was accepted for (预约/取号) and how long its visitor waited; nothing for a case without one.
import { Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { queueApi } from './queue';
import { useT } from './session';

export function CaseTicket({ caseId }: { caseId: string }) {
  const t = useT();
  const ticket = useQuery({ queryKey: ['cases', caseId, 'ticket'], queryFn: () => queueApi.caseTicket(caseId) });
  if (!ticket.data) return null;
  const d = ticket.data;
  return (
    <Typography.Paragraph data-testid="case-ticket" style={{ margin: '8px 0' }}>
      {d.bookingCode ? t('预约/取号', 'Booked, number') : t('取号', 'Number')}：<b>{d.number}</b>
      {d.waitMinutes != null && t(`，等候 ${d.waitMinutes} 分钟`, `, waited ${d.waitMinutes} min`)}
      {d.windowName && t(`，${d.windowName}`, `, ${d.windowName}`)}
      {d.bookingCode && t(`（预约码 ${d.bookingCode}）`, ` (booking code ${d.bookingCode})`)}
    </Typography.Paragraph>
  );
}
