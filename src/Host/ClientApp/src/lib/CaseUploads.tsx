// The files an applicant uploaded to a case (网上申办, 在线补正), each with its material, its SHA-256 and a download
// link; a supply waiting for the window's confirmation is marked. For everyone the host lets read the case.
import { Button, List, Space, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { components } from './api.gen';
import { client } from './api';
import { moment } from './format';
import { keys } from './queries';
import { useT } from './session';

type CaseUpload = components['schemas']['CaseUploadView'];

export function CaseUploads({ caseId }: { caseId: string }) {
  const t = useT();
  const uploads = useQuery({
    queryKey: [...keys.case(caseId), 'uploads'] as const,
    queryFn: async ({ signal }) => (await client.GET('/api/cases/{id}/uploads', { params: { path: { id: caseId } }, signal })).data as CaseUpload[],
  });
  if (!uploads.data?.length) return null;
  return (
    <List<CaseUpload>
      size="small"
      dataSource={uploads.data}
      data-testid="case-uploads"
      renderItem={(u) => (
        <List.Item
          key={u.id}
          actions={[<Button key="get" size="small" href={`/api/cases/${caseId}/uploads/${u.id}`} data-testid="case-upload-download">{t('下载', 'Download')}</Button>]}
        >
          <Space direction="vertical" size={0}>
            <Space wrap>
              <Typography.Text strong>{u.material}</Typography.Text>
              {u.purpose === 'supply' ? <Tag color="orange">{t('在线补正', 'Supplied online')}</Tag> : <Tag color="blue">{t('网上申办', 'Online application')}</Tag>}
            </Space>
            <Typography.Text type="secondary">
              {u.name} · {Math.ceil(Number(u.size) / 1024)} KB · {moment(u.attachedAt ?? u.uploadedAt)} · SHA-256 <Typography.Text code>{u.sha256.slice(0, 12)}</Typography.Text>
            </Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}
