// A case's official notices (文书): title, when issued, its hash as journaled, and its two printed forms. The
// links open the copies stored at issue, so a reprint is the notice the applicant was given. For clerks,
// auditors and the case's applicant (the host decides who may read the case).
import { Button, List, Space, Tooltip, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import type { components } from './api.gen';
import { client } from './api';
import { moment } from './format';
import { keys } from './queries';
import { useT } from './session';

type CaseDocument = components['schemas']['CaseDocumentView'];

// Under the case's key, so whatever makes the case stale (a step) refreshes its notices too.
const documentsQuery = (caseId: string) => ({
  queryKey: [...keys.case(caseId), 'documents'] as const,
  queryFn: async ({ signal }: { signal: AbortSignal }) =>
    (await client.GET('/api/cases/{id}/documents', { params: { path: { id: caseId } }, signal })).data as CaseDocument[],
});

export function CaseDocuments({ caseId }: { caseId: string }) {
  const t = useT();
  const documents = useQuery(documentsQuery(caseId));
  return (
    <List<CaseDocument>
      size="small"
      loading={documents.isPending}
      dataSource={documents.data ?? []}
      locale={{ emptyText: documents.isError ? t('文书加载失败', 'Could not load the notices') : t('暂无文书', 'No notices yet') }}
      data-testid="case-documents"
      renderItem={(d) => (
        <List.Item
          key={d.id}
          actions={[
            <Button key="pdf" size="small" href={d.links.pdf} data-testid={`document-pdf-${d.kind}`}>PDF</Button>,
            <Button key="html" size="small" href={d.links.html} target="_blank" rel="noopener">{t('打印', 'Print')}</Button>,
          ]}
        >
          <Space direction="vertical" size={0}>
            <Typography.Text strong>{d.title}</Typography.Text>
            <Typography.Text type="secondary">
              {moment(d.createdAt)}
              {' · '}
              <Tooltip title={t(`${d.algorithm} 哈希，已记入办件日志第 ${d.journalSequence} 条`, `${d.algorithm} hash, in the case journal at #${d.journalSequence}`)}>
                <Typography.Text code copyable={{ text: d.hash }}>{d.hash.slice(0, 12)}</Typography.Text>
              </Tooltip>
            </Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}
