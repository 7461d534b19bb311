/**
 * Chart colours, as CSS variables that figure.css defines for light and dark (with `light-dark()`), so
 * the build-time picture follows the theme too. Exports resolve them to the light values
 * (src/client/export.ts). Every series colour reads at 4.5:1 or more as text on the page background
 * in both themes; tests/e2e/figure-layout.spec.ts checks it.
 *
 * @module
 */

const variable = (name: string): string => `var(--ib-chart-${name})`;

/** Colours for initializations: fixed per init, so a comparison reads the same in every figure. */
export const INIT_COLORS: Readonly<Record<string, string>> = {
  xavier_normal: variable('xavier-normal'),
  xavier_uniform: variable('xavier-uniform'),
  kaiming_normal: variable('kaiming-normal'),
  kaiming_uniform: variable('kaiming-uniform'),
  torch_default: variable('torch-default'),
  lecun_normal: variable('lecun-normal'),
  orthogonal: variable('orthogonal'),
  unscaled: variable('unscaled'),
  small: variable('neutral'),
  zeros: variable('neutral'),
  constant: variable('constant'),
};

export const colorOf = (init: string): string => INIT_COLORS[init] ?? variable('neutral');

/** Roles outside the init colours: a theory and a measured series, an alarm. */
export const THEORY_COLOR = variable('xavier-normal');
export const MEASURED_COLOR = variable('kaiming-normal');
export const ALERT_COLOR = variable('alert');

/**
 * A ramp Plot interpolates (a CSS variable cannot be interpolated), from blue to amber, whose every
 * colour stays at 3:1 or more against both page backgrounds.
 */
export const RAMP: readonly [string, string] = ['#2563eb', '#d97706'];
