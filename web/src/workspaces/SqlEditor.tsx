/**
 * The SQL editor (CodeMirror 6): DuckDB highlighting, completion of the perimeter's tables and
 * columns, Ctrl/Cmd-Enter to run. Loaded lazily (React.lazy) so CodeMirror is fetched only on the
 * workspace page. Tab keeps moving the focus (no indentWithTab), so the editor is no keyboard trap.
 */
import { sql } from '@codemirror/lang-sql';
import { Compartment, EditorState, Prec } from '@codemirror/state';
import { EditorView, keymap, placeholder as placeholderExtension } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useImperativeHandle, useLayoutEffect, useRef, type Ref } from 'react';
import { completionSchema, DuckDB } from './duckdbDialect.ts';
import type { DictionaryTable } from './types.ts';

export interface SqlEditorProps {
  value: string;
  onChange: (value: string) => void;
  onRun: () => void;
  dictionary: readonly DictionaryTable[];
  /** Accessible name of the editing area. */
  label: string;
  placeholder?: string;
  id?: string;
  /** The id of the text that explains the keys (run, completion, leaving the editor). */
  describedBy?: string;
  /** Lets the page put a table or column name at the cursor. */
  editorRef?: Ref<SqlEditorHandle>;
}

export interface SqlEditorHandle {
  insert(text: string): void;
}

export default function SqlEditor({ value, onChange, onRun, dictionary, label, placeholder, id, describedBy, editorRef }: SqlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const language = useRef(new Compartment());
  const attributes = useRef(new Compartment());
  // The latest callbacks, read by the editor's listeners without rebuilding the editor.
  const callbacks = useRef({ onChange, onRun });
  useLayoutEffect(() => {
    callbacks.current = { onChange, onRun };
  });

  useEffect(() => {
    if (!host.current) return;
    const run = () => {
      callbacks.current.onRun();
      return true;
    };
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          // Before basicSetup's own Mod-Enter (insertBlankLine).
          Prec.highest(keymap.of([{ key: 'Mod-Enter', run, preventDefault: true }])),
          basicSetup,
          language.current.of(sql({ dialect: DuckDB, schema: completionSchema(dictionary), upperCaseKeywords: true })),
          EditorView.lineWrapping,
          attributes.current.of(attributeExtensions(label, placeholder, id, describedBy)),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) callbacks.current.onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // Built once; value, dictionary and label changes are applied by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // A program or a history entry loaded from outside replaces the text.
  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({
      effects: language.current.reconfigure(sql({ dialect: DuckDB, schema: completionSchema(dictionary), upperCaseKeywords: true })),
    });
  }, [dictionary]);

  useImperativeHandle(editorRef, () => ({
    insert(text: string) {
      const editor = view.current;
      if (!editor) return;
      editor.dispatch(editor.state.replaceSelection(text));
      editor.focus();
    },
  }));

  useEffect(() => {
    view.current?.dispatch({ effects: attributes.current.reconfigure(attributeExtensions(label, placeholder, id, describedBy)) });
  }, [label, placeholder, id, describedBy]);

  return <div ref={host} className="hdh-sql-editor" data-testid="sql-editor" />;
}

function attributeExtensions(label: string, placeholder: string | undefined, id: string | undefined, describedBy: string | undefined) {
  return [
    EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true', ...(id ? { id } : {}), ...(describedBy ? { 'aria-describedby': describedBy } : {}) }),
    ...(placeholder ? [placeholderExtension(placeholder)] : []),
  ];
}
