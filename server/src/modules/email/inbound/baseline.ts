// mailparser's own simpleParser, re-exported for the parsing benchmark (tests/bench/mail-parse.ts),
// which compares it with parseMail + classifyMail. Not part of the library's API.
export { simpleParser } from 'mailparser';
