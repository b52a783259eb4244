// 版本管理: a matter's drafts and published versions with who saved and published them and how many cases still run
// on each; publish and retract after a confirmation that names what changes for new and for open cases; compare two.
import { Alert, App, Button, Descriptions, Modal, Space, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorText } from '../api';
import { moment } from '../format';
import { MigrationButton } from '../MigrationPanel';
import { Loadable } from '../Page';
import { useT } from '../session';
import { VersionCompare } from './VersionCompare';
import { useVersionAct, versionQueries, type DefinitionVersion, type PublishImpact } from './versions';

const stateTags: Record<string, { color: string; zh: string; en: string }> = {
  draft: { color: 'default', zh: '草稿', en: 'Draft' },
  published: { color: 'green', zh: '已发布', en: 'Published' },
  retired: { color: 'orange', zh: '已停用', en: 'Retired' },
};

export function VersionsPanel({ definitionId, onOpen }: { definitionId: string; onOpen?(version: number): void }) {
  const t = useT();
  const versions = useQuery(versionQueries.versions(definitionId));
  const [chosen, setChosen] = useState<number[]>([]);
  const [comparing, setComparing] = useState<[number, number]>();
  const [confirming, setConfirming] = useState<{ publish: number } | { retract: true }>();
  const rows = versions.data ?? [];
  const published = rows.find((v) => v.isPublished);
  const openElsewhere = rows.some((v) => !v.isPublished && v.openCases > 0);

  const who = (name: string | null | undefined, at: string | null | undefined, fallback: string) =>
    name || at ? `${name ?? t('系统', 'system')}${at ? ` · ${moment(at)}` : ''}` : fallback;

  return (
    <Loadable loading={versions.isPending} error={versions.error}>
      <Space style={{ marginBottom: 8 }} wrap>
        <Button data-testid="compare" disabled={chosen.length !== 2} onClick={() => setComparing([Math.min(...chosen), Math.max(...chosen)] as [number, number])}>
          {t('对比所选两个版本', 'Compare the two chosen')}
        </Button>
        {published && (
          <Button danger data-testid="retract" onClick={() => setConfirming({ retract: true })}>
            {t(`停用第 ${published.version} 版`, `Retract v${published.version}`)}
          </Button>
        )}
        {published && openElsewhere && <MigrationButton definitionId={definitionId} version={published.version} />}
        <Typography.Text type="secondary">{t('勾选两个版本后可对比差异', 'Tick two versions to compare them')}</Typography.Text>
      </Space>
      <Table<DefinitionVersion>
        rowKey="version"
        size="small"
        pagination={false}
        dataSource={rows}
        data-testid="versions-table"
        onRow={(v) => ({ 'data-testid': `version-${v.version}` }) as React.HTMLAttributes<HTMLElement>}
        rowSelection={{
          selectedRowKeys: chosen,
          onChange: (keys) => setChosen((keys as number[]).slice(-2)),
          hideSelectAll: true,
        }}
        columns={[
          { title: t('版本', 'Version'), dataIndex: 'version', width: 70, render: (n: number) => t(`第 ${n} 版`, `v${n}`) },
          {
            title: t('状态', 'State'), dataIndex: 'state', width: 90,
            render: (s: string) => <Tag color={stateTags[s]?.color}>{t(stateTags[s]?.zh ?? s, stateTags[s]?.en ?? s)}</Tag>,
          },
          {
            title: t('保存', 'Saved'),
            render: (_, v) => who(v.updatedBy ?? v.createdBy, v.updatedAt ?? v.createdAt, t('随系统提供', 'shipped with GovFlow')),
          },
          { title: t('发布', 'Published'), render: (_, v) => who(v.publishedBy, v.publishedAt, v.isPublished ? t('随系统发布', 'shipped published') : '—') },
          {
            title: t('停用', 'Retired'),
            render: (_, v) => (v.state === 'retired' ? who(v.retractedBy, v.retractedAt, '—') : '—'),
          },
          { title: t('在办件', 'Open cases'), dataIndex: 'openCases', width: 80, render: (n: number) => (n > 0 ? <Typography.Text strong>{n}</Typography.Text> : 0) },
          {
            title: t('操作', 'Actions'), width: 170,
            render: (_, v) => (
              <Space size={4}>
                {onOpen && (
                  <Button size="small" data-testid={`open-${v.version}`} onClick={() => onOpen(v.version)}>
                    {t('打开', 'Open')}
                  </Button>
                )}
                {!v.isPublished && (
                  <Button size="small" type="primary" data-testid={`publish-${v.version}`} onClick={() => setConfirming({ publish: v.version })}>
                    {t('发布', 'Publish')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {confirming && <Confirm definitionId={definitionId} act={confirming} onClose={() => setConfirming(undefined)} />}
      {comparing && (
        <Modal open width={1100} footer={null} onCancel={() => setComparing(undefined)} destroyOnHidden
          title={t(`对比第 ${comparing[0]} 版与第 ${comparing[1]} 版`, `Compare v${comparing[0]} and v${comparing[1]}`)}>
          <VersionCompare definitionId={definitionId} from={comparing[0]} to={comparing[1]} />
        </Modal>
      )}
    </Loadable>
  );
}

/** The confirmation before a publish or a retract: what changes for new and for open cases, and what differs. */
function Confirm({ definitionId, act, onClose }: { definitionId: string; act: { publish: number } | { retract: true }; onClose(): void }) {
  const t = useT();
  const { message } = App.useApp();
  const publishing = 'publish' in act;
  const impact = useQuery(publishing ? versionQueries.publishImpact(definitionId, act.publish) : versionQueries.retractImpact(definitionId));
  const run = useVersionAct(definitionId);
  const go = () =>
    run.mutate(act, {
      onSuccess: () => {
        void message.success(publishing ? t(`已发布第 ${act.publish} 版`, `v${act.publish} published`) : t('已停用', 'Retracted'));
        onClose();
      },
      onError: (e) => void message.error(errorText(e)),
    });
  const refused = !!impact.data?.refusal;
  return (
    <Modal
      open
      width={760}
      title={publishing ? t(`发布第 ${act.publish} 版？`, `Publish v${act.publish}?`) : t('停用本事项的发布版本？', 'Retract the published version?')}
      okText={publishing ? t('确认发布', 'Publish') : t('确认停用', 'Retract')}
      okButtonProps={{ danger: !publishing, disabled: !impact.data || refused, loading: run.isPending }}
      cancelText={t('取消', 'Cancel')}
      onOk={go}
      onCancel={onClose}
      destroyOnHidden
      modalRender={(node) => <div data-testid={publishing ? 'publish-confirm' : 'retract-confirm'}>{node}</div>}
    >
      <Loadable loading={impact.isPending} error={impact.error}>
        {impact.data && <ImpactText impact={impact.data} />}
      </Loadable>
    </Modal>
  );
}

function ImpactText({ impact }: { impact: PublishImpact }) {
  const t = useT();
  const newCases =
    impact.action === 'retract'
      ? impact.newCases === 'refused'
        ? t(`停用第 ${impact.publishedVersion} 版后，本事项不再受理新的申请。`, `After retracting v${impact.publishedVersion}, the matter takes no new applications.`)
        : t('本事项没有已发布的版本，停用不改变什么。', 'No version is published; retracting changes nothing.')
      : impact.newCases === 'unchanged'
        ? t(`第 ${impact.version} 版已是发布版本。`, `v${impact.version} is already the published version.`)
        : impact.publishedVersion
          ? t(`新申请将按第 ${impact.version} 版办理（现为第 ${impact.publishedVersion} 版）。`, `New applications will run v${impact.version} (now v${impact.publishedVersion}).`)
          : t(`新申请将按第 ${impact.version} 版办理（目前不受理新申请）。`, `New applications will run v${impact.version} (none are taken now).`);
  const byVersion = impact.openCasesByVersion.map((v) => t(`第 ${v.version} 版：${v.count} 件`, `v${v.version}: ${v.count}`)).join(t('，', ', '));
  const openCases =
    impact.openCases === 0
      ? t('没有在办件受影响。', 'No open case is affected.')
      : impact.action === 'retract'
        ? t(`${impact.openCases} 件在办件（${byVersion}）按原版本继续办结。`, `${impact.openCases} open cases (${byVersion}) finish on their versions.`)
        : t(
            `${impact.openCases} 件在办件（${byVersion}）仍按原版本办理；发布后可用“迁移在办件”预览并迁移到第 ${impact.version} 版。`,
            `${impact.openCases} open cases (${byVersion}) stay on their versions; after publishing, "Move open cases" previews moving them to v${impact.version}.`,
          );
  const c = impact.changes;
  return (
    <>
      {impact.refusal && <Alert type="error" showIcon message={impact.refusal} style={{ marginBottom: 12 }} data-testid="publish-refusal" />}
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('新申请', 'New applications')}>
          <span data-testid="impact-new-cases">{newCases}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('在办件', 'Open cases')}>
          <span data-testid="impact-open-cases">{openCases}</span>
        </Descriptions.Item>
        {c && (
          <Descriptions.Item label={t(`与第 ${c.from} 版相比`, `Against v${c.from}`)}>
            <span data-testid="impact-changes">
              {t(
                `要素 ${c.elements.length} 项、材料 ${c.materials.length} 项、环节 ${c.steps.length} 项、流程节点 ${c.activities.length} 个有变化`,
                `${c.elements.length} elements, ${c.materials.length} materials, ${c.steps.length} steps, ${c.activities.length} flow nodes changed`,
              )}
            </span>
            {c.elements.length + c.materials.length > 0 && (
              <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
                {c.elements.map((e) => (
                  <li key={e.field}>{`${e.label}：${e.before ?? '—'} → ${e.after ?? '—'}`}</li>
                ))}
                {c.materials.map((m) => (
                  <li key={m.name}>{`${t('材料', 'Material')}“${m.name}”：${m.change === 'added' ? t('新增', 'added') : m.change === 'removed' ? t('删除', 'removed') : m.properties.map((p) => `${p.label} ${p.before ?? '—'} → ${p.after ?? '—'}`).join('；')}`}</li>
                ))}
              </ul>
            )}
          </Descriptions.Item>
        )}
      </Descriptions>
    </>
  );
}
