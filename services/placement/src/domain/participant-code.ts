/**
 * The pseudonymous reference of a participant, such as `P-7K3Q9X`: safe to show in reports and
 * lists because it says nothing about the person. Six characters from an alphabet without the
 * look-alikes 0/O, 1/I/L and without U: 30^6 (about 729 million) codes.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const PARTICIPANT_CODE = /^P-[2-9A-HJKMNP-TV-Z]{6}$/;

/** A code from a source of random integers in [0, max): the caller brings the randomness. */
export function participantCode(randomInt: (max: number) => number): string {
  let code = 'P-';
  for (let i = 0; i < 6; i++) code += CODE_ALPHABET.charAt(randomInt(CODE_ALPHABET.length));
  return code;
}
