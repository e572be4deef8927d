// Picking a strategy template, and its parameters as number inputs with its plain-language description.
import { useTranslation } from 'react-i18next';

export interface TemplateInfo {
  id: string;
  params: { key: string; min: number; max: number; step: number; default: number }[];
}

/** The one picker of a strategy template, named in the desk's language. */
export function TemplateSelect({
  templates,
  value,
  onChange,
  testId,
}: {
  templates: readonly TemplateInfo[];
  value: string;
  onChange(id: string): void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <label>
      <span className="form-label">{t('research.template')}</span>
      <select data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
        {templates.map((x) => (
          <option key={x.id} value={x.id}>
            {t(`research.templates.${x.id}`, { defaultValue: x.id })}
          </option>
        ))}
      </select>
    </label>
  );
}

export function TemplateFields({
  template,
  values,
  onChange,
}: {
  template: TemplateInfo;
  values: Record<string, number>;
  onChange(values: Record<string, number>): void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <div className="muted small template-help">{t(`research.templateHelp.${template.id}`, { defaultValue: '' })}</div>
      <div className="inline-form">
        {template.params.map((p) => (
          <label key={p.key}>
            <span className="form-label">{t(`words.param.${p.key}`, { defaultValue: p.key })}</span>
            <input
              type="number"
              className="num-input"
              data-testid={`param-${p.key}`}
              min={p.min}
              max={p.max}
              step={p.step}
              value={values[p.key] ?? p.default}
              onChange={(e) => onChange({ ...values, [p.key]: Number(e.target.value) })}
            />
          </label>
        ))}
      </div>
    </>
  );
}
