import { Alert, App, Button, Card, Col, Descriptions, List, Row, Space, Table, Tag, Typography, Upload } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { errorText } from '../lib/api';
import { FlowDiagram } from '../lib/FlowDiagram';
import { readFlow } from '../lib/flow';
import { download, limitText } from '../lib/format';
import { MigrationButton } from '../lib/MigrationPanel';
import { Loadable } from '../lib/Page';
import { queries, useImportDefinition, usePublishDefinition } from '../lib/queries';
import { hasRole, useSession, useT } from '../lib/session';

export function MattersPage() {
  const t = useT();
  const { user, lang } = useSession();
  const { message } = App.useApp();
  const [code, setCode] = useState<string>();
  const qc = useQueryClient();
  const list = useQuery(queries.matters());
  const detail = useQuery({ ...queries.matter(code ?? ''), enabled: !!code });
  const flowJson = useQuery({ ...queries.flow(code ?? ''), enabled: !!code });
  const flow = useMemo(() => (flowJson.data ? readFlow(flowJson.data) : undefined), [flowJson.data]);
  const m = detail.data?.matter;
  const policy = hasRole(user, 'policy');
  const importing = useImportDefinition();
  const publishing = usePublishDefinition();
  const importError = importing.error ?? publishing.error;
  const importFile = async (file: File) => {
    importing.reset();
    publishing.reset();
    try {
      const result = await importing.mutateAsync(await file.text());
      message.success(t(`已导入为草稿 v${result.version}`, `Imported as draft v${result.version}`));
      const { definitionId, version } = result;
      if (!definitionId) message.warning(t('导入结果未给出定义编号，无法发布', 'The import named no definition to publish'));
      else if (window.confirm(t('现在发布？', 'Publish now?'))) {
        await publishing.mutateAsync({ definitionId, version });
        message.success(t('已发布', 'Published'));
      }
    } catch {
      // The mutation keeps the error; it is shown above the list.
    }
    return false;
  };
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={8}>
        <Card size="small" title={t('事项目录', 'Matter catalog')} extra={policy && <Upload accept=".json" showUploadList={false} beforeUpload={importFile}><Button size="small" data-testid="import">{t('导入 Elsa JSON', 'Import Elsa JSON')}</Button></Upload>}>
          {importError && <Alert type="error" showIcon message={errorText(importError)} style={{ marginBottom: 8 }} data-testid="import-error" />}
          <Loadable loading={list.isPending} error={list.error}>
            <List size="small" dataSource={list.data ?? []} pagination={{ pageSize: 10, size: 'small' }}
              renderItem={(x) => (
                <List.Item onClick={() => setCode(x.code)} style={{ cursor: 'pointer', background: x.code === code ? '#fff1f0' : undefined }} data-testid={`matter-${x.code}`}>
                  <List.Item.Meta title={x.name} description={`${x.code} · ${x.department}`} />
                </List.Item>
              )} />
          </Loadable>
        </Card>
      </Col>
      <Col xs={24} lg={16}>
        {!code ? <Alert type="info" message={t('选择一个事项查看其要素和流程', 'Pick a matter to see its elements and flow')} /> : (
          <Loadable loading={detail.isPending} error={detail.error}>
            {m && (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Card size="small" title={m.name} extra={<Space>
                  {policy && detail.data?.definitionId && <MigrationButton definitionId={detail.data.definitionId} version={detail.data.version} />}
                  <Button size="small" onClick={async () => download(`${code}.json`, JSON.stringify(await qc.fetchQuery(queries.flow(code)), null, 2), 'application/json')} data-testid="export">{t('导出 Elsa JSON', 'Export Elsa JSON')}</Button>
                </Space>}>
                  <Descriptions size="small" column={{ xs: 1, md: 2 }}>
                    <Descriptions.Item label={t('事项编码', 'Code')}>{m.code}</Descriptions.Item>
                    <Descriptions.Item label={t('实施主体', 'Department')}>{m.department}</Descriptions.Item>
                    <Descriptions.Item label={t('法定时限', 'Statutory limit')}>{limitText(m.statutoryLimit, lang)}</Descriptions.Item>
                    <Descriptions.Item label={t('承诺时限', 'Promised limit')}>{limitText(m.promisedLimit, lang)}</Descriptions.Item>
                    <Descriptions.Item label={t('到现场次数', 'Visits')}>{m.visits}</Descriptions.Item>
                    <Descriptions.Item label={t('版本', 'Version')}>v{detail.data?.version}</Descriptions.Item>
                    <Descriptions.Item label={t('设定依据', 'Legal basis')} span={2}>{m.legalBasis ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('受理条件', 'Conditions')} span={2}>{(m.conditions ?? []).join('；') || '—'}</Descriptions.Item>
                  </Descriptions>
                </Card>
                {flow && <Card size="small" title={t('流程', 'Flow')}><FlowDiagram flow={flow} maxHeight={Infinity} /></Card>}
                <Card size="small" title={t('申请材料', 'Materials')}>
                  <Table size="small" rowKey="name" pagination={false} dataSource={m.materials ?? []}
                    columns={[
                      { title: t('材料', 'Material'), dataIndex: 'name' },
                      { title: t('原件/复印件', 'Originals/copies'), render: (_, x) => `${x.originals ?? 0}/${x.copies ?? 0}` },
                      { title: '', render: (_, x) => <Space size={4}>{x.required && <Tag color="red">{t('必需', 'required')}</Tag>}{x.certificateReplaceable && <Tag color="blue">{t('电子证照', 'e-certificate')}</Tag>}{x.toleranceAllowed && <Tag color="orange">{t('可容缺', 'tolerance')}</Tag>}</Space> },
                    ]} />
                </Card>
                <Typography.Text type="secondary">{t('环节：', 'Steps: ')}{(m.steps ?? []).map((s) => `${s.name}（${limitText(s.limit, lang)}）`).join(' → ')}</Typography.Text>
              </Space>
            )}
          </Loadable>
        )}
      </Col>
    </Row>
  );
}
