/**
 * The cell editor: CodeMirror 6 with TypeScript highlighting, loaded (with this module) only when a
 * reader focuses or edits a cell. Token colours come from CSS classes (src/styles/cells.css) that
 * follow the page theme, close to the Shiki themes of the static code. Tab is left to the page, so
 * keyboard users can leave the editor; Shift+Enter and Ctrl/Cmd+Enter run the cell.
 *
 * The editor takes the place of the static code on the first click, so its box is the static
 * code's box (font, size, line height, padding, wrapping: src/styles/cells.css); what CodeMirror's
 * own styles set is overridden by the theme below, since they would win over the site's layered CSS.
 *
 * @module
 */
import { javascript } from '@codemirror/lang-javascript';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { minimalSetup } from 'codemirror';

export interface CellEditorOptions {
  readonly doc: string;
  /** Where the caret starts, as a character offset (the place the reader clicked). */
  readonly caret: number;
  /** The editor's accessible name. */
  readonly label: string;
  /** Id of the element describing how to run the cell. */
  readonly describedBy: string;
  readonly onRun: () => void;
  readonly onChange: (text: string) => void;
}

export interface CellEditor {
  text(): string;
  setText(text: string): void;
  focus(): void;
}

const highlight = HighlightStyle.define([
  {
    tag: [tags.keyword, tags.operatorKeyword, tags.modifier, tags.controlKeyword],
    class: 'ib-tok-keyword',
  },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], class: 'ib-tok-string' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], class: 'ib-tok-number' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], class: 'ib-tok-comment' },
  {
    tag: [tags.function(tags.variableName), tags.function(tags.propertyName)],
    class: 'ib-tok-function',
  },
  { tag: [tags.typeName, tags.className, tags.namespace], class: 'ib-tok-type' },
  { tag: [tags.definition(tags.variableName)], class: 'ib-tok-definition' },
]);

const look = EditorView.theme({
  '.cm-scroller': { fontFamily: 'inherit', lineHeight: 'inherit' },
  '.cm-content': { padding: 'var(--ib-space-3) 0' },
  '.cm-line': { padding: '0 var(--ib-space-3)' },
  '&.cm-focused': { outline: '3px solid var(--ib-focus)', outlineOffset: '2px' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'currentColor' },
  '.cm-selectionBackground, &.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground':
    { background: 'light-dark(#d7d4f0, #30406a)' },
});

export function createCellEditor(parent: HTMLElement, options: CellEditorOptions): CellEditor {
  const run = () => {
    options.onRun();
    return true;
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: options.doc,
      selection: { anchor: Math.min(Math.max(0, options.caret), options.doc.length) },
      extensions: [
        keymap.of([
          { key: 'Shift-Enter', run },
          { key: 'Mod-Enter', run },
        ]),
        minimalSetup,
        javascript({ typescript: true }),
        syntaxHighlighting(highlight),
        EditorView.lineWrapping,
        look,
        EditorView.contentAttributes.of({
          'aria-label': options.label,
          'aria-describedby': options.describedBy,
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    focus: () => view.focus(),
  };
}
