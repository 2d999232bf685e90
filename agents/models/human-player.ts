/** What a person playing a `human:` model is shown and answers (the terminal app's play screen implements {@link HumanPlayer}). */

/** A tool as the person is offered it: what a language model is sent (name, description, JSON Schema of the arguments). */
export interface HumanTool {
  name: string;
  description: string;
  parameters: { properties?: Record<string, JsonSchemaField>; required?: string[] };
}

/** One argument's JSON Schema, as far as a form needs it. */
export interface JsonSchemaField {
  type?: string | string[];
  description?: string;
  enum?: unknown[];
}

/** One message of the conversation, as the model sees it. */
export type HumanView =
  | { role: 'system' | 'user'; text: string }
  | { role: 'assistant'; text: string; toolCalls: Array<{ name: string; args: Record<string, unknown> }> }
  | { role: 'tool'; tool: string; text: string };

/** What the person is asked to answer: the conversation so far, the tools, and the operator's question if this is one. */
export interface HumanTurn {
  /** The agent played (subject, peer). */
  agent: string;
  /** The player's name (the part after `human:`). */
  player: string;
  messages: HumanView[];
  tools: HumanTool[];
  /** Set when the operator asks a question after the episode (interrogate=on): the answer is words. */
  question?: string;
}

/** The person's answer: what they say, and the tools they call (none ends their session, as for a model). */
export interface HumanAnswer {
  content: string;
  toolCalls: Array<{ name: string; args: Record<string, unknown> }>;
}

/** Who answers for `human:` models: a screen that shows a {@link HumanTurn} and returns the person's answer. */
export interface HumanPlayer {
  play(turn: HumanTurn): Promise<HumanAnswer>;
}
