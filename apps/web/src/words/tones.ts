/**
 * How bad a state is, for styling. Never shown alone: every state also has an icon and a word, so
 * colour is never the only signal.
 */
export type Tone = 'ok' | 'warn' | 'bad' | 'masked' | 'neutral';
