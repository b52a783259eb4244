// 网上申办: the applicant picks a matter, reads its guide, finds the form filled with what GovFlow knows (一次采集，
// 终身通用), looks up certificates with their consent (免证办), uploads the rest, and submits for the window's online
// pre-review (网上预审). The rules come from the host (required materials, the fields conditions read, the upload
// limit); the page only says before submitting what the host would refuse. One column, for phone width.
import { Alert, Button, Card, Form, Input, InputNumber, List, Radio, Result, Space, Switch, Tag, Typography, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import type { components } from '../lib/api.gen';
import { ApiError, client, errorText } from '../lib/api';
import { useT } from '../lib/session';

export type ApplicationStart = components['schemas']['ApplicationStart'];
type CertificateLookupResult = components['schemas']['CertificateLookupResult'];
type MatterSummary = components['schemas']['MatterSummary'];
type CaseCreated = components['schemas']['CaseCreated'];

/** What the applicant has put in: phone, address, the form fields, and for each material a certificate or an upload. */
export interface ApplicationValues {
  phone: string;
  address: string;
  data: Record<string, unknown>;
  materials: Record<string, { certificate?: string; uploadId?: string }>;
}

/**
 * What the host would refuse, by the field names it uses (`phone`, `data.<field>`, `materials.<name>`), checked
 * against the rules it sent with the form: required materials and the fields the conditions read.
 */
export function checkApplication(start: ApplicationStart, values: ApplicationValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!values.phone.trim()) errors.phone = '请填写手机号码，办理结果和补正通知以短信告知';
  for (const f of start.fields) {
    const v = values.data[f.name];
    if (v === undefined || v === null || v === '') errors[`data.${f.name}`] = `请填写“${f.label}”`;
  }
  for (const m of start.materials) {
    const given = values.materials[m.name];
    if (m.required && !given?.certificate && !given?.uploadId)
      errors[`materials.${m.name}`] = m.certificateReplaceable ? `请上传“${m.name}”或调取其电子证照` : `请上传“${m.name}”`;
  }
  return errors;
}

/** An upload of one file to /api/my/uploads; reports the stored id, or the host's refusal in its words. */
export function MaterialUpload({ name, maxBytes, onUploaded }: { name: string; maxBytes?: number; onUploaded: (uploadId: string | undefined) => void }) {
  const t = useT();
  const [files, setFiles] = useState<UploadFile[]>([]);
  return (
    <Upload
      action="/api/my/uploads"
      name="file"
      maxCount={1}
      accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
      fileList={files}
      data-testid={`upload-${name}`}
      beforeUpload={(file) => {
        if (maxBytes && file.size > maxBytes) {
          setFiles([{ uid: file.uid, name: file.name, status: 'error', response: `文件过大：单个文件不超过 ${Math.round(maxBytes / 1024 / 1024)} MB` }]);
          return Upload.LIST_IGNORE;
        }
        return true;
      }}
      onChange={({ file, fileList }) => {
        // The host's refusal (problem details) is shown under the file in its own words.
        const next = fileList.map((f) =>
          f.status === 'error' && f.response && typeof f.response === 'object' ? { ...f, response: (f.response as { detail?: string }).detail ?? t('上传失败', 'Upload failed') } : f,
        );
        setFiles(next);
        if (file.status === 'done') onUploaded((file.response as { id: string }).id);
        if (file.status === 'removed' || file.status === 'error') onUploaded(undefined);
      }}
    >
      <Button data-testid={`upload-button-${name}`}>{t('上传（PDF/JPG/PNG）', 'Upload (PDF/JPG/PNG)')}</Button>
    </Upload>
  );
}

/** The form itself, given its start; calls back with the created case. */
export function ApplyForm({ code, start, onSubmitted }: { code: string; start: ApplicationStart; onSubmitted: (created: CaseCreated) => void }) {
  const t = useT();
  const [phone, setPhone] = useState(start.prefill.phone ?? '');
  const [address, setAddress] = useState(start.prefill.address ?? '');
  const [data, setData] = useState<Record<string, unknown>>({ ...(start.prefill.data as Record<string, unknown>) });
  const [uploads, setUploads] = useState<Record<string, string | undefined>>({});
  const [consent, setConsent] = useState(false);
  const [lookup, setLookup] = useState<CertificateLookupResult>();
  const [shown, setShown] = useState<Record<string, string>>({});
  // One key per form: a submission repeated after a lost answer finds the first case.
  const idempotencyKey = useMemo(() => (globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`), []);
  const found = Object.fromEntries((lookup?.materials ?? []).filter((m) => m.found).map((m) => [m.material, m]));
  const values: ApplicationValues = {
    phone, address, data,
    materials: Object.fromEntries(start.materials.map((m) => [m.name, found[m.name] ? { certificate: found[m.name].number ?? undefined } : { uploadId: uploads[m.name] }])),
  };
  const certificates = useMutation({
    mutationFn: async () => (await client.POST('/api/my/applications/certificates', { body: { matter: code, consent } })).data as CertificateLookupResult,
    onSuccess: setLookup,
  });
  const submit = useMutation({
    mutationFn: async () =>
      (await client.POST('/api/my/applications', {
        headers: { 'Idempotency-Key': idempotencyKey },
        body: {
          matterCode: code, phone, address, data: data as Record<string, never>, consentId: lookup?.consentId ?? null,
          channel: window.innerWidth < 768 ? 'mobile' : 'pc',
          materials: Object.entries(values.materials).filter(([, v]) => v.certificate || v.uploadId).map(([name, v]) => ({ name, certificate: v.certificate ?? null, uploadId: v.uploadId ?? null })),
        },
      })).data as CaseCreated,
    onSuccess: onSubmitted,
    onError: (e) => {
      if (e instanceof ApiError) setShown(Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k, v.join('；')])));
    },
  });
  const help = (key: string) => (shown[key] ? { validateStatus: 'error' as const, help: shown[key] } : {});
  const matter = start.guide.matter;
  const replaceable = start.materials.some((m) => m.certificateReplaceable);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title={matter.name} data-testid="apply-guide">
        <Typography.Paragraph style={{ marginBottom: 4 }}>
          {t('受理窗口：', 'Taken by: ')}{start.hall ?? matter.department} · {t('承诺时限：', 'Promised: ')}{matter.promisedLimit?.value}{t('个工作日', ' working days')} · {matter.fee?.charged ? t('收费', 'Charged') : t('不收费', 'Free')}
        </Typography.Paragraph>
        {(matter.conditions ?? []).length > 0 && (
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>{(matter.conditions ?? []).map((c) => <li key={c}>{c}</li>)}</ul>
        )}
      </Card>
      <Card size="small" title={t('申请人', 'Applicant')}>
        <Form layout="vertical">
          <Form.Item label={t('姓名', 'Name')}><Input value={start.prefill.name} disabled /></Form.Item>
          <Form.Item label={t('身份证号码', 'ID number')}><Input value={start.prefill.idNumber} disabled /></Form.Item>
          <Form.Item label={t('手机号码', 'Mobile')} required {...help('phone')}>
            <Input value={phone} onChange={(e) => setPhone(e.target.value)} inputMode="tel" data-testid="apply-phone" />
          </Form.Item>
          <Form.Item label={t('地址', 'Address')}><Input value={address} onChange={(e) => setAddress(e.target.value)} data-testid="apply-address" /></Form.Item>
          {matter.flags?.courierDelivery && (
            <>
              <Form.Item label={t('领取方式', 'Result by')}>
                <Radio.Group value={(data.delivery as string | undefined) ?? 'post'} onChange={(e) => setData({ ...data, delivery: e.target.value })} data-testid="apply-delivery"
                  options={[{ value: 'post', label: t('邮寄送达', 'Post') }, { value: 'pickup', label: t('窗口领取', 'Collect at the window') }]} />
              </Form.Item>
              {(data.delivery ?? 'post') === 'post' && (
                <Form.Item label={t('邮寄地址', 'Mailing address')} {...help('data.deliveryAddress')}>
                  <Input value={(data.deliveryAddress as string | undefined) ?? ''} placeholder={t('不填则寄往上面的地址', 'Leave empty to post to the address above')}
                    onChange={(e) => setData({ ...data, deliveryAddress: e.target.value || undefined })} data-testid="apply-delivery-address" />
                </Form.Item>
              )}
            </>
          )}
          {start.fields.map((f) => (
            <Form.Item key={f.name} label={f.label} required {...help(`data.${f.name}`)}>
              {f.type === 'boolean' ? (
                <Radio.Group value={data[f.name]} onChange={(e) => setData({ ...data, [f.name]: e.target.value })} data-testid={`apply-field-${f.name}`}>
                  <Radio value={true}>{t('是', 'Yes')}</Radio>
                  <Radio value={false}>{t('否', 'No')}</Radio>
                </Radio.Group>
              ) : f.type === 'number' ? (
                <InputNumber value={data[f.name] as number | undefined} onChange={(v) => setData({ ...data, [f.name]: v })} style={{ width: '100%' }} />
              ) : (
                <Input value={(data[f.name] as string | undefined) ?? ''} onChange={(e) => setData({ ...data, [f.name]: e.target.value })} />
              )}
            </Form.Item>
          ))}
          {start.prefill.fromCaseNumber && (
            <Typography.Text type="secondary">{t(`已按您的办件 ${start.prefill.fromCaseNumber} 预填，请核对`, `Prefilled from ${start.prefill.fromCaseNumber}`)}</Typography.Text>
          )}
        </Form>
      </Card>
      {replaceable && (
        <Card size="small" title={t('免证办：调取电子证照', 'Electronic certificates')}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space>
              <Switch checked={consent} onChange={setConsent} data-testid="apply-consent" />
              <Typography.Text>{t('我同意本次申请调取本人电子证照（用于核验申请材料）', 'I agree to the lookup of my certificates for this application')}</Typography.Text>
            </Space>
            <Button disabled={!consent} loading={certificates.isPending} onClick={() => certificates.mutate()} data-testid="apply-lookup">{t('调取电子证照', 'Look up certificates')}</Button>
            {certificates.error && <Alert type="error" showIcon message={errorText(certificates.error)} />}
            {lookup && (
              <List
                size="small"
                data-testid="apply-certificates"
                dataSource={lookup.materials}
                renderItem={(m) => (
                  <List.Item key={m.material}>
                    {m.material}：{m.found ? <Tag color="green">{t(`免证办 · 已调取${m.typeName} ${m.number}`, `Found ${m.number}`)}</Tag> : <Tag>{t('未查到有效证照，请上传', 'None found, please upload')}</Tag>}
                  </List.Item>
                )}
              />
            )}
          </Space>
        </Card>
      )}
      <Card size="small" title={t('申请材料', 'Materials')}>
        <Form layout="vertical">
          {start.materials.map((m) => (
            <Form.Item
              key={m.name}
              label={<span>{m.name}{!m.required && <Typography.Text type="secondary">{t('（符合条件时提交，窗口预审时核对）', ' (if applicable)')}</Typography.Text>}</span>}
              required={m.required}
              {...help(`materials.${m.name}`)}
              data-testid={`apply-material-${m.name}`}
            >
              {found[m.name] ? (
                <Tag color="green">{t('免证办，无需上传', 'Replaced by certificate')}</Tag>
              ) : (
                <MaterialUpload name={m.name} maxBytes={Number(start.maxUploadBytes)} onUploaded={(id) => setUploads((u) => ({ ...u, [m.name]: id }))} />
              )}
            </Form.Item>
          ))}
        </Form>
      </Card>
      {submit.error && !(submit.error instanceof ApiError && Object.keys(submit.error.fields).length > 0) && <Alert type="error" showIcon message={errorText(submit.error)} />}
      <Button
        type="primary"
        block
        size="large"
        loading={submit.isPending}
        data-testid="apply-submit"
        onClick={() => {
          const errors = checkApplication(start, values);
          setShown(errors);
          if (Object.keys(errors).length === 0) submit.mutate();
        }}
      >
        {t('提交申请', 'Submit')}
      </Button>
    </Space>
  );
}

/** /my/apply/:code — the form, then the receipt. */
export function MyApplyFormPage() {
  const t = useT();
  const { code = '' } = useParams();
  const navigate = useNavigate();
  const [created, setCreated] = useState<CaseCreated>();
  const start = useQuery({
    queryKey: ['my', 'apply', code],
    queryFn: async ({ signal }) => (await client.GET('/api/my/applications/start', { params: { query: { matter: code } }, signal })).data as ApplicationStart,
  });
  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 720, margin: '0 auto', display: 'flex' }}>
      {created ? (
        <Result
          status="success"
          title={t('申请已提交', 'Application submitted')}
          subTitle={<span data-testid="apply-receipt">{t(`办件编号 ${created.caseNumber}，等待窗口网上预审，结果将以短信告知`, `Case ${created.caseNumber}, awaiting online pre-review`)}</span>}
          extra={<Button type="primary" onClick={() => navigate('/my')} data-testid="apply-to-my">{t('查看我的办件', 'My applications')}</Button>}
        />
      ) : (
        <>
          <Button onClick={() => navigate('/my/apply')}>{t('重新选择事项', 'Choose another matter')}</Button>
          {start.error && <Alert type="error" showIcon message={errorText(start.error)} />}
          {start.isPending && <Card loading size="small" />}
          {start.data && <ApplyForm code={code} start={start.data} onSubmitted={setCreated} />}
        </>
      )}
    </Space>
  );
}

/** /my/apply — choose a matter from the catalog, searchable by name, code or department. */
export function MyApplyPage() {
  const t = useT();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const matters = useQuery({
    queryKey: ['matters'],
    queryFn: async ({ signal }) => (await client.GET('/api/matters', { signal })).data as MatterSummary[],
  });
  const shown = (matters.data ?? []).filter((m) => !q.trim() || `${m.name}${m.code}${m.department}`.includes(q.trim()));
  return (
    <Card title={t('网上申办：选择事项', 'Apply online: choose a matter')} size="small" style={{ maxWidth: 720, margin: '0 auto' }}>
      <Input.Search placeholder={t('搜索事项名称、编码或部门', 'Search')} value={q} onChange={(e) => setQ(e.target.value)} allowClear data-testid="apply-search" />
      {matters.error && <Alert type="error" showIcon message={errorText(matters.error)} />}
      <List<MatterSummary>
        loading={matters.isPending}
        dataSource={shown}
        renderItem={(m) => (
          <List.Item key={m.code} onClick={() => navigate(`/my/apply/${m.code}`)} style={{ cursor: 'pointer' }} data-testid="apply-matter">
            <Space direction="vertical" size={0}>
              <Typography.Text strong>{m.name}</Typography.Text>
              <Typography.Text type="secondary">{m.department} · {m.code}</Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
