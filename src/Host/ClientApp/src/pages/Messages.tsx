// 短信模板: policy staff edit the SMS the applicant receives at each stage. Each moment's text with its placeholders
// explained, a preview the host renders with sample values (so what previews is what the host would send), and a save
// the host checks; what it refuses is said at the text.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { client, errorText, fieldProps, namesFields } from '../lib/api';
import type { Answer } from '../lib/queries';
import { useT } from '../lib/session';

type Template = Answer<'/api/message-templates', 'get'>[number];
type Preview = Answer<'/api/message-templates/{moment}/preview', 'post'>;

const templatesKey = ['message-templates'] as const;

export function MessagesPage() {
  const t = useT();
  const templates = useQuery({
    queryKey: templatesKey,
    queryFn: async ({ signal }) => (await client.GET('/api/message-templates', { signal })).data as Template[],
  });
  if (templates.isPending) return <Spin />;
  if (templates.isError) return <Alert type="error" showIcon title={errorText(templates.error)} />;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>{t('短信模板', 'SMS templates')}</Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('办件各环节发给申请人的短信。花括号中的占位符在发送时替换为办件的实际内容；修改记入系统管理变更记录。',
          'The SMS the applicant receives at each stage. Placeholders in braces are replaced with the case\'s own values when sent; every change is recorded.')}
      </Typography.Paragraph>
      {templates.data.map((template) => <TemplateEditor key={template.moment} template={template} />)}
    </Space>
  );
}

function TemplateEditor({ template }: { template: Template }) {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [text, setText] = useState(template.text);
  const [preview, setPreview] = useState<Preview | null>(null);
  const moment = template.moment;
  const path = { path: { moment } };
  const save = useMutation({
    mutationFn: async (body: { text: string }) => (await client.PUT('/api/message-templates/{moment}', { params: path, body })).data as Template,
    onSuccess: (saved) => {
      void message.success(t(`“${saved.name}”短信模板已保存`, `The ${saved.name} template is saved`));
      return qc.invalidateQueries({ queryKey: templatesKey });
    },
  });
  const render = useMutation({
    mutationFn: async (body: { text: string }) => (await client.POST('/api/message-templates/{moment}/preview', { params: path, body })).data as Preview,
    onSuccess: setPreview,
  });
  // The error of the last call made: a refused preview and a refused save say the same thing at the text.
  const error = save.error ?? render.error;
  const edit = (value: string) => {
    setText(value);
    setPreview(null);
    save.reset();
    render.reset();
  };
  const changed = text !== template.text;
  return (
    <Card size="small" title={<Space>{template.name}{changed && <Tag color="orange">{t('未保存', 'unsaved')}</Tag>}</Space>} data-testid={`template-${moment}`}>
      <Form layout="vertical">
        <Form.Item label={t('短信内容', 'Text')} {...fieldProps(error, 'text')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} value={text} maxLength={500} showCount onChange={(e) => edit(e.target.value)} data-testid={`template-${moment}-text`} />
        </Form.Item>
        <Descriptions size="small" column={1} bordered title={<Typography.Text type="secondary">{t('可用占位符', 'Placeholders')}</Typography.Text>}>
          {template.placeholderInfo.map((p) => (
            <Descriptions.Item key={p.name} label={<Typography.Text code copyable={{ text: `{${p.name}}` }}>{`{${p.name}}`}</Typography.Text>}>
              {p.description}<Typography.Text type="secondary">{t(`（示例：${p.sample}）`, ` (e.g. ${p.sample})`)}</Typography.Text>
            </Descriptions.Item>
          ))}
        </Descriptions>
        {error && !namesFields(error) && <Alert type="error" showIcon title={errorText(error)} style={{ marginTop: 12 }} />}
        {preview && (
          <Alert type="info" style={{ marginTop: 12 }} data-testid={`template-${moment}-preview`}
            title={t(`预览（示例数据，共 ${preview.length} 字）`, `Preview with sample values (${preview.length} characters)`)}
            description={preview.text} />
        )}
        <Space style={{ marginTop: 12 }} wrap>
          <Button onClick={() => render.mutate({ text })} loading={render.isPending} data-testid={`template-${moment}-preview-button`}>{t('预览', 'Preview')}</Button>
          <Button type="primary" disabled={!changed} onClick={() => save.mutate({ text })} loading={save.isPending} data-testid={`template-${moment}-save`}>{t('保存', 'Save')}</Button>
          <Button disabled={text === template.defaultText} onClick={() => edit(template.defaultText)} data-testid={`template-${moment}-default`}>{t('恢复默认', 'Restore default')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
