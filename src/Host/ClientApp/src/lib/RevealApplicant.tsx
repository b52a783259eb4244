// The one way to see an applicant's full ID number, phone and address: a reason picked or typed, logged by the
// host with who and when before it answers (auditors read the log on the case page).
import { App, AutoComplete, Button, Modal, Space, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { errorText } from './api';
import type { CaseApplicant } from './model';
import { api } from './queries';
import { useT } from './session';

const reasons = ['核对申请人身份', '联系申请人补正材料', '邮寄送达核对地址', '电话告知办理结果'];

export function RevealApplicant({ caseId, onRevealed }: { caseId: string; onRevealed: (applicant: CaseApplicant) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const reveal = useMutation({ mutationFn: (why: string) => api.revealApplicant(caseId, why) });
  const submit = () =>
    reveal.mutate(reason.trim(), {
      onSuccess: (applicant) => {
        onRevealed(applicant);
        setOpen(false);
      },
      onError: (e) => void message.error(errorText(e)),
    });
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} data-testid="reveal-applicant">{t('查看完整信息', 'Show in full')}</Button>
      <Modal
        open={open}
        title={t('查看申请人完整个人信息', "Show the applicant's full personal data")}
        okText={t('查看', 'Show')}
        okButtonProps={{ disabled: reason.trim().length === 0, loading: reveal.isPending, ...({ 'data-testid': 'reveal-confirm' } as Record<string, string>) }}
        onOk={submit}
        onCancel={() => setOpen(false)}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            {t('证件号码、电话和地址属于个人信息，查看将记录查看人、时间和理由，供审计。', 'ID number, phone and address are personal data: who looks, when and why is logged for the auditors.')}
          </Typography.Text>
          <AutoComplete
            style={{ width: '100%' }}
            value={reason}
            onChange={setReason}
            options={reasons.map((r) => ({ value: r }))}
            placeholder={t('选择或填写理由', 'Pick or type a reason')}
            maxLength={200}
            data-testid="reveal-reason"
          />
        </Space>
      </Modal>
    </>
  );
}
