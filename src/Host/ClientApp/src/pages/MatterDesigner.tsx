// GovFlow's designer: one place where a matter is whole. The page holds the whole Elsa definition (the matter in its
// custom properties, the flow in its root), hands each part to its editor, has every change checked by the host's
// validator as it is typed, and saves drafts; versions, publishing and dry runs work on what is saved or on screen.
import { Alert, App, Badge, Button, Card, Result, Space, Tabs, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { errorText } from '../lib/api';
import { Loadable } from '../lib/Page';
import { api, keys, queries } from '../lib/queries';
import { FlowDiagram } from '../lib/FlowDiagram';
import { readFlow } from '../lib/flow';
import { versionKeys, versionQueries } from '../lib/designer/versions';
import { hasRole, useSession, useT } from '../lib/session';
import { MatterForm } from '../lib/designer/MatterForm';
import { FlowEditor } from '../lib/designer/FlowEditor';
import { VersionsPanel } from '../lib/designer/VersionsPanel';
import { DryRunPanel } from '../lib/designer/DryRunPanel';
import { blankDefinition, copyOf, matterOf, problemsBy, withMatter, type Json, type Problem } from '../lib/designer/definition';

export function MatterDesignerPage() {
  const t = useT();
  const { user } = useSession();
  const { definitionId } = useParams();
  const [search] = useSearchParams();
  const copyFrom = search.get('copy');
  // A version opened from the versions list (read to copy from or compare); the latest otherwise.
  const [opened, setOpened] = useState<number>();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const lookups = useQuery(queries.designerLookups());
  const descriptors = useQuery(queries.activities());
  // What the editor starts from: the latest version (a draft if there is one), a copy of a published matter, or a blank one.
  const start = useQuery({
    queryKey: ['designer', definitionId ?? 'new', copyFrom ?? '', opened ?? 'latest'],
    enabled: !!lookups.data,
    staleTime: Infinity,
    queryFn: async ({ signal }): Promise<Json> => {
      if (definitionId) {
        const versions = await qc.fetchQuery(versionQueries.versions(definitionId));
        if (versions.length === 0) throw new Error(t(`没有流程定义“${definitionId}”`, `No definition '${definitionId}'`));
        return qc.fetchQuery(versionQueries.version(definitionId, opened ?? versions[versions.length - 1].version));
      }
      if (copyFrom) return copyOf((await api.flow(copyFrom, signal)) as Json);
      return blankDefinition(lookups.data!.blankMatter as Json);
    },
  });
  const [definition, setDefinition] = useState<Json>();
  const [saved, setSaved] = useState<string>();
  const [tab, setTab] = useState('matter');
  const [path, setPath] = useState<string[]>();
  useEffect(() => {
    if (start.data) {
      setDefinition(start.data);
      setSaved(definitionId ? JSON.stringify(start.data) : undefined);
    }
  }, [start.data, definitionId]);

  const problems = useChecked(definition);
  const dirty = definition !== undefined && JSON.stringify(definition) !== saved;
  // Closing or reloading the tab with unsaved changes asks first (the browser's own question).
  useEffect(() => {
    if (!dirty) return;
    const ask = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [dirty]);
  const [saveError, setSaveError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  if (!hasRole(user, 'policy')) return <Result status="403" title={t('只有政策配置人员可以设计事项', 'Only policy staff design matters')} />;
  const matter = definition ? matterOf(definition) : undefined;
  const byPart = problemsBy(problems.data ?? []);

  const save = async () => {
    if (!definition || !matter) return;
    setBusy(true);
    setSaveError(undefined);
    try {
      const code = String(matter.code ?? '').trim();
      const toSave = { ...definition, name: matter.name || definition.name, definitionId: definition.definitionId ?? (code || undefined) };
      const draft = await api.saveDraft(toSave);
      void qc.invalidateQueries({ queryKey: keys.matters });
      void qc.invalidateQueries({ queryKey: keys.definitions });
      await qc.invalidateQueries({ queryKey: versionKeys.all(draft.definitionId) });
      const stored = await qc.fetchQuery(versionQueries.version(draft.definitionId, draft.version));
      setDefinition(stored);
      setSaved(JSON.stringify(stored));
      setOpened(undefined);
      message.success(draft.problems > 0
        ? t(`已保存为草稿第 ${draft.version} 版；还有 ${draft.problems} 处问题，改正后才能发布`, `Saved as draft v${draft.version}; ${draft.problems} problems must be fixed before publishing`)
        : t(`已保存为草稿第 ${draft.version} 版`, `Saved as draft v${draft.version}`));
      if (!definitionId) navigate(`/designer/${draft.definitionId}`, { replace: true });
    } catch (e) {
      setSaveError(e);
    } finally {
      setBusy(false);
    }
  };

  const count = problems.data?.length ?? 0;
  return (
    <Loadable loading={lookups.isPending || descriptors.isPending || start.isPending || !definition} error={lookups.error ?? descriptors.error ?? start.error}>
      {definition && matter && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Card size="small"
            title={<Space wrap>
              <Link to="/matters">{t('事项目录', 'Matters')}</Link>/
              <span data-testid="designer-title">{String(matter.name || t('新事项', 'New matter'))}</span>
              {!!definitionId && typeof definition.version === 'number' && <Tag>{definition.isPublished ? t(`第 ${definition.version} 版已发布`, `v${definition.version} published`) : t(`第 ${definition.version} 版草稿`, `v${definition.version} draft`)}</Tag>}
              {dirty && <Tag color="orange" data-testid="unsaved">{t('未保存', 'Unsaved')}</Tag>}
            </Space>}
            extra={<Space>
              <Badge count={count} size="small" title={t('校验问题', 'Problems')}>
                <Tag color={count ? 'red' : 'green'} data-testid="problem-count">{count ? t(`${count} 处问题`, `${count} problems`) : problems.isFetching ? t('校验中…', 'Checking…') : t('校验通过', 'No problems')}</Tag>
              </Badge>
              <Button type="primary" loading={busy} disabled={!dirty && !!definitionId} onClick={save} data-testid="save-draft">{t('保存草稿', 'Save draft')}</Button>
            </Space>}>
            {saveError !== undefined && <Alert type="error" showIcon message={t('保存失败', 'Not saved')} description={errorText(saveError)} data-testid="save-error" />}
            {byPart.other.length > 0 && (
              <Alert type="warning" showIcon message={t('定义的其他问题', 'Other problems of the definition')}
                description={<ul style={{ margin: 0 }}>{byPart.other.map((p, i) => <li key={i}>{p.message}</li>)}</ul>} />
            )}
            {!definitionId && <Typography.Text type="secondary">{t('保存草稿后可以发布、比较版本。', 'Save a draft to publish it and compare versions.')}</Typography.Text>}
          </Card>
          <Tabs activeKey={tab} onChange={setTab} items={[
            {
              key: 'matter', label: <span data-testid="tab-matter">{t('事项要素', 'Elements')}{byPart.matter.length > 0 && <Badge count={byPart.matter.length} size="small" offset={[6, -2]} />}</span>,
              children: <MatterForm matter={matter} onChange={(m) => setDefinition((d) => withMatter(d!, m))} problems={byPart.matter} lookups={lookups.data!} />,
            },
            {
              key: 'flow', label: <span data-testid="tab-flow">{t('流程设计', 'Flow')}{byPart.flow.length > 0 && <Badge count={byPart.flow.length} size="small" offset={[6, -2]} />}</span>,
              children: <FlowEditor definition={definition} onChange={setDefinition} problems={byPart.flow} descriptors={descriptors.data ?? []}
                lookups={{
                  departments: lookups.data!.departments, roles: lookups.data!.roles, certificateTypes: lookups.data!.certificateTypes,
                  materials: namesOf(matter.materials), steps: namesOf(matter.steps), expressionSyntaxes: lookups.data!.expressionSyntaxes,
                }} />,
            },
            {
              key: 'dryrun', label: <span data-testid="tab-dryrun">{t('试运行', 'Dry run')}</span>,
              children: (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <DryRunPanel definition={definition} lookups={{ caseFields: lookups.data!.caseFields }} onPath={setPath} />
                  {path && <Card size="small" title={t('试运行走过的路径', 'The path the dry run took')}><FlowDiagram flow={readFlow(definition)} path={path} current={path.slice(-1)} maxHeight={Infinity} /></Card>}
                </Space>
              ),
            },
            {
              key: 'versions', label: <span data-testid="tab-versions">{t('版本与发布', 'Versions')}</span>, disabled: !definitionId,
              children: definitionId && (
                <Space direction="vertical" style={{ width: '100%' }}>
                  {dirty && <Alert type="warning" showIcon message={t('有未保存的修改：发布的是已保存的版本，请先保存草稿', 'Unsaved changes: publishing publishes what is saved; save the draft first')} />}
                  <VersionsPanel definitionId={definitionId} onOpen={(v) => { setOpened(v); setDefinition(undefined); setTab('matter'); }} />
                </Space>
              ),
            },
          ]} />
        </Space>
      )}
    </Loadable>
  );
}

const namesOf = (list: unknown) => (Array.isArray(list) ? list.map((x) => String((x as Json)?.name ?? '')).filter(Boolean) : []);

/** The host's validator over what is on screen, asked again 400 ms after the last change (the same one that guards publishing). */
function useChecked(definition: Json | undefined) {
  const [debounced, setDebounced] = useState(definition);
  useEffect(() => {
    const h = setTimeout(() => setDebounced(definition), 400);
    return () => clearTimeout(h);
  }, [definition]);
  const body = useMemo(() => (debounced ? JSON.stringify(debounced) : undefined), [debounced]);
  return useQuery<Problem[]>({
    queryKey: ['designer', 'check', body],
    enabled: !!body,
    placeholderData: (previous: Problem[] | undefined) => previous,
    staleTime: Infinity,
    queryFn: async ({ signal }): Promise<Problem[]> => (await api.validateDefinition(body!, signal)).problems,
  });
}
