// 系统管理: the administrator keeps people (人员), departments and halls (部门与大厅), and reads every change made
// to them (变更记录). The host checks every rule (roles, halls, credit codes) and names the field it refuses.
import { Alert, App, Button, Checkbox, Form, Input, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorText, fieldProps, namesFields } from '../lib/api';
import { moment } from '../lib/format';
import type { AdminChange, AdminUser, Department } from '../lib/model';
import { Loadable } from '../lib/Page';
import { api, queries, useAdminChange, type DepartmentInput, type UserInput } from '../lib/queries';
import { useSession, useT } from '../lib/session';
import { roleNames } from './Login';

export function AdminPage() {
  const t = useT();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>{t('系统管理', 'Administration')}</Typography.Title>
      <Tabs
        items={[
          { key: 'users', label: t('人员', 'People'), children: <Users /> },
          { key: 'departments', label: t('部门与大厅', 'Departments and halls'), children: <Departments /> },
          { key: 'changes', label: t('变更记录', 'Change log'), children: <Changes /> },
        ]}
      />
    </Space>
  );
}

/** A one-time password, shown once to be handed over. */
function showOneTime(modal: ReturnType<typeof App.useApp>['modal'], t: ReturnType<typeof useT>, userName: string, password: string) {
  modal.success({
    title: t(`${userName} 的一次性密码`, `One-time password of ${userName}`),
    content: (
      <div>
        <Typography.Paragraph copyable={{ text: password }} code data-testid="one-time-password" style={{ fontSize: 18 }}>{password}</Typography.Paragraph>
        <Typography.Text type="secondary">{t('仅显示这一次。请当面交给本人，首次登录后须修改。', 'Shown only now. Hand it over in person; it must be changed at the first sign-in.')}</Typography.Text>
      </div>
    ),
  });
}

function Users() {
  const t = useT();
  const { lang } = useSession();
  const { message, modal } = App.useApp();
  const users = useQuery(queries.users());
  const departments = useQuery(queries.departments());
  const roles = useQuery(queries.roles());
  const [editing, setEditing] = useState<AdminUser | 'new' | null>(null);
  const create = useAdminChange((body: UserInput) => api.createUser(body));
  const update = useAdminChange(({ userName, body }: { userName: string; body: UserInput }) => api.updateUser(userName, body));
  const reset = useAdminChange((userName: string) => api.resetPassword(userName));
  const saving = editing === 'new' ? create : update;
  const [form] = Form.useForm<UserInput>();
  const roleLabel = (r: string) => (roleNames[r] ? roleNames[r][lang === 'zh' ? 0 : 1] : r);
  const open = (u: AdminUser | 'new') => {
    create.reset();
    update.reset();
    form.setFieldsValue(u === 'new' ? { userName: '', displayName: '', role: 'window', otherRoles: [], department: null, isHead: false, idNumber: null, active: true } : { ...u });
    setEditing(u);
  };
  const save = (v: UserInput) => {
    if (editing === 'new')
      create.mutate({ ...v, active: true }, {
        onSuccess: (r) => {
          setEditing(null);
          showOneTime(modal, t, r.user.userName, r.password);
        },
      });
    else if (editing)
      update.mutate({ userName: editing.userName, body: v }, {
        onSuccess: () => {
          setEditing(null);
          void message.success(t('已保存', 'Saved'));
        },
      });
  };
  return (
    <>
      <Button type="primary" onClick={() => open('new')} style={{ marginBottom: 12 }} data-testid="user-new">{t('新增人员', 'New user')}</Button>
      <Loadable loading={users.isPending} error={users.error}>
        <Table<AdminUser>
          rowKey="userName" size="small" scroll={{ x: 900 }} dataSource={users.data ?? []} pagination={{ pageSize: 20, hideOnSinglePage: true }} data-testid="users-table"
          columns={[
            { title: t('用户名', 'User name'), dataIndex: 'userName', width: 130 },
            { title: t('姓名', 'Name'), dataIndex: 'displayName', width: 110 },
            { title: t('角色', 'Role'), dataIndex: 'role', width: 120, render: (r: string, u) => <Space size={4} wrap><Tag>{roleLabel(r)}</Tag>{u.otherRoles.map((o) => <Tag key={o} color="blue">{t('兼', 'also ')}{roleLabel(o)}</Tag>)}{u.isHead && <Tag color="gold">{t('科长', 'head')}</Tag>}</Space> },
            { title: t('部门', 'Department'), dataIndex: 'department', render: (d: string | null) => d ?? '—' },
            {
              title: t('状态', 'Status'), width: 150,
              render: (_, u) => <Space size={4}>{u.active ? <Tag color="green">{t('在用', 'active')}</Tag> : <Tag>{t('已停用', 'disabled')}</Tag>}{u.mustChangePassword && <Tag color="orange">{t('待改密', 'one-time password')}</Tag>}</Space>,
            },
            {
              title: '', width: 170,
              render: (_, u) => (
                <Space size={4}>
                  <Button size="small" onClick={() => open(u)} data-testid="user-edit">{t('编辑', 'Edit')}</Button>
                  <Button size="small" loading={reset.isPending && reset.variables === u.userName} data-testid="user-reset"
                    onClick={() => modal.confirm({
                      title: t(`为 ${u.userName} 重置密码？`, `Reset the password of ${u.userName}?`),
                      content: t('原密码立即失效，其登录全部退出。', 'The old password stops working and every sign-in ends.'),
                      okText: t('重置', 'Reset'), cancelText: t('取消', 'Cancel'),
                      onOk: () => reset.mutateAsync(u.userName).then((r) => showOneTime(modal, t, u.userName, r.password), (e) => void message.error(errorText(e))),
                    })}>
                    {t('重置密码', 'Reset password')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Loadable>
      <Modal open={editing !== null} title={editing === 'new' ? t('新增人员', 'New user') : t('编辑人员', 'Edit user')} onCancel={() => setEditing(null)}
        onOk={() => form.submit()} okText={t('保存', 'Save')} cancelText={t('取消', 'Cancel')} confirmLoading={saving.isPending} destroyOnHidden forceRender>
        <Form form={form} layout="vertical" onFinish={save} data-testid="user-form">
          <Form.Item name="userName" label={t('用户名', 'User name')} {...fieldProps(saving.error, 'userName')}>
            <Input disabled={editing !== 'new'} data-testid="user-userName" />
          </Form.Item>
          <Form.Item name="displayName" label={t('姓名', 'Name')} {...fieldProps(saving.error, 'displayName')}>
            <Input data-testid="user-displayName" />
          </Form.Item>
          <Form.Item name="role" label={t('岗位角色', 'Post')} {...fieldProps(saving.error, 'role')}>
            <Select data-testid="user-role" options={Object.keys(roleNames).map((r) => ({ value: r, label: roleLabel(r) }))} />
          </Form.Item>
          <Form.Item name="otherRoles" label={t('兼任角色', 'Also holds')} extra={t('岗位决定待办所在部门；兼任角色只增加可用的功能。', 'The post decides whose inbox; roles held besides it only add what one may do.')} {...fieldProps(saving.error, 'otherRoles')}>
            <Select mode="multiple" allowClear optionFilterProp="label" data-testid="user-other-roles" options={(roles.data ?? []).filter((r) => r.additional).map((r) => ({ value: r.code, label: roleLabel(r.code) }))} />
          </Form.Item>
          <Form.Item name="department" label={t('所属部门或大厅', 'Department or hall')} {...fieldProps(saving.error, 'department')}>
            <Select allowClear showSearch data-testid="user-department"
              options={(departments.data ?? []).filter((d) => d.active).map((d) => ({ value: d.name, label: d.isHall ? `${d.name}（${t('大厅', 'hall')}）` : d.name }))} />
          </Form.Item>
          <Form.Item name="idNumber" label={t('证件号码（申请人）', 'ID number (applicants)')} {...fieldProps(saving.error, 'idNumber')}>
            <Input />
          </Form.Item>
          <Space size="large">
            <Form.Item name="isHead" valuePropName="checked" noStyle><Checkbox>{t('科长（可改派、释放本部门待办）', 'Head (reassigns and releases the department’s tasks)')}</Checkbox></Form.Item>
            {editing !== 'new' && <Form.Item name="active" valuePropName="checked" noStyle><Checkbox data-testid="user-active">{t('在用', 'Active')}</Checkbox></Form.Item>}
          </Space>
          {saving.error && !namesFields(saving.error) && <Alert type="error" showIcon message={errorText(saving.error)} style={{ marginTop: 12 }} />}
        </Form>
      </Modal>
    </>
  );
}

function Departments() {
  const t = useT();
  const { message } = App.useApp();
  const departments = useQuery(queries.departments());
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const create = useAdminChange((body: DepartmentInput) => api.createDepartment(body));
  const update = useAdminChange(({ id, body }: { id: string; body: DepartmentInput }) => api.updateDepartment(id, body));
  const saving = editing === 'new' ? create : update;
  const [form] = Form.useForm<DepartmentInput>();
  const names = new Map((departments.data ?? []).map((d) => [d.id, d.name]));
  const open = (d: Department | 'new') => {
    create.reset();
    update.reset();
    form.setFieldsValue(d === 'new' ? { name: '', uscc: null, parentId: null, isHall: false, active: true, regionCode: null, regionName: null } : { ...d });
    setEditing(d);
  };
  const save = (v: DepartmentInput) => {
    const done = { onSuccess: () => { setEditing(null); void message.success(t('已保存', 'Saved')); } };
    if (editing === 'new') create.mutate(v, done);
    else if (editing) update.mutate({ id: editing.id, body: v }, done);
  };
  return (
    <>
      <Button type="primary" onClick={() => open('new')} style={{ marginBottom: 12 }} data-testid="department-new">{t('新增部门', 'New department')}</Button>
      <Loadable loading={departments.isPending} error={departments.error}>
        <Table<Department>
          rowKey="id" size="small" scroll={{ x: 800 }} dataSource={departments.data ?? []} pagination={{ pageSize: 20, hideOnSinglePage: true }} data-testid="departments-table"
          columns={[
            { title: t('名称', 'Name'), dataIndex: 'name', render: (n: string, d) => <Space size={4}>{n}{d.isHall && <Tag color="blue">{t('大厅', 'hall')}</Tag>}</Space> },
            { title: t('统一社会信用代码', 'Credit code'), dataIndex: 'uscc', width: 190, render: (u: string | null) => u ?? '—' },
            { title: t('上级部门', 'Parent'), dataIndex: 'parentId', render: (p: string | null) => (p ? names.get(p) ?? '—' : '—') },
            { title: t('行政区划', 'Region'), dataIndex: 'regionName', render: (r: string | null, d) => (r ? `${r}（${d.regionCode}）` : '—') },
            { title: t('人员', 'People'), dataIndex: 'users', width: 70 },
            { title: t('状态', 'Status'), dataIndex: 'active', width: 90, render: (a: boolean) => (a ? <Tag color="green">{t('在用', 'active')}</Tag> : <Tag>{t('已停用', 'disabled')}</Tag>) },
            { title: '', width: 80, render: (_, d) => <Button size="small" onClick={() => open(d)}>{t('编辑', 'Edit')}</Button> },
          ]}
        />
      </Loadable>
      <Modal open={editing !== null} title={editing === 'new' ? t('新增部门', 'New department') : t('编辑部门', 'Edit department')} onCancel={() => setEditing(null)}
        onOk={() => form.submit()} okText={t('保存', 'Save')} cancelText={t('取消', 'Cancel')} confirmLoading={saving.isPending} destroyOnHidden forceRender>
        <Form form={form} layout="vertical" onFinish={save}>
          <Form.Item name="name" label={t('部门全称', 'Full name')} {...fieldProps(saving.error, 'name')}><Input data-testid="department-name" /></Form.Item>
          <Form.Item name="uscc" label={t('统一社会信用代码', 'Unified social credit code')} {...fieldProps(saving.error, 'uscc')}><Input maxLength={18} /></Form.Item>
          <Form.Item name="parentId" label={t('上级部门', 'Parent department')} {...fieldProps(saving.error, 'parentId')}>
            <Select allowClear showSearch optionFilterProp="label" options={(departments.data ?? []).filter((d) => editing === 'new' || d.id !== editing?.id).map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
          <Space size="middle" align="start">
            <Form.Item name="regionCode" label={t('行政区划代码', 'Region code')} tooltip={t('受理通办事项时按此判断大厅是否在事项的受理范围内', 'Decides which handled-anywhere matters its windows may accept')}
              {...fieldProps(saving.error, 'regionCode')}><Input maxLength={6} placeholder="440305" data-testid="department-region-code" /></Form.Item>
            <Form.Item name="regionName" label={t('行政区划名称', 'Region name')} {...fieldProps(saving.error, 'regionName')}><Input maxLength={100} placeholder={t('深圳市南山区', 'Nanshan, Shenzhen')} data-testid="department-region-name" /></Form.Item>
          </Space>
          <Space size="large">
            <Form.Item name="isHall" valuePropName="checked" noStyle><Checkbox data-testid="department-hall">{t('政务服务大厅（设有窗口）', 'Service hall (has windows)')}</Checkbox></Form.Item>
            {editing !== 'new' && <Form.Item name="active" valuePropName="checked" noStyle><Checkbox>{t('在用', 'Active')}</Checkbox></Form.Item>}
          </Space>
          {saving.error && !namesFields(saving.error) && <Alert type="error" showIcon message={errorText(saving.error)} style={{ marginTop: 12 }} />}
        </Form>
      </Modal>
    </>
  );
}

const actionNames: Record<string, [string, string]> = {
  created: ['新增', 'created'], updated: ['修改', 'updated'], disabled: ['停用', 'disabled'], 'password-reset': ['重置密码', 'password reset'], 'password-changed': ['本人改密', 'password changed'],
};

// A department is journaled under its id; people read it by the name the row had.
function nameIn(json: string | null | undefined): string | undefined {
  try {
    const row: unknown = json ? JSON.parse(json) : undefined;
    return row && typeof row === 'object' && 'name' in row && typeof row.name === 'string' ? row.name : undefined;
  } catch {
    return undefined;
  }
}

/** The journaled fields of a person or a department, in the hall's words. */
const fieldNames: Record<string, [string, string]> = {
  userName: ['用户名', 'User name'], displayName: ['姓名', 'Name'], role: ['岗位角色', 'Post'], otherRoles: ['兼任角色', 'Also holds'], department: ['部门', 'Department'],
  isHead: ['科长（可改派本部门待办）', 'Head of department'], idNumber: ['身份证号', 'ID number'], active: ['在用', 'Active'],
  name: ['名称', 'Name'], uscc: ['统一社会信用代码', 'Credit code'], parentId: ['上级部门', 'Parent'], isHall: ['服务大厅', 'Service hall'], id: ['编号', 'Id'],
  regionCode: ['行政区划代码', 'Region code'], regionName: ['行政区划名称', 'Region name'],
};

function parseRow(json: string | null | undefined): Record<string, unknown> {
  try {
    const row: unknown = json ? JSON.parse(json) : undefined;
    return row && typeof row === 'object' && !Array.isArray(row) ? (row as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** What a change did, field by field: the fields it changed first and marked, the others after them. */
export function ChangeFields({ change }: { change: AdminChange }) {
  const t = useT();
  const { lang } = useSession();
  const before = parseRow(change.before);
  const after = parseRow(change.after);
  const value = (field: string, v: unknown) => {
    if (v === undefined || v === null || v === '') return '—';
    if (typeof v === 'boolean') return v ? t('是', 'yes') : t('否', 'no');
    const role = (r: unknown) => (typeof r === 'string' ? roleNames[r]?.[lang === 'zh' ? 0 : 1] ?? r : String(r));
    if (field === 'role') return role(v);
    if (field === 'otherRoles' && Array.isArray(v)) return v.length ? v.map(role).join(t('、', ', ')) : '—';
    return typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v);
  };
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].map((field) => ({
    field,
    label: fieldNames[field]?.[lang === 'zh' ? 0 : 1] ?? field,
    before: value(field, before[field]),
    after: value(field, after[field]),
    changed: change.before != null && JSON.stringify(before[field]) !== JSON.stringify(after[field]),
  }));
  fields.sort((a, b) => Number(b.changed) - Number(a.changed));
  if (!fields.length) return <Typography.Text type="secondary">{t('无字段变化', 'No field changed')}</Typography.Text>;
  return (
    <Table
      rowKey="field" size="small" pagination={false} dataSource={fields} data-testid="change-fields"
      columns={[
        { title: t('字段', 'Field'), dataIndex: 'label', width: 200, render: (l: string, f) => (f.changed ? <b>{l}</b> : l) },
        ...(change.before != null ? [{ title: t('之前', 'Before'), dataIndex: 'before' }] : []),
        { title: change.after != null ? t('之后', 'After') : t('之前', 'Before'), dataIndex: change.after != null ? 'after' : 'before', render: (v: string, f) => (f.changed ? <Tag color="blue">{v}</Tag> : v) },
      ]}
    />
  );
}

function Changes() {
  const t = useT();
  const { lang } = useSession();
  const changes = useQuery(queries.adminChanges());
  return (
    <Loadable loading={changes.isPending} error={changes.error}>
      <Table<AdminChange>
        rowKey="id" size="small" scroll={{ x: 900 }} dataSource={changes.data ?? []} pagination={{ pageSize: 20, hideOnSinglePage: true }} data-testid="changes-table"
        expandable={{ expandedRowRender: (c) => <ChangeFields change={c} /> }}
        columns={[
          { title: t('时间', 'When'), dataIndex: 'at', width: 150, render: moment },
          { title: t('操作人', 'By'), dataIndex: 'actor', width: 120 },
          { title: t('对象', 'What'), dataIndex: 'entity', width: 80, render: (e: string) => (e === 'user' ? t('人员', 'user') : t('部门', 'department')) },
          { title: t('标识', 'Key'), dataIndex: 'key', render: (k: string, c) => (c.entity === 'department' ? nameIn(c.after ?? c.before) ?? k : k) },
          { title: t('操作', 'Action'), dataIndex: 'action', width: 110, render: (a: string) => <Tag>{actionNames[a]?.[lang === 'zh' ? 0 : 1] ?? a}</Tag> },
        ]}
      />
    </Loadable>
  );
}
