/**
 * The form a person fills to answer a turn: one field per argument of the chosen tool (from the
 * JSON Schema the model is sent: name, type, description, required), and what they say with it.
 * Pure state and checks; the play screen draws it and feeds it keys.
 */
import type { HumanAnswer, HumanTool, JsonSchemaField } from '../../../agents/index.js';

/** One field of the form. */
export interface FormField {
  /** The argument's name, or `say` for the words that go with the answer. */
  name: string;
  kind: 'text' | 'number' | 'integer' | 'boolean' | 'choice';
  required: boolean;
  description: string;
  /** For `choice`: the allowed values. */
  options?: string[];
  value: string;
}

/** The words said with an answer (the model's message content). */
export const SAY = 'say';

/** What the person is filling: a tool's arguments (or none: words only) and the words. */
export interface AnswerForm {
  /** The tool called, or undefined for an answer in words only (which, as for a model, ends the session). */
  tool?: HumanTool;
  fields: FormField[];
}

function kindOf(field: JsonSchemaField): FormField['kind'] {
  const type = Array.isArray(field.type) ? field.type.find((t) => t !== 'null') : field.type;
  if (field.enum && field.enum.length > 0) return 'choice';
  if (type === 'number') return 'number';
  if (type === 'integer') return 'integer';
  if (type === 'boolean') return 'boolean';
  return 'text';
}

/** The form for calling `tool` (or for words only when undefined). */
export function formFor(tool: HumanTool | undefined): AnswerForm {
  const props = Object.entries(tool?.parameters.properties ?? {});
  const required = new Set(tool?.parameters.required ?? []);
  const fields: FormField[] = props.map(([name, field]) => {
    const kind = kindOf(field);
    return {
      name, kind, required: required.has(name), description: field.description ?? '', value: kind === 'boolean' ? 'false' : '',
      ...(kind === 'choice' ? { options: field.enum!.map(String) } : {}),
    };
  });
  fields.push({ name: SAY, kind: 'text', required: tool === undefined, description: tool ? 'what you say with the call (optional)' : 'what you say', value: '' });
  return { ...(tool ? { tool } : {}), fields };
}

/** The field's value after a step left (−1) or right (+1): booleans toggle, choices cycle. */
export function stepValue(field: FormField, step: 1 | -1): string {
  if (field.kind === 'boolean') return field.value === 'true' ? 'false' : 'true';
  if (field.kind === 'choice' && field.options) {
    const at = field.options.indexOf(field.value);
    return field.options[(at + step + field.options.length) % field.options.length] ?? field.value;
  }
  return field.value;
}

/** The answer the form holds, or what is wrong with it (the first problem). */
export function answerOf(form: AnswerForm): { answer: HumanAnswer } | { problem: string } {
  const args: Record<string, unknown> = {};
  let content = '';
  for (const f of form.fields) {
    if (f.name === SAY && f === form.fields.at(-1)) {
      content = f.value;
      if (f.required && content.trim() === '') return { problem: 'say something (or pick a tool)' };
      continue;
    }
    if (f.value === '' && f.kind !== 'boolean') {
      if (f.required) return { problem: `${f.name} is required` };
      continue;
    }
    if (f.kind === 'number' || f.kind === 'integer') {
      const n = Number(f.value);
      if (f.value.trim() === '' || !Number.isFinite(n)) return { problem: `${f.name} must be a number` };
      if (f.kind === 'integer' && !Number.isInteger(n)) return { problem: `${f.name} must be a whole number` };
      args[f.name] = n;
    } else if (f.kind === 'boolean') {
      args[f.name] = f.value === 'true';
    } else {
      args[f.name] = f.value;
    }
  }
  return { answer: { content, toolCalls: form.tool ? [{ name: form.tool.name, args }] : [] } };
}
