import { Alert, App, Button, Card, Checkbox, Col, Descriptions, Form, Input, Modal, Radio, Result, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { errorText } from '../lib/api';
import { useApplicationSubmission } from '../lib/application';
import { moment, say, statusWords } from '../lib/format';
import { ageFromIdNumber, isValidIdNumber } from '../lib/identity';
import type { Material } from '../lib/model';
import { Loadable } from '../lib/Page';
import { api, queries } from '../lib/queries';
import { useSession, useT } from '../lib/session';
import { QueuePanel } from '../lib/QueuePanel';
import { queueApi } from '../lib/queue';

/** A matter's material as the form lists it: by its name, required or not. */
type MaterialLine = Material & { name: string; required: boolean };

export function AcceptPage() {
  const t = useT();
  const { lang } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [code, setCode] = useState<string>();
  const [ticked, setTicked] = useState<string[]>([]);
  const [byCertificate, setByCertificate] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [refuseOpen, setRefuseOpen] = useState(false);
  const [refuseReason, setRefuseReason] = useState('');
  const matters = useQuery(queries.matters());
  // 通办: only the matters this window's hall may accept (the server reads the hall's region against each scope).
  const acceptable = useQuery(queries.acceptableMatters());
  // 开始办理 on a called number opens this page with ?ticket=: the matter and the booking's applicant fill the form.
  const [params, setParams] = useSearchParams();
  const ticketId = params.get('ticket') ?? undefined;
  useEffect(() => {
    if (!ticketId) return;
    queueApi.acceptance(ticketId).then((a) => {
      setCode(a.matterCode);
      form.setFieldsValue({ name: a.applicantName ?? undefined, idType: a.applicantIdType ?? '111', idNumber: a.applicantIdNumber ?? undefined });
    }, (e) => setFormError(errorText(e)));
  }, [ticketId, form]);
  const matter = useQuery({ ...queries.matter(code ?? ''), enabled: !!code });
  // Matters whose result can be posted, or is handed over between halls (通办), ask how the applicant wants it.
  const posts = matter.data?.matter.flags?.courierDelivery === true || !!matter.data?.matter.acceptance;
  const delivery = Form.useWatch('delivery', form) as string | undefined;
  const materials: MaterialLine[] = (matter.data?.matter.materials ?? []).flatMap((m) => (m.name ? [{ ...m, name: m.name, required: m.required ?? false }] : []));
  const tolerated = materials.filter((m) => m.toleranceAllowed && !ticked.includes(m.name));
  // One key for this form, whatever happens to an attempt; a new one after a receipt or for the next applicant.
  const application = useApplicationSubmission();
  const receipt = application.receipt;
  const error = formError ?? (application.error ? errorText(application.error) : undefined);

  const lookUp = useMutation({
    mutationFn: async ({ idType, idNumber }: { idType: string; idNumber: string }) => {
      const found: Record<string, string> = {};
      const problems: string[] = [];
      for (const m of materials.filter((x) => x.certificateReplaceable && x.certificateType)) {
        try {
          const list = await api.certificates({ holderCode: idNumber, holderType: idType, type: m.certificateType!, reason: `办理${matter.data?.matter.name}核验${m.name}` });
          const today = new Date().toISOString().slice(0, 10);
          const valid = list.find((c) => c.status === 'issued' && !!c.validFrom && c.validFrom <= today && (!c.validTo || c.validTo >= today));
          if (valid?.number) found[m.name] = valid.number;
        } catch (e) {
          problems.push(`${m.name}: ${errorText(e)}`);
        }
      }
      return { found, problems };
    },
    onSuccess: ({ found, problems }) => {
      setByCertificate(found);
      setTicked((old) => [...new Set([...old, ...Object.keys(found)])]);
      if (problems.length) message.warning(problems.join('；'));
      else message.info(t(`电子证照替代 ${Object.keys(found).length} 项材料`, `${Object.keys(found).length} materials replaced by e-certificates`));
    },
  });

  const submit = async (mode: 'accept' | 'tolerance' | 'refuse') => {
    setFormError(undefined);
    // The form shows what is wrong on its fields.
    const values = await form.validateFields().catch(() => undefined);
    if (!values) return;
    const data: Record<string, unknown> = {};
    try {
      Object.assign(data, values.data ? JSON.parse(values.data) : {});
    } catch {
      setFormError(t('其他表单数据不是有效的 JSON', 'The extra form data is not valid JSON'));
      return;
    }
    const age = values.idType === '111' ? ageFromIdNumber(values.idNumber) : undefined;
    if (age !== undefined && data.age === undefined) data.age = age;
    // The applicant's choice for the result, which the mailing step follows.
    if (posts && values.delivery) {
      data.delivery = values.delivery;
      if (values.delivery === 'post' && values.deliveryAddress) data.deliveryAddress = values.deliveryAddress;
    }
    if (mode === 'tolerance') data.toleranceCommitment = { signedBy: values.name, signedAt: new Date().toISOString() };
    if (mode === 'refuse') {
      data.acceptance = 'notAccepted';
      data.notAcceptedReasons = refuseReason;
    }
    try {
      await application.submit({
        matterCode: code,
        channel: 'window',
        applicant: { name: values.name, idType: values.idType, idNumber: values.idNumber, phone: values.phone || null, address: values.address || null },
        // A material the certificate library replaces is not handed in on paper: the flow looks it up itself.
        materials: materials.map((m) => ({ name: m.name, provided: ticked.includes(m.name) && !byCertificate[m.name], certificate: byCertificate[m.name] ?? null })),
        data,
        ticketId: ticketId ?? null,
      });
    } catch {
      // Shown from the mutation's error; the same key goes with the next attempt.
    } finally {
      setRefuseOpen(false);
    }
  };
  const nextApplicant = () => {
    application.reset();
    setTicked([]);
    setByCertificate({});
    setRefuseReason('');
    setFormError(undefined);
    form.resetFields();
    setParams({});
  };

  if (receipt)
    return (
      <Result
        status="success"
        title={t('已收件', 'Received')}
        subTitle={<span data-testid="receipt">{t('办件编号', 'Case number')} <b data-testid="receipt-number">{receipt.caseNumber}</b> · {t('状态', 'status')} {say(statusWords, receipt.status, lang)} · {t('承诺办结', 'promised by')} {moment(receipt.promisedDue)}</span>}
        extra={[
          <Button key="print" onClick={() => window.print()}>{t('打印回执', 'Print receipt')}</Button>,
          <Link key="case" to={`/cases/${receipt.caseId}`}><Button type="primary">{t('查看办件', 'Open case')}</Button></Link>,
          <Button key="next" onClick={nextApplicant} data-testid="next-applicant">{t('继续收件', 'Next applicant')}</Button>,
        ]}
      />
    );

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={10}>
        <QueuePanel />
        <Card title={t('一窗受理：申请人', 'Window acceptance: applicant')} size="small">
          <Form form={form} layout="vertical" initialValues={{ idType: '111' }}>
            <Form.Item label={t('事项', 'Matter')} required>
              <Select showSearch optionFilterProp="label" placeholder={t('选择事项', 'Pick a matter')} value={code} onChange={(v) => { setCode(v); setTicked([]); setByCertificate({}); }} data-testid="matter"
                options={(matters.data ?? []).filter((m) => !acceptable.data || acceptable.data.includes(m.code)).map((m) => ({ value: m.code, label: `${m.name}（${m.department}）` }))} />
            </Form.Item>
            <Form.Item name="name" label={t('申请人姓名/名称', 'Applicant name')} rules={[{ required: true, max: 100 }]}><Input data-testid="name" /></Form.Item>
            <Form.Item name="idType" label={t('证件类型', 'ID type')}>
              <Select options={[{ value: '111', label: t('居民身份证', 'Citizen ID') }, { value: '001', label: t('统一社会信用代码', 'Credit code') }]} />
            </Form.Item>
            <Form.Item name="idNumber" label={t('证件号码（可读卡）', 'ID number (or read the card)')} dependencies={['idType']}
              rules={[{ required: true }, ({ getFieldValue }) => ({ validator: (_, v: string) => (getFieldValue('idType') !== '111' || !v || isValidIdNumber(v) ? Promise.resolve() : Promise.reject(new Error(t('身份证号码校验位不正确', 'The check digit is wrong')))) })]}>
              <Input data-testid="idNumber" />
            </Form.Item>
            <Form.Item name="phone" label={t('手机号', 'Phone')} rules={[{ pattern: /^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$/, message: t('手机号格式不正确', 'Not a phone number') }]}><Input data-testid="phone" /></Form.Item>
            <Form.Item name="address" label={t('送达地址', 'Address')}><Input data-testid="address" /></Form.Item>
            {posts && (
              <Form.Item name="delivery" label={t('领取方式', 'Result by')} initialValue="post">
                <Radio.Group data-testid="delivery" options={[{ value: 'post', label: t('邮寄送达', 'Post') }, { value: 'pickup', label: t('窗口领取（本大厅）', 'Collect at this hall') }]} />
              </Form.Item>
            )}
            {posts && delivery === 'post' && (
              <Form.Item name="deliveryAddress" label={t('邮寄地址', 'Mailing address')}
                rules={[{ pattern: /(省|自治区|市|区|县|镇|乡|街道|路|街|号|村)/, message: t('请写明省市区、街道和门牌号', 'Give the district, street and number') }]}>
                <Input placeholder={t('不填则寄往送达地址', 'Leave empty to post to the address above')} data-testid="delivery-address" />
              </Form.Item>
            )}
            <Form.Item name="data" label={t('其他表单数据（JSON，可选）', 'Extra form data (JSON, optional)')}><Input.TextArea rows={2} placeholder='{"married": true}' /></Form.Item>
          </Form>
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        <Card title={t('材料', 'Materials')} size="small" extra={<Button onClick={() => form.validateFields(['idType', 'idNumber']).then((v) => lookUp.mutate(v), () => undefined)} loading={lookUp.isPending} disabled={!code} data-testid="lookup">{t('调取电子证照', 'Look up certificates')}</Button>}>
          <Loadable loading={!!code && matter.isPending} error={matter.error} empty={!code}>
            <Checkbox.Group value={ticked} onChange={(v) => setTicked(v as string[])} style={{ width: '100%' }}>
              <Table size="small" rowKey="name" pagination={false} dataSource={materials}
                columns={[
                  { title: '', width: 40, render: (_, m: MaterialLine) => <Checkbox value={m.name} data-testid={`tick-${m.name}`} /> },
                  { title: t('材料', 'Material'), dataIndex: 'name', render: (n: string, m: MaterialLine) => <span>{n} {m.required && <Typography.Text type="danger">*</Typography.Text>}</span> },
                  {
                    title: t('说明', 'Note'),
                    render: (_, m: MaterialLine) => (
                      <Space size={4} wrap>
                        {byCertificate[m.name] && <Tag color="blue" data-testid={`cert-${m.name}`}>{t('电子证照', 'e-certificate')} {byCertificate[m.name]}</Tag>}
                        {m.certificateReplaceable && !byCertificate[m.name] && <Tag>{t('可用电子证照', 'certificate can replace')}</Tag>}
                        {m.toleranceAllowed && <Tag color="orange">{t('可容缺', 'may come later')}</Tag>}
                      </Space>
                    ),
                  },
                ]}
              />
            </Checkbox.Group>
            {matter.data && (
              <Descriptions size="small" style={{ marginTop: 12 }} column={1}>
                <Descriptions.Item label={t('受理条件', 'Conditions')}>{(matter.data.matter.conditions ?? []).join('；') || '—'}</Descriptions.Item>
              </Descriptions>
            )}
            {error && <Alert type="error" showIcon message={error} style={{ margin: '12px 0' }} data-testid="accept-error" />}
            <Space wrap style={{ marginTop: 12 }}>
              <Button type="primary" loading={application.pending} onClick={() => submit('accept')} data-testid="accept">{t('受理', 'Accept')}</Button>
              <Button loading={application.pending} disabled={tolerated.length === 0} onClick={() => submit('tolerance')} data-testid="accept-tolerance">
                {t(`容缺受理（申请人承诺补交 ${tolerated.length} 项）`, `Accept with tolerance (${tolerated.length} later)`)}
              </Button>
              <Button danger onClick={() => setRefuseOpen(true)} data-testid="refuse">{t('不予受理', 'Refuse')}</Button>
            </Space>
          </Loadable>
        </Card>
        <Modal open={refuseOpen} title={t('不予受理', 'Refuse')} onCancel={() => setRefuseOpen(false)} onOk={() => submit('refuse')} okButtonProps={{ danger: true, disabled: !refuseReason.trim(), loading: application.pending }}>
          <Input.TextArea rows={3} placeholder={t('不予受理理由（必填，将告知申请人）', 'Reasons (required; the applicant is told)')} value={refuseReason} onChange={(e) => setRefuseReason(e.target.value)} />
        </Modal>
      </Col>
    </Row>
  );
}
