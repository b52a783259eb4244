// 版本对比: two versions of a matter side by side — the elements and materials that differ, and the flow drawn once
// with the activities added, removed and changed marked. The host decides what differs (GET .../compare).
import { Alert, Empty, Space, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { FlowDiagram, type FlowMark } from '../FlowDiagram';
import { readFlow, type Flow } from '../flow';
import { Loadable } from '../Page';
import { useT } from '../session';
import { versionQueries, type DefinitionChanges, type ItemChange } from './versions';

const changeTags: Record<string, { color: string; zh: string; en: string }> = {
  added: { color: 'green', zh: '新增', en: 'added' },
  removed: { color: 'red', zh: '删除', en: 'removed' },
  changed: { color: 'orange', zh: '修改', en: 'changed' },
};

/** The later version's flow with the earlier one's removed activities and connections put back, so one drawing shows both. */
export function mergedFlow(before: Flow, after: Flow): Flow {
  const ids = new Set(after.nodes.map((n) => n.id));
  const edgeIds = new Set(after.edges.map((e) => e.id));
  return {
    nodes: [...after.nodes, ...before.nodes.filter((n) => !ids.has(n.id))],
    edges: [...after.edges, ...before.edges.filter((e) => !edgeIds.has(e.id))],
  };
}

export function VersionCompare({ definitionId, from, to }: { definitionId: string; from: number; to: number }) {
  const t = useT();
  const changes = useQuery(versionQueries.compare(definitionId, from, to));
  const before = useQuery(versionQueries.version(definitionId, from));
  const after = useQuery(versionQueries.version(definitionId, to));
  const flow = useMemo(() => (before.data && after.data ? mergedFlow(readFlow(before.data), readFlow(after.data)) : undefined), [before.data, after.data]);
  const marks = useMemo(
    () => Object.fromEntries((changes.data?.activities ?? []).map((a) => [a.id, a.change as FlowMark])) as Record<string, FlowMark>,
    [changes.data],
  );
  const c = changes.data;
  const same = c && c.elements.length + c.materials.length + c.steps.length + c.activities.length + c.connections.length === 0;
  return (
    <Loadable loading={changes.isPending} error={changes.error}>
      {same && <Alert type="info" showIcon message={t(`第 ${from} 版与第 ${to} 版没有差异`, `v${from} and v${to} do not differ`)} data-testid="compare-same" />}
      {c && !same && (
        <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="version-compare">
          <Section title={t('事项要素', 'Matter elements')} count={c.elements.length}>
            <Table
              rowKey="field" size="small" pagination={false} dataSource={c.elements} data-testid="compare-elements"
              columns={[
                { title: t('要素', 'Element'), dataIndex: 'label', width: 200 },
                { title: t(`第 ${from} 版`, `v${from}`), dataIndex: 'before', render: (v: string | null) => <Value text={v} /> },
                { title: t(`第 ${to} 版`, `v${to}`), dataIndex: 'after', render: (v: string | null) => <Value text={v} /> },
              ]}
            />
          </Section>
          <Section title={t('申请材料', 'Materials')} count={c.materials.length}>
            <Items items={c.materials} from={from} to={to} testId="compare-materials" />
          </Section>
          <Section title={t('办理环节', 'Steps')} count={c.steps.length}>
            <Items items={c.steps} from={from} to={to} testId="compare-steps" />
          </Section>
          <Section title={t('流程', 'Flow')} count={c.activities.length + c.connections.length}>
            <FlowChanges changes={c} />
          </Section>
        </Space>
      )}
      {c && flow && !same && (c.activities.length > 0 || c.connections.length > 0) && (
        <div style={{ marginTop: 8 }} data-testid="compare-flow">
          <Space size={12} style={{ marginBottom: 4, fontSize: 12 }}>
            {Object.entries(changeTags).map(([k, v]) => <Tag key={k} color={v.color}>{t(v.zh, v.en)}</Tag>)}
          </Space>
          <FlowDiagram flow={flow} marks={marks} maxHeight={520} />
        </div>
      )}
    </Loadable>
  );
}

function Section({ title, count, children }: { title: string; count: number; children: React.ReactNode }) {
  const t = useT();
  return (
    <div>
      <Typography.Title level={5} style={{ marginTop: 0 }}>{`${title}（${count}）`}</Typography.Title>
      {count === 0 ? <Typography.Text type="secondary">{t('没有变化', 'No change')}</Typography.Text> : children}
    </div>
  );
}

const Value = ({ text }: { text: string | null | undefined }) => (text == null || text === '' ? <Typography.Text type="secondary">—</Typography.Text> : <>{text}</>);

/** Materials or steps: one row per changed property, a whole row for one added or removed. */
function Items({ items, from, to, testId }: { items: ItemChange[]; from: number; to: number; testId: string }) {
  const t = useT();
  const rows = items.flatMap((item) =>
    item.change === 'changed'
      ? item.properties.map((p, i) => ({ key: `${item.name}:${p.field}`, name: i === 0 ? item.name : '', change: i === 0 ? item.change : '', label: p.label, before: p.before, after: p.after }))
      : [{ key: item.name, name: item.name, change: item.change, label: '', before: item.change === 'removed' ? item.name : null, after: item.change === 'added' ? item.name : null }],
  );
  return (
    <Table
      rowKey="key" size="small" pagination={false} dataSource={rows} data-testid={testId}
      columns={[
        { title: t('名称', 'Name'), dataIndex: 'name', width: 180 },
        { title: t('变化', 'Change'), dataIndex: 'change', width: 80, render: (c: string) => (changeTags[c] ? <Tag color={changeTags[c].color}>{t(changeTags[c].zh, changeTags[c].en)}</Tag> : null) },
        { title: t('项目', 'Property'), dataIndex: 'label', width: 160 },
        { title: t(`第 ${from} 版`, `v${from}`), dataIndex: 'before', render: (v: string | null) => <Value text={v} /> },
        { title: t(`第 ${to} 版`, `v${to}`), dataIndex: 'after', render: (v: string | null) => <Value text={v} /> },
      ]}
    />
  );
}

// The host names changed properties in Chinese; English shows the input's own name.
const propertyNames: Record<string, [string, string]> = { name: ['名称', 'name'], type: ['类型', 'type'] };

function FlowChanges({ changes }: { changes: DefinitionChanges }) {
  const t = useT();
  if (changes.activities.length === 0 && changes.connections.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  return (
    <ul style={{ margin: 0, paddingLeft: 18 }} data-testid="compare-activities">
      {changes.activities.map((a) => (
        <li key={a.id} data-testid={`compare-activity-${a.id}`}>
          <Tag color={changeTags[a.change]?.color}>{t(changeTags[a.change]?.zh ?? a.change, changeTags[a.change]?.en ?? a.change)}</Tag>
          {a.name ?? a.id}
          {a.change === 'changed' && (
            <Typography.Text type="secondary">
              {t('：改动了 ', ': changed ')}
              {a.properties.map((p, i) => t(a.labels[i] ?? p, propertyNames[p]?.[1] ?? p)).join(t('、', ', '))}
            </Typography.Text>
          )}
        </li>
      ))}
      {changes.connections.length > 0 && (
        <li>
          {t(
            `连线：新增 ${changes.connections.filter((c) => c.change === 'added').length} 条，删除 ${changes.connections.filter((c) => c.change === 'removed').length} 条`,
            `Connections: ${changes.connections.filter((c) => c.change === 'added').length} added, ${changes.connections.filter((c) => c.change === 'removed').length} removed`,
          )}
        </li>
      )}
    </ul>
  );
}
