import { Alert, App, Button, Card, Col, Descriptions, List, Row, Space, Table, Tag, Upload } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { errorText } from '../lib/api';
import { FlowDiagram } from '../lib/FlowDiagram';
import { readFlow } from '../lib/flow';
import { download, limitText } from '../lib/format';
import { MigrationButton } from '../lib/MigrationPanel';
import { Loadable } from '../lib/Page';
import { queries, useImportDefinition, usePublishDefinition } from '../lib/queries';
import { hasRole, useSession, useT } from '../lib/session';
import { choiceLabel, matterChoices } from '../lib/designer/matterModel';

export function MattersPage() {
  const t = useT();
  const { user, lang } = useSession();
  const { message } = App.useApp();
  const [code, setCode] = useState<string>();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const list = useQuery(queries.matters());
  const definitions = useQuery({ ...queries.definitions(), enabled: hasRole(user, 'policy') });
  // Drafts policy staff are working on: new matters not yet published, and new versions of published ones.
  const drafts = (definitions.data ?? []).filter((d) => d.publishedVersion == null || d.latestVersion > d.publishedVersion);
  const detail = useQuery({ ...queries.matter(code ?? ''), enabled: !!code });
  const flowJson = useQuery({ ...queries.flow(code ?? ''), enabled: !!code });
  const flow = useMemo(() => (flowJson.data ? readFlow(flowJson.data) : undefined), [flowJson.data]);
  const m = detail.data?.matter;
  const choices = matterChoices(t);
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
        <Card size="small" title={t('事项目录', 'Matter catalog')} extra={policy && <Space size={4}>
          <Button size="small" type="primary" onClick={() => navigate('/matters/new')} data-testid="new-matter">{t('新建事项', 'New matter')}</Button>
          <Upload accept=".json" showUploadList={false} beforeUpload={importFile}><Button size="small" data-testid="import">{t('导入 Elsa JSON', 'Import Elsa JSON')}</Button></Upload>
        </Space>}>
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
        {policy && drafts.length > 0 && (
          <Card size="small" title={t('草稿', 'Drafts')} style={{ marginTop: 16 }} data-testid="drafts">
            <List size="small" dataSource={drafts} renderItem={(d) => (
              <List.Item actions={[<Link key="edit" to={`/designer/${d.definitionId}`} data-testid={`draft-${d.definitionId}`}>{t('继续编辑', 'Edit')}</Link>]}>
                <List.Item.Meta title={d.name || d.definitionId}
                  description={d.publishedVersion == null ? t(`v${d.latestVersion} 草稿，尚未发布`, `draft v${d.latestVersion}, never published`) : t(`v${d.latestVersion} 草稿（已发布 v${d.publishedVersion}）`, `draft v${d.latestVersion} (v${d.publishedVersion} published)`)} />
              </List.Item>
            )} />
          </Card>
        )}
      </Col>
      <Col xs={24} lg={16}>
        {!code ? <Alert type="info" message={t('选择一个事项查看其要素和流程', 'Pick a matter to see its elements and flow')} /> : (
          <Loadable loading={detail.isPending} error={detail.error}>
            {m && (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Card size="small" title={m.name} extra={<Space wrap>
                  {policy && detail.data?.definitionId && <Button size="small" type="primary" onClick={() => navigate(`/designer/${detail.data!.definitionId}`)} data-testid="edit-matter">{t('编辑', 'Edit')}</Button>}
                  {policy && <Button size="small" onClick={() => navigate(`/matters/new?copy=${encodeURIComponent(code)}`)} data-testid="copy-matter">{t('复制为新事项', 'Copy as new')}</Button>}
                  {policy && detail.data?.definitionId && <MigrationButton definitionId={detail.data.definitionId} version={detail.data.version} />}
                  <Button size="small" onClick={async () => download(`${code}.json`, JSON.stringify(await qc.fetchQuery(queries.flow(code)), null, 2), 'application/json')} data-testid="export">{t('导出 Elsa JSON', 'Export Elsa JSON')}</Button>
                </Space>}>
                  <Descriptions size="small" column={{ xs: 1, md: 2 }} data-testid="guide">
                    <Descriptions.Item label={t('基本编码', 'Code')}>{m.code}</Descriptions.Item>
                    <Descriptions.Item label={t('实施编码', 'Implementation code')}>{m.implementationCode ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('事项类型', 'Type')}>{detail.data?.typeName}</Descriptions.Item>
                    <Descriptions.Item label={t('行使层级', 'Level')}>{detail.data?.levelName ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('实施主体', 'Department')}>{m.department}</Descriptions.Item>
                    <Descriptions.Item label={t('联办机构', 'Joint departments')}>{(m.jointDepartments ?? []).map((d) => d.name).join('、') || '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('服务对象', 'Service objects')}>{detail.data?.serviceObjectNames.join('、') || '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('办理形式', 'Handling forms')}>{detail.data?.handlingFormNames.join('、') || '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('办件类型', 'Case type')}>{detail.data?.caseTypeName ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('到现场次数', 'Visits')}>{m.visits}</Descriptions.Item>
                    <Descriptions.Item label={t('法定时限', 'Statutory limit')}>{limitText(m.statutoryLimit, lang)}</Descriptions.Item>
                    <Descriptions.Item label={t('承诺时限', 'Promised limit')}>{limitText(m.promisedLimit, lang)}</Descriptions.Item>
                    <Descriptions.Item label={t('收费', 'Fees')}>
                      {m.fee?.charged ? (m.fee.items ?? []).map((f) => `${f.name} ${f.amount}${t(' 元', ' yuan')}${f.basis ? `（${f.basis}）` : ''}`).join('；') || t('收费', 'charged') : t('不收费', 'free')}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('办理结果', 'Result')}>{m.result ? `${m.result.name}（${choiceLabel(choices.resultType, m.result.type)}）` : '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('通办范围', 'Handled anywhere')}>{choiceLabel(choices.crossRegionScope, m.crossRegionScope) ?? t('不通办', 'no')}</Descriptions.Item>
                    <Descriptions.Item label={t('服务方式', 'Services')}>
                      {[m.flags?.appointment && t('可预约', 'appointments'), m.flags?.onlineHandling && t('可网上办理', 'online'), m.flags?.onlinePayment && t('可网上支付', 'online payment'), m.flags?.courierDelivery && t('可快递送达', 'delivery by post')].filter(Boolean).join('、') || '—'}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('版本', 'Version')}>v{detail.data?.version}</Descriptions.Item>
                    <Descriptions.Item label={t('设定依据', 'Legal basis')} span={2}>{m.legalBasis ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('受理条件', 'Conditions')} span={2}>{(m.conditions ?? []).join('；') || '—'}</Descriptions.Item>
                  </Descriptions>
                </Card>
                {flow && <Card size="small" title={t('流程', 'Flow')}><FlowDiagram flow={flow} maxHeight={Infinity} /></Card>}
                <Card size="small" title={t('办理环节', 'Steps')}>
                  <Table size="small" rowKey="name" pagination={false} dataSource={m.steps ?? []} data-testid="guide-steps"
                    columns={[
                      { title: t('环节', 'Step'), dataIndex: 'name' },
                      { title: t('时限', 'Limit'), render: (_, x) => limitText(x.limit, lang) },
                      { title: t('办理部门', 'Department'), render: (_, x) => x.department ?? m.department },
                      { title: t('办理岗位', 'Post'), render: (_, x) => (x.role ? detail.data?.roleNames[x.role] ?? x.role : '—') },
                    ]} />
                </Card>
                <Card size="small" title={t('申请材料', 'Materials')}>
                  <Table size="small" rowKey="name" pagination={false} dataSource={m.materials ?? []} data-testid="guide-materials"
                    columns={[
                      { title: t('材料', 'Material'), render: (_, x) => (x.sample && /^https?:\/\//i.test(x.sample) ? <a href={x.sample} target="_blank" rel="noreferrer">{x.name}</a> : x.name) },
                      { title: t('原件/复印件', 'Originals/copies'), render: (_, x) => `${x.originals ?? 0}/${x.copies ?? 0}` },
                      { title: t('形式', 'Form'), render: (_, x) => choiceLabel(choices.materialForm, x.form) },
                      { title: t('来源', 'Source'), render: (_, x) => [choiceLabel(choices.materialSource, x.source), x.issuingBody].filter(Boolean).join('：') },
                      { title: '', render: (_, x) => <Space size={4} wrap>{x.required ? <Tag color="red">{t('必需', 'required')}</Tag> : <Tag>{t('按情形', 'when applicable')}</Tag>}{x.certificateReplaceable && <Tag color="blue">{t('电子证照', 'e-certificate')}</Tag>}{x.toleranceAllowed && <Tag color="orange">{t('可容缺', 'tolerance')}</Tag>}</Space> },
                    ]} />
                </Card>
                {(m.ageBands ?? []).length > 0 && (
                  <Card size="small" title={t('给付标准', 'Amounts by age')}>
                    <Table size="small" rowKey="fromAge" pagination={false} dataSource={m.ageBands ?? []} data-testid="guide-age-bands"
                      columns={[
                        { title: t('年龄', 'Age'), render: (_, b) => (b.toAge == null ? t(`${b.fromAge}周岁及以上`, `${b.fromAge} and over`) : t(`${b.fromAge}至${b.toAge}周岁`, `${b.fromAge} to ${b.toAge}`)) },
                        { title: t('每月金额', 'A month'), render: (_, b) => t(`${b.monthlyAmount} 元`, `${b.monthlyAmount} yuan`) },
                      ]} />
                  </Card>
                )}
                <Card size="small" title={t('依据来源', 'Sources')}>
                  <Table size="small" rowKey={(x) => `${x.element}|${x.source}`} pagination={false} dataSource={m.sources ?? []} data-testid="guide-sources"
                    locale={{ emptyText: t('未记录依据来源', 'No sources recorded') }}
                    columns={[
                      { title: t('要素', 'Elements'), dataIndex: 'element' },
                      { title: t('来源', 'Source'), render: (_, x) => (x.url && /^https?:\/\//i.test(x.url) ? <a href={x.url} target="_blank" rel="noreferrer">{x.source}</a> : x.source) },
                      { title: t('核对日期', 'Checked on'), render: (_, x) => x.checkedOn ?? '—' },
                    ]} />
                </Card>
              </Space>
            )}
          </Loadable>
        )}
      </Col>
    </Row>
  );
}
