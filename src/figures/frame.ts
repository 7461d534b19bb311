/**
 * The box a chart is drawn into, and the type sizes that go with it. The build draws every figure
 * twice (a phone layout and a wide one, chosen by a container query); the live figure draws at its
 * container's width, and in presentation mode or full screen into a fixed cell of the screen.
 *
 * @module
 */

export interface ChartFrame {
  /** Width of the SVG, in CSS pixels (or viewBox units for the build-time pictures). */
  readonly width: number;
  /** Fit mode (presentation, full screen): the panel is exactly this tall, so nothing scrolls. */
  readonly height?: number;
  /** Tick labels, axis labels, keys and direct labels. */
  readonly fontSize: number;
  /** Secondary text (per-facet notes); never under 11 px on screen. */
  readonly smallSize: number;
  /** Presentation type is semibold, so it carries to the back of a hall. */
  readonly fontWeight: number;
}

/**
 * The two build-time layouts. All text is drawn at 14 so that, scaled with its viewBox, it stays at
 * 11 px or more wherever the layout is shown: the phone layout from a 283-px-wide container up, the
 * wide one from 504 px up (640 × 11/14 = 503; figure.css's container query switches there). The
 * wide layout takes over early so that on a laptop's column the live redraw keeps its height.
 */
export const BUILD_LAYOUTS = [
  { layout: 'narrow', width: 360 },
  { layout: 'wide', width: 640 },
] as const;

export function buildFrame(width: number): ChartFrame {
  return { width, fontSize: 14, smallSize: 14, fontWeight: 400 };
}

/** A chart in a page, at its container's width. */
export function pageFrame(width: number): ChartFrame {
  return { width, fontSize: 13, smallSize: 12, fontWeight: 400 };
}

/**
 * A chart in presentation mode or full screen: type scales with the screen (24 px at 1920 wide,
 * 18 px at 1280 and below) and secondary text stays within 8% of it. (Thick lines: figure.css.)
 */
export function presentFrame(width: number, height: number, screenWidth: number): ChartFrame {
  const fontSize = Math.round(Math.min(32, Math.max(18, screenWidth / 80)));
  return {
    width,
    height,
    fontSize,
    smallSize: Math.round(fontSize * 0.92),
    fontWeight: 600,
  };
}

/** One line of chart text, top to bottom, with room so that neighbouring lines never touch. */
export const lineHeight = (fontSize: number): number => Math.ceil(fontSize * 1.3);

/**
 * A panel's height: exactly the frame's in fit mode; otherwise `aspect` × width (height over
 * width), kept between `min` and `max` so a phone chart is not squat and a wide one not a wall.
 */
export function panelHeight(
  frame: ChartFrame,
  aspect: number,
  { min = 0, max = Infinity }: { readonly min?: number; readonly max?: number } = {},
): number {
  if (frame.height !== undefined) return frame.height;
  return Math.round(Math.min(max, Math.max(min, frame.width * aspect)));
}

/** The frame the unit tests and the default spec call draw into: the wide build layout. */
export const DEFAULT_FRAME: ChartFrame = buildFrame(BUILD_LAYOUTS[1].width);

/**
 * Roughly the frame inside the margins, for choosing tick counts before the margins are known:
 * a y-axis label column of four ems, `right` px for direct labels, and `headerLines` of header plus
 * two lines (tick labels, x-axis label) below.
 */
export function plotArea(
  frame: ChartFrame,
  height: number,
  { right = frame.fontSize, headerLines = 2 }: { right?: number; headerLines?: number } = {},
): { x: number; y: number } {
  const lh = lineHeight(frame.fontSize);
  return {
    x: Math.max(40, frame.width - 4 * frame.fontSize - right),
    y: Math.max(40, height - (headerLines + 2.5) * lh),
  };
}
