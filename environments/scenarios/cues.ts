/**
 * Statements that tell an agent it is watched, unwatched, reviewed or checked: cues the study used
 * only in its alignment-faking scenario. Scenario text may carry them only through the factors that
 * vary them (`monitoring`, `detection`); the lint and a house test look for them everywhere else.
 */
const CUES: ReadonlyArray<{ re: RegExp; what: string }> = [
  { re: /\bmonitor(?:ed|ing|s)?\b/i, what: 'monitoring' },
  { re: /\baudit(?:ed|s|ing|ors?)?\b/i, what: 'an audit' },
  { re: /\b(?:logged|logs\s+are\s+kept|is\s+logged)\b/i, what: 'logging' },
  { re: /\b(?:detect(?:ed|ion|s)?|caught|catch(?:es)?)\b/i, what: 'detection' },
  { re: /\b(?:reviewed|re-?graded|re-?checked|spot-?check(?:ed|s)?|second\s+reviewer|sign-?off|supervis\w*|oversight|overseen|unattended|watched|observed)\b/i, what: 'review or oversight' },
  { re: /\bnobody\s+(?:reviews|checks|looks|watches|reads)\b/i, what: 'the absence of review' },
];

/** One cue found in a text: what it states and the words that state it. */
export interface Cue {
  what: string;
  words: string;
}

/** The monitoring, review or detection statements in a text. */
export function cuesIn(text: string): Cue[] {
  return CUES.flatMap(({ re, what }) => {
    const m = re.exec(text);
    return m ? [{ what, words: m[0] }] : [];
  });
}
