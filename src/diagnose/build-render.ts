/**
 * Build-time picture of a diagnosis (the chapter's worked case): the same charts as the tool, drawn
 * into a jsdom document in the phone and the wide layout, so the page shows them with JavaScript off.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import { BUILD_LAYOUTS, buildFrame } from '../figures/frame';
import { renderCharts } from '../figures/render';
import { diagnose, type Diagnosis } from './analyse';
import { readStats } from './format';
import { diagnosisSpec, diagnosisSummary } from './spec';

let dom: JSDOM | undefined;

export interface StaticDiagnosis {
  readonly diagnosis: Diagnosis;
  readonly svg: string;
  readonly summary: string;
}

/** Reads a statistics file of the site (a path from the repository root) and draws it. */
export function renderDiagnosisFile(path: string, title: string): StaticDiagnosis {
  const read = readStats(readFileSync(path, 'utf8'));
  if (!read.ok) throw new Error(`${path}: ${read.messages.join(' ')}`);
  const diagnosis = diagnose(read.stats);
  // The chapter asks the reader to find the layer: the picture does not mark it.
  const summary = diagnosisSummary(diagnosis, { reveal: false });
  dom ??= new JSDOM('<!doctype html><html><body></body></html>');
  const document = dom.window.document;
  const svg = BUILD_LAYOUTS.map(({ layout, width }) => {
    const frame = buildFrame(width);
    return renderCharts(diagnosisSpec(diagnosis, frame, { reveal: false }), {
      document,
      frame,
      title,
      summary,
    })
      .map((chart) => {
        chart.dataset['layout'] = layout;
        return chart.outerHTML;
      })
      .join('');
  }).join('');
  return { diagnosis, svg, summary };
}
