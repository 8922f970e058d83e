import { describe, expect, it } from 'vitest';
import {
  findTicketToken,
  formatTicketToken,
  normaliseSubject,
  referencedMessageIds,
  sameSubject,
} from './threading.js';

describe('normaliseSubject', () => {
  it.each([
    ['Re: Printer broken', 'Printer broken'],
    ['RE: RE: re: Printer broken', 'Printer broken'],
    ['AW: WG: Drucker', 'Drucker'],
    ['SV: Sv: Skrivare', 'Skrivare'],
    ['Fwd: FW: Fw: Printer', 'Printer'],
    ['Antw: Printer', 'Printer'],
    ['TR: RE: Imprimante', 'Imprimante'],
    ['Re[2]: Re(3): Re^4: Printer', 'Printer'],
    ['R: R: R: I: FR-selca LA selcaE', 'FR-selca LA selcaE'],
    ['[users] Re: [dev-list] Fwd: Printer', 'Printer'],
    ['  Re:   Printer   broken  ', 'Printer broken'],
    ['回复: 转发: 打印机', '打印机'],
    ['RE： Printer', 'Printer'],
    ['Printer', 'Printer'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(normaliseSubject(input)).toBe(expected);
  });

  it('keeps the ticket token and what follows it', () => {
    expect(normaliseSubject('Re: [Ticket#42] Printer')).toBe('[Ticket#42] Printer');
    expect(normaliseSubject('AW: [list] [Ticket#42] Re: Printer')).toBe('[Ticket#42] Re: Printer');
    expect(normaliseSubject('Re: Printer [Ticket#42]')).toBe('Printer [Ticket#42]');
    expect(normaliseSubject('Re: [Case-7] Printer', 'Case-')).toBe('[Case-7] Printer');
    // with another prefix configured, "[Ticket#42]" is just a list tag
    expect(normaliseSubject('Re: [Ticket#42] Printer', 'Case-')).toBe('Printer');
  });

  it('does not strip words that merely start like a prefix', () => {
    expect(normaliseSubject('Report: Q3')).toBe('Report: Q3');
    expect(normaliseSubject('Reminder: invoice')).toBe('Reminder: invoice');
    expect(normaliseSubject('Information')).toBe('Information');
  });

  it('compares subjects ignoring prefixes and case', () => {
    expect(sameSubject('Re: AW: printer broken', 'Printer Broken')).toBe(true);
    expect(sameSubject('Re: printer', 'scanner')).toBe(false);
    expect(sameSubject('Re:', '')).toBe(false);
  });
});

describe('findTicketToken', () => {
  it('finds the token with the default prefix', () => {
    expect(findTicketToken('Re: Printer [Ticket#42]')).toBe(42);
    expect(findTicketToken('[Ticket#10010] test')).toBe(10010);
    expect(findTicketToken('Re: [ ticket#7 ] x')).toBe(7);
    expect(findTicketToken('Auto reply: x [Ticket#1118974]')).toBe(1118974);
  });

  it('takes the first token', () => {
    expect(findTicketToken('[Ticket#1] and [Ticket#2]')).toBe(1);
  });

  it('honours a configured prefix', () => {
    expect(findTicketToken('Re: [Case-77] x', 'Case-')).toBe(77);
    expect(findTicketToken('Re: [Ticket#77] x', 'Case-')).toBeNull();
    expect(findTicketToken('Re: [SR.5] x', 'SR.')).toBe(5);
    expect(findTicketToken('Re: [SRx5] x', 'SR.')).toBeNull();
  });

  it('returns null without a token or for absurd numbers', () => {
    expect(findTicketToken('Ticket#42 without brackets')).toBeNull();
    expect(findTicketToken('[Ticket#] x')).toBeNull();
    expect(findTicketToken('[Ticket#12345678901234567890] x')).toBeNull();
    expect(findTicketToken('')).toBeNull();
  });

  it('formats the token it finds', () => {
    expect(findTicketToken(`Re: Printer ${formatTicketToken(99)}`)).toBe(99);
  });
});

describe('referencedMessageIds', () => {
  it('puts In-Reply-To first, then References newest first, without duplicates', () => {
    const ids = referencedMessageIds({
      inReplyTo: '<c@x>',
      references: ['<a@x>', '<b@x>', '<c@x>'],
      headers: { 'in-reply-to': ['<c@x>'], references: ['<a@x> <b@x> <c@x>'] },
    });
    expect(ids).toEqual(['<c@x>', '<b@x>', '<a@x>']);
  });

  it('reads every id of a messy In-Reply-To', () => {
    const ids = referencedMessageIds({
      inReplyTo: '<m1@x>',
      references: [],
      headers: { 'in-reply-to': ['Your message of Mon, 1 Jan <m1@x> (and <m2@x>)'] },
    });
    expect(ids).toEqual(['<m1@x>', '<m2@x>']);
  });

  it('is empty for a new message', () => {
    expect(referencedMessageIds({ inReplyTo: null, references: [], headers: {} })).toEqual([]);
  });
});
