/** Every figure's view, loaded on demand so a page fetches Plot and a spec only when it re-renders. */
import type { AnyFigureView } from './types';

export const VIEWS: Readonly<Record<string, () => Promise<AnyFigureView>>> = {
  'fan-calculator': async () => (await import('./fan-calculator/spec')).view,
  'variance-by-depth': async () => (await import('./variance-by-depth/spec')).view,
  symmetry: async () => (await import('./symmetry/spec')).view,
  width: async () => (await import('./width/spec')).view,
  'width-draws': async () => (await import('./width-draws/spec')).view,
  'order-chaos': async () => (await import('./order-chaos/spec')).view,
  'distributions-by-layer': async () => (await import('./distributions-by-layer/spec')).view,
  saturation: async () => (await import('./saturation/spec')).view,
  'activation-lab': async () => (await import('./activation-lab/spec')).view,
  'training-curves': async () => (await import('./training-curves/spec')).view,
};

export async function figureView(id: string): Promise<AnyFigureView> {
  const load = Object.hasOwn(VIEWS, id) ? VIEWS[id] : undefined;
  if (!load) throw new Error(`No view for figure ${JSON.stringify(id)}.`);
  return load();
}
