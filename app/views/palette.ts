// Colours for the pictures, one per engine and one per finite-difference method, chosen to stay
// apart in both themes (and from each other in grey-scale, by dash), plus the chart chrome.

export type Theme = 'light' | 'dark';

const ENGINE_COLORS: Record<string, [light: string, dark: string]> = {
  f: ['#1c2330', '#e4e7ec'],
  manual: ['#8e44ad', '#c39bd3'],
  numeric: ['#d35400', '#f0a35e'],
  symbolic: ['#138d75', '#48c9b0'],
  reverse: ['#2b59c3', '#6d95ef'],
  forward: ['#c0282d', '#ff7b7b'],
};

const METHOD_COLORS: Record<string, [string, string]> = {
  forward: ['#d35400', '#f0a35e'],
  backward: ['#b7950b', '#f4d03f'],
  central: ['#2b59c3', '#6d95ef'],
  'five-point': ['#138d75', '#48c9b0'],
  richardson: ['#8e44ad', '#c39bd3'],
  'complex-step': ['#c0282d', '#ff7b7b'],
};

const SERIES_COLORS: [string, string][] = [
  ['#2b59c3', '#6d95ef'], ['#d35400', '#f0a35e'], ['#138d75', '#48c9b0'], ['#8e44ad', '#c39bd3'],
  ['#c0282d', '#ff7b7b'], ['#5d6675', '#9aa3b2'], ['#b7950b', '#f4d03f'],
];

const pick = ([light, dark]: [string, string], theme: Theme) => (theme === 'dark' ? dark : light);

export const engineColor = (id: string, theme: Theme) => pick(ENGINE_COLORS[id] ?? ENGINE_COLORS.f, theme);
export const methodColor = (id: string, theme: Theme) => pick(METHOD_COLORS[id] ?? ENGINE_COLORS.f, theme);
export const seriesColor = (i: number, theme: Theme) => pick(SERIES_COLORS[i % SERIES_COLORS.length], theme);

/** Overlapping curves (the exact engines agree) stay visible by width and dash. */
export const ENGINE_STROKE: Record<string, { width: number; dash?: number[] }> = {
  f: { width: 2.5 },
  reverse: { width: 5 },
  forward: { width: 2.5, dash: [9, 6] },
  symbolic: { width: 2, dash: [2, 4] },
  manual: { width: 2, dash: [14, 4, 3, 4] },
  numeric: { width: 1.5 },
};

export interface Chrome {
  text: string;
  muted: string;
  grid: string;
  panel: string;
  mark: string;
}

export function chrome(theme: Theme): Chrome {
  return theme === 'dark'
    ? { text: '#e4e7ec', muted: '#9aa3b2', grid: 'rgba(255,255,255,0.09)', panel: '#1c2027', mark: '#f0b64d' }
    : { text: '#1c2330', muted: '#5d6675', grid: 'rgba(20,30,50,0.09)', panel: '#ffffff', mark: '#9a6200' };
}
