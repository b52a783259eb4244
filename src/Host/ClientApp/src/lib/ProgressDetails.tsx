// A case's progress in the applicant's words, shared by the public /progress page and the applicant's own /my page:
// each step with its result, the reasons of a refusal, what is still owed and by when, and the waybill number.
import { Alert, Space, Steps, Tag, Typography } from 'antd';
import type { components } from './api.gen';
import { moment, say, statusColor, waybillStatusNames } from './format';
import { useSession, useT } from './session';

export type ProgressView = components['schemas']['ProgressView'];
export type OwedMaterials = components['schemas']['OwedMaterials'];

/** The owed materials with their deadline: a correction's list or the materials owed under tolerance (容缺). */
export function OwedList({ owed }: { owed: readonly OwedMaterials[] }) {
  const t = useT();
  if (owed.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="owed"
      message={t('请补交以下材料', 'Still to supply')}
      description={owed.map((o) => (
        <div key={o.why}>
          <Typography.Text strong>{o.why === '补正' ? t('补正材料', 'Correction') : t('容缺补交', 'Owed under tolerance')}</Typography.Text>
          {o.by && <Typography.Text type="danger">{` ${t('截止', 'by')} ${moment(o.by)}`}</Typography.Text>}
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {o.materials.map((m) => (
              <li key={m}>
                {m}
                {o.suppliedOnline?.includes(m) && <Tag color="blue" style={{ marginInlineStart: 8 }} data-testid="supplied-online">{t('已在线提交，待窗口确认', 'Supplied online, awaiting the window')}</Tag>}
              </li>
            ))}
          </ul>
        </div>
      ))}
    />
  );
}

export function ProgressDetails({ progress }: { progress: ProgressView }) {
  const t = useT();
  const { lang } = useSession();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text strong>{progress.matterName}</Typography.Text>
        <Tag color={statusColor(progress.status)} data-testid="p-status">{progress.statusName}</Tag>
      </Space>
      <Typography.Text type="secondary">
        {progress.caseNumber} · {t('收件', 'Received')} {moment(progress.receivedAt)} · {t('承诺办结', 'Promised by')} {moment(progress.promisedDue)} · {progress.department}
      </Typography.Text>
      {progress.reasons && <Alert type="error" showIcon message={t('理由', 'Reasons')} description={progress.reasons} data-testid="p-reasons" />}
      <OwedList owed={progress.owed} />
      <Steps
        direction="vertical"
        size="small"
        current={progress.steps.length}
        items={progress.steps.map((s) => ({ title: s.step, description: `${s.result} · ${moment(s.at)}` }))}
        data-testid="p-steps"
      />
      {progress.waybillNumber && (
        <Typography.Text data-testid="p-waybill">{t('EMS 运单号：', 'EMS waybill: ')}{progress.waybillNumber}{progress.waybill ? `（${say(waybillStatusNames, progress.waybill, lang)}）` : ''}</Typography.Text>
      )}
    </Space>
  );
}

