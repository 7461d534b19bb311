/** Colours for initializations: fixed per init, so a comparison reads the same in every figure. */
export const INIT_COLORS: Readonly<Record<string, string>> = {
  xavier_normal: '#2f6db5',
  xavier_uniform: '#5a8fd6',
  kaiming_normal: '#c2410c',
  kaiming_uniform: '#b45309',
  torch_default: '#7c3aed',
  lecun_normal: '#15803d',
  orthogonal: '#0e7490',
  unscaled: '#b91c1c',
  small: '#6b7280',
  zeros: '#6b7280',
  constant: '#a16207',
};

export const colorOf = (init: string): string => INIT_COLORS[init] ?? '#444444';
