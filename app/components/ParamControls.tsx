// The point and wrt under the editor: a number field plus a slider per number parameter, an editable
// list per array parameter, and one checkbox per parameter for what to differentiate with respect to.
// The controls follow the parameters the worker parsed, so a parameter that turns into an array
// (or back) gets the right control.

import { useEffect, useId, useRef, useState } from 'react';
import { useStore } from '../store/index.ts';

/** Parses what a person types as a number: `2`, `-0.5`, `1e-3`; null while it is not one yet. */
function parseNumber(text: string): number | null {
  if (text.trim() === '') return null;
  const v = Number(text.trim());
  return Number.isFinite(v) ? v : null;
}

function NumberField({ value, onChange, label, id, className }: { value: number; onChange: (v: number) => void; label: string; id?: string; className?: string }) {
  const [text, setText] = useState(String(value));
  // Follow outside changes (a slider, an example) unless the text already means this value.
  useEffect(() => {
    setText((t) => (parseNumber(t) === value ? t : String(value)));
  }, [value]);
  const parsed = parseNumber(text);
  return (
    <input
      id={id}
      className={`number-field ${className ?? ''} ${parsed === null ? 'invalid' : ''}`}
      type="text"
      inputMode="decimal"
      spellCheck={false}
      autoComplete="off"
      aria-label={label}
      aria-invalid={parsed === null}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        const v = parseNumber(e.target.value);
        if (v !== null) onChange(v);
      }}
      onBlur={() => { if (parseNumber(text) === null) setText(String(value)); }}
    />
  );
}

function sliderRange(anchor: number): { min: number; max: number; step: number } {
  const span = Math.max(1, Math.abs(anchor)) * 2;
  const step = 10 ** Math.floor(Math.log10(span / 100));
  const min = Math.floor((anchor - span) / step) * step;
  const max = Math.ceil((anchor + span) / step) * step;
  return { min: round(min, step), max: round(max, step), step };
}

function round(v: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return Number(v.toFixed(Math.min(decimals, 20)));
}

function NumberControl({ name, value, onChange }: { name: string; value: number; onChange: (v: number) => void }) {
  const id = useId();
  // The slider's range is centred on the value it had when the slider was last not being dragged.
  const [anchor, setAnchor] = useState(value);
  const sliding = useRef(false);
  useEffect(() => {
    if (!sliding.current) setAnchor(value);
  }, [value]);
  const range = sliderRange(anchor);
  return (
    <div className="param param-num" data-param={name}>
      <label className="param-name" htmlFor={id}>{name}</label>
      <NumberField id={id} value={value} onChange={onChange} label={`Value of ${name}`} />
      <input
        type="range"
        className="slider"
        aria-label={`Slider for ${name}`}
        min={range.min}
        max={range.max}
        step={range.step}
        value={Math.min(range.max, Math.max(range.min, value))}
        onChange={(e) => {
          sliding.current = true;
          onChange(round(Number(e.target.value), range.step));
        }}
        onPointerUp={() => { sliding.current = false; setAnchor(value); }}
        onBlur={() => { sliding.current = false; setAnchor(value); }}
      />
    </div>
  );
}

const MAX_FIELDS = 24;

function ArrayControl({ name, value, onChange }: { name: string; value: number[]; onChange: (v: number[]) => void }) {
  const id = useId();
  const set = (i: number, v: number) => onChange(value.map((x, j) => (j === i ? v : x)));
  return (
    <div className="param param-arr" data-param={name} role="group" aria-labelledby={id}>
      <span className="param-name" id={id}>{name}<span className="param-kind"> (array of {value.length})</span></span>
      {value.length <= MAX_FIELDS ? (
        <ol className="array-fields">
          {value.map((x, i) => (
            <li key={i}>
              <span className="index" aria-hidden="true">{i}</span>
              <NumberField value={x} onChange={(v) => set(i, v)} label={`${name}[${i}]`} className="element" />
            </li>
          ))}
        </ol>
      ) : (
        <ArrayText name={name} value={value} onChange={onChange} />
      )}
      <div className="array-buttons">
        <button type="button" className="button small" onClick={() => onChange([...value, value[value.length - 1] ?? 0])} aria-label={`Add an element to ${name}`}>+ element</button>
        <button type="button" className="button small" disabled={value.length <= 1} onClick={() => onChange(value.slice(0, -1))} aria-label={`Remove the last element of ${name}`}>− element</button>
      </div>
    </div>
  );
}

/** A long array as comma-separated text. */
function ArrayText({ name, value, onChange }: { name: string; value: number[]; onChange: (v: number[]) => void }) {
  const [text, setText] = useState(value.join(', '));
  useEffect(() => setText(value.join(', ')), [value]);
  return (
    <textarea
      className="array-text"
      aria-label={`Elements of ${name}, separated by commas`}
      value={text}
      rows={3}
      onChange={(e) => {
        setText(e.target.value);
        const parts = e.target.value.split(/[\s,]+/).filter(Boolean).map(parseNumber);
        if (parts.length > 0 && parts.every((p) => p !== null)) onChange(parts as number[]);
      }}
    />
  );
}

export function ParamControls() {
  const params = useStore((s) => s.params);
  const point = useStore((s) => s.point);
  const wrt = useStore((s) => s.wrt);
  const setParamValue = useStore((s) => s.setParamValue);
  const setWrt = useStore((s) => s.setWrt);
  if (params.length === 0) return <section className="controls" aria-label="Point"><p className="muted">f has no parameters yet.</p></section>;
  return (
    <section className="controls" aria-label="Point">
      <h2 className="section-title">At the point</h2>
      <div className="params">
        {params.map((p) => {
          const v = point[p.name];
          return p.type === 'arr'
            ? <ArrayControl key={p.name} name={p.name} value={Array.isArray(v) ? v : []} onChange={(x) => setParamValue(p.name, x)} />
            : <NumberControl key={p.name} name={p.name} value={typeof v === 'number' ? v : 0} onChange={(x) => setParamValue(p.name, x)} />;
        })}
      </div>
      <fieldset className="wrt">
        <legend>Differentiate with respect to</legend>
        {params.map((p) => {
          const checked = wrt === null || wrt.includes(p.name);
          // The last ticked box stays ticked: there is always something to differentiate.
          const last = checked && params.filter((q) => wrt === null || wrt.includes(q.name)).length === 1;
          return (
            <label key={p.name} className="check" title={last ? 'At least one parameter is differentiated' : undefined}>
              <input type="checkbox" data-wrt={p.name} checked={checked} disabled={last} onChange={(e) => setWrt(p.name, e.target.checked)} />
              {p.name}
            </label>
          );
        })}
      </fieldset>
    </section>
  );
}
