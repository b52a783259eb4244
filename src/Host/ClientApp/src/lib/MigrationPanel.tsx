// 在办件迁移: policy staff move a matter's open cases to its published version (Elsa's migration alteration). The
// host decides which can move; the panel shows its preview and sends the choice.
import { Alert, App, Button, Modal, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { errorText } from './api';
import type { MigrationCandidate } from './model';
import { Loadable } from './Page';
import { queries, useMigrateCases } from './queries';
import { useT } from './session';

export function MigrationButton({ definitionId, version }: { definitionId: string; version: number }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} data-testid="migration-open">{t('迁移在办件', 'Move open cases')}</Button>
      {open && (
        <Modal open title={t(`将在办件迁移到第 ${version} 版`, `Move open cases to v${version}`)} width={760} footer={null} onCancel={() => setOpen(false)} destroyOnHidden>
          <MigrationPreview definitionId={definitionId} />
        </Modal>
      )}
    </>
  );
}

function MigrationPreview({ definitionId }: { definitionId: string }) {
  const t = useT();
  const { message } = App.useApp();
  const preview = useQuery(queries.migration(definitionId));
  const migrate = useMigrateCases();
  const [chosen, setChosen] = useState<string[]>([]);
  const cases = preview.data?.cases ?? [];
  const movable = cases.filter((c) => c.movable);
  const run = (caseIds: string[] | null) =>
    migrate.mutate(
      { definitionId, caseIds },
      {
        onSuccess: (r) => {
          setChosen([]);
          void message[r.refused.length ? 'warning' : 'success'](
            t(`已迁移 ${r.moved.length} 件` + (r.refused.length ? `，${r.refused.length} 件未迁移` : ''), `${r.moved.length} moved` + (r.refused.length ? `, ${r.refused.length} refused` : '')),
          );
        },
        onError: (e) => void message.error(errorText(e)),
      },
    );
  return (
    <Loadable loading={preview.isPending} error={preview.error}>
      <Typography.Paragraph type="secondary">
        {t(
          `新申请已按第 ${preview.data?.toVersion} 版办理。下列在办件仍按原版本办理；迁移后从所在环节起按新版本继续，并记入办件日志。停在新版本已删除环节的办件不能迁移。`,
          `New applications run v${preview.data?.toVersion}. These open cases run their own version; a moved case goes on from where it is on the new one, journaled. A case waiting in a step the new version lacks cannot move.`,
        )}
      </Typography.Paragraph>
      {cases.length === 0 ? (
        <Alert type="success" showIcon message={t('没有需要迁移的在办件', 'No open case runs another version')} data-testid="migration-none" />
      ) : (
        <>
          <Table<MigrationCandidate>
            rowKey="caseId"
            size="small"
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            dataSource={cases}
            rowSelection={{ selectedRowKeys: chosen, onChange: (keys) => setChosen(keys as string[]), getCheckboxProps: (c) => ({ disabled: !c.movable }) }}
            data-testid="migration-table"
            columns={[
              { title: t('办件编号', 'Case number'), dataIndex: 'caseNumber', render: (n: string, c) => <Link to={`/cases/${c.caseId}`}>{n}</Link> },
              { title: t('现版本', 'Version'), dataIndex: 'fromVersion', width: 80, render: (v: number) => t(`第 ${v} 版`, `v${v}`) },
              {
                title: t('可否迁移', 'Movable'),
                render: (_, c) =>
                  c.movable ? <Tag color="green">{t('可迁移', 'movable')}</Tag> : <Tag color="red">{t(`新版本缺少环节：${c.missing.join('、')}`, `new version lacks: ${c.missing.join(', ')}`)}</Tag>,
              },
            ]}
          />
          <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
            <Button disabled={chosen.length === 0} loading={migrate.isPending} onClick={() => run(chosen)} data-testid="migration-chosen">
              {t(`迁移所选 ${chosen.length} 件`, `Move ${chosen.length} chosen`)}
            </Button>
            <Button type="primary" disabled={movable.length === 0} loading={migrate.isPending} onClick={() => run(null)} data-testid="migration-all">
              {t(`迁移全部可迁移的 ${movable.length} 件`, `Move all ${movable.length} movable`)}
            </Button>
          </div>
        </>
      )}
    </Loadable>
  );
}
