// The script editor of the property panel: the text area stays a real text area (so typing, selection, undo and
// assistive technology behave as in any field) with the highlighted code drawn under it; Tab indents instead of
// leaving the field, and Enter keeps the line's indentation.
import Prism from 'prismjs';
import 'prismjs/components/prism-javascript';
import 'prismjs/components/prism-markup-templating';
import 'prismjs/components/prism-liquid';
import { useEffect, useRef } from 'react';
import SimpleEditor from 'react-simple-code-editor';
import './codeEditor.css';

// The package is CommonJS with its component on `default`: the test runner unwraps it, the production bundle does
// not (React error 130 in the browser), so take whichever is the component.
const Editor = (SimpleEditor as unknown as { default?: typeof SimpleEditor }).default ?? SimpleEditor;

/** The grammar that colours a script of this expression type, or none (C# and unknown types are shown plain). */
export function grammarOf(syntax: string): Prism.Grammar | undefined {
  switch (syntax) {
    case 'JavaScript':
      return Prism.languages.javascript;
    case 'Liquid':
      return Prism.languages.liquid;
    default:
      return undefined;
  }
}

const escape = (code: string) => code.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A code field for a script input; <paramref name="testId"/> names its text area. */
export function CodeEditor({ testId, value, syntax, disabled, placeholder, rows = 5, onChange }: {
  testId: string; value: string; syntax: string; disabled?: boolean; placeholder?: string; rows?: number; onChange: (value: string) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  // The editor names its text area only by id; the tests and the browser walks find fields by test id.
  useEffect(() => { box.current?.querySelector('textarea')?.setAttribute('data-testid', testId); }, [testId]);
  const grammar = grammarOf(syntax);
  return (
    <div ref={box} className={`govflow-code${disabled ? ' govflow-code-disabled' : ''}`}>
      <Editor value={value} onValueChange={onChange} disabled={disabled} placeholder={placeholder} padding={6} tabSize={2} insertSpaces
        highlight={(code) => (grammar ? Prism.highlight(code, grammar, syntax.toLowerCase()) : escape(code))}
        textareaClassName="govflow-code-input" style={{ minHeight: rows * 18 }} />
    </div>
  );
}
