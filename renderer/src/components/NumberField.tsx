// A labelled number input of the desk's forms. The value is kept as typed (a string), so an
// empty field can mean "none" and a half-typed number is not replaced under the cursor.
export function NumberField(p: {
  label: string;
  value: string | number;
  onChange(value: string): void;
  min?: number;
  max?: number;
  step?: number | 'any';
  placeholder?: string;
  title?: string;
  testId?: string;
}) {
  return (
    <label title={p.title}>
      <span className="form-label">{p.label}</span>
      <input
        type="number"
        className="num-input"
        min={p.min}
        max={p.max}
        step={p.step ?? 'any'}
        placeholder={p.placeholder}
        value={p.value}
        onChange={(e) => p.onChange(e.target.value)}
        data-testid={p.testId}
      />
    </label>
  );
}
