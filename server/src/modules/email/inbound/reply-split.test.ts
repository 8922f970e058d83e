// Quote and signature folding. The reply-bodies fixtures (crisp-oss/email-reply-parser and
// github/email_reply_parser, MIT) and talon's standard replies are read from the shared corpus at
// ../shared/corpus when it is there; the expectations are those of the upstream tests, restated
// for our { reply, quoted, signature } shape.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMail } from './parse.js';
import { splitHtmlReply, splitReply } from './reply-split.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
const corpus = path.resolve(repoRoot, '../shared/corpus');
const crispDir = path.join(corpus, 'reply-bodies/crisp-email-reply-parser');
const githubDir = path.join(corpus, 'reply-bodies/github-email_reply_parser');
const talonDir = path.join(corpus, 'mailgun-talon');
const haveFixtures = fs.existsSync(crispDir) && fs.existsSync(githubDir) && fs.existsSync(talonDir);
if (!haveFixtures) console.warn(`reply-split fixtures not found under ${corpus}: fixture tests skipped`);

const read = (dir: string, name: string): string => fs.readFileSync(path.join(dir, name), 'utf8');

const COMMON_FIRST_FRAGMENT = `Fusce bibendum, quam hendrerit sagittis tempor, dui turpis tempus erat, pharetra sodales ante sem sit amet metus.
Nulla malesuada, orci non vulputate lobortis, massa felis pharetra ex, convallis consectetur ex libero eget ante.
Nam vel turpis posuere, rhoncus ligula in, venenatis orci. Duis interdum venenatis ex a rutrum.
Duis ut libero eu lectus consequat consequat ut vel lorem. Vestibulum convallis lectus urna,
et mollis ligula rutrum quis. Fusce sed odio id arcu varius aliquet nec nec nibh.`;

describe('splitReply (inline examples)', () => {
  it('splits "On … wrote:" with a quote below', () => {
    const split = splitReply(
      'Thanks, that works.\n\nOn Mon, 2 Jan 2024 at 10:00, Support <s@x.test> wrote:\n> Try again\n',
    );
    expect(split).toEqual({
      reply: 'Thanks, that works.',
      quoted: 'On Mon, 2 Jan 2024 at 10:00, Support <s@x.test> wrote:\n> Try again',
      signature: null,
    });
  });

  it('splits German, French and Outlook headers', () => {
    expect(splitReply('Danke!\n\nAm 02.01.2024 um 10:00 schrieb Support <s@x.test>:\n> Hallo').reply).toBe('Danke!');
    expect(splitReply('Merci\n\nLe 2 janv. 2024 à 10:00, Support <s@x.test> a écrit :\n> Bonjour').reply).toBe('Merci');
    const outlook = splitReply(
      'See below.\n\n-----Original Message-----\nFrom: Support <s@x.test>\nSent: Monday\nTo: me\nSubject: x\n\nOld text',
    );
    expect(outlook.reply).toBe('See below.');
    expect(outlook.quoted).toMatch(/^-----Original Message-----\nFrom: Support/);
    expect(outlook.quoted).toMatch(/Old text$/);
    const headerBlock = splitReply('Done.\n\nFrom: Support <s@x.test>\nSent: Monday\nTo: me\nSubject: x\n\nOld text');
    expect(headerBlock.reply).toBe('Done.');
    expect(headerBlock.quoted).toMatch(/^From: Support/);
  });

  it('folds a trailing ">" block without a header, keeps text below it', () => {
    expect(splitReply('Yes.\n\n> question one\n> question two\n')).toEqual({
      reply: 'Yes.',
      quoted: '> question one\n> question two',
      signature: null,
    });
  });

  it('leaves inline replies whole', () => {
    const text = 'On Mon, 2 Jan 2024, Bob <b@x.test> wrote:\n> A?\n\nYes A.\n\n> B?\n\nNo B.';
    expect(splitReply(text)).toEqual({ reply: text, quoted: null, signature: null });
  });

  it('splits "-- " signatures and mobile signatures, not dashes in text', () => {
    expect(splitReply('Hi\n\n-- \nJane Doe\nACME')).toEqual({
      reply: 'Hi',
      quoted: null,
      signature: '--\nJane Doe\nACME',
    });
    expect(splitReply('Hi\n\nSent from my iPhone')).toEqual({
      reply: 'Hi',
      quoted: null,
      signature: 'Sent from my iPhone',
    });
    expect(splitReply('A -- B\n\n--- not a sig\n---').signature).toBeNull();
    expect(splitReply('Hi\n--').signature).toBeNull();
  });

  it('keeps forwarded messages visible', () => {
    const text =
      'FYI\n\n---------- Forwarded message ---------\nFrom: A <a@x.test>\nDate: Mon\nSubject: s\nTo: b\n\nBody';
    expect(splitReply(text)).toEqual({ reply: text, quoted: null, signature: null });
  });

  it('handles empty input, CRLF and quote-only mails', () => {
    expect(splitReply('')).toEqual({ reply: '', quoted: null, signature: null });
    expect(splitReply('Ok\r\n\r\nOn Mon, 1 Jan 2024, A <a@x.test> wrote:\r\n> x\r\n').reply).toBe('Ok');
    expect(splitReply('On Mon, 1 Jan 2024, A <a@x.test> wrote:\n> x').reply).toBe('');
  });

  it('is fast on pathological input', () => {
    const text = ('On ' + 'a'.repeat(5000) + ' wrote' + ' x'.repeat(2000) + '\n').repeat(50) + '>\n'.repeat(20_000);
    const started = performance.now();
    splitReply(text);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe.skipIf(!haveFixtures)('splitReply on crisp-oss/email-reply-parser fixtures', () => {
  it.each([
    'email_7',
    'email_8',
    'email_9',
    'email_10',
    'email_11',
    'email_12',
    'email_13',
    'email_14',
    'email_15',
    'email_16',
    'email_17',
    'email_18',
    'email_22',
    'email_23',
    'email_24',
    'email_25',
    'email_26',
    'email_portuguese',
    'email_german',
    'email_german_2',
    'email_german_3',
    'email_german_outlook',
    'email_norwegian_gmail',
    'email_finnish',
    'email_italian',
    'email_russian',
    'email_outlook_split_line_from',
    'email_gmail_split_line_from',
    'email_ios_outlook_fr',
    'email_ios_outlook',
    'email_msn',
    'email_fr_multiline',
    'email_french_2',
    'email_en_multiline_2',
    'email_original_message',
    'email_original_message_2',
    'email_danish_dash_separator',
    'email_french_dash_separator',
    'email_tricky_5_mixed_languages',
    'email_tricky_10_special_chars_in_name',
    'email_tricky_12_no_space_after_header',
    'email_tricky_14_long_quote_header',
    'email_tricky_15_original_message_variations',
  ])('%s: the reply is the common first fragment and the rest is folded', (name) => {
    const split = splitReply(read(crispDir, `${name}.txt`));
    expect(split.reply).toBe(COMMON_FIRST_FRAGMENT);
    expect(split.quoted ?? split.signature).not.toBeNull();
  });

  it('email_1: the reply keeps "-Abhishek Kona", the list footer is a signature', () => {
    const split = splitReply(read(crispDir, 'email_1.txt'));
    expect(split.reply).toBe(
      'Hi folks\n\nWhat is the best way to clear a Riak bucket of all key, values after\nrunning a test?\nI am currently using the Java HTTP API.\n\n-Abhishek Kona',
    );
    expect(split.signature).toMatch(/riak-users mailing list/);
  });

  it('email_2: a bottom post with answers between quotes stays whole', () => {
    const split = splitReply(read(crispDir, 'email_2.txt'));
    expect(split.quoted).toBeNull();
    expect(split.reply).toMatch(/^Hi,\nOn Tue, 2011-03-01/);
    expect(split.reply).toMatch(/You can list the keys/);
  });

  it('email_3: top post', () => {
    const split = splitReply(read(crispDir, 'email_3.txt'));
    expect(split.reply).toBe('Oh thanks.\n\nHaving the function would be great.\n\n-Abhishek Kona');
    expect(split.quoted).toMatch(/^On [^:]+:/);
  });

  it('email_4 and email_6: headers above the quote, also wrapped over lines', () => {
    const four = splitReply(read(crispDir, 'email_4.txt'));
    expect(four.reply).toMatch(/^Awesome/);
    expect(four.quoted).toMatch(/^On/);
    expect(four.quoted).toMatch(/Loader/);
    const six = splitReply(read(crispDir, 'email_6.txt'));
    expect(six.reply).toMatch(/^I get/);
    expect(six.quoted).toMatch(/^On/);
    expect(six.quoted).toMatch(/Was this/);
  });

  it('email_5: one fragment', () => {
    expect(splitReply(read(crispDir, 'email_5.txt')).quoted).toBeNull();
  });

  it.each(['correct_sig', 'sig_no_empty_line'])('%s: "--" signature', (name) => {
    const split = splitReply(read(crispDir, `${name}.txt`));
    expect(split.signature).toMatch(/^--\nrick/);
    expect(split.quoted).toBeNull();
  });

  it('email_one_is_not_on', () => {
    const split = splitReply(read(crispDir, 'email_one_is_not_on.txt'));
    expect(split.reply).toMatch(/One outstanding question/);
    expect(split.quoted).toMatch(/^On Oct 1, 2012/);
  });

  it('email_sent_from: "Sent from TypeApp" is the signature', () => {
    const split = splitReply(read(crispDir, 'email_sent_from.txt'));
    expect(split.reply).toBe(
      'Hi it can happen to any texts you type, as long as you type in between words or paragraphs.',
    );
    expect(split.signature).toMatch(/^Sent from TypeApp/);
  });

  it('email_emoji: an em dash is no signature delimiter', () => {
    expect(splitReply(read(crispDir, 'email_emoji.txt'))).toEqual({
      reply: '🎉\n\n—\nJohn Doe\nCEO at Pandaland\n\n@pandaland',
      quoted: null,
      signature: null,
    });
  });

  it.each(['email_not_a_signature', 'email_not_a_signature_2'])('%s: no signature, no quote', (name) => {
    const split = splitReply(read(crispDir, `${name}.txt`));
    expect(split.signature).toBeNull();
    expect(split.quoted).toBeNull();
  });

  it('email_zoho, email_with_regards, email_reply_header', () => {
    expect(splitReply(read(crispDir, 'email_zoho.txt')).reply).toBe(
      'What is the best way to clear a Riak bucket of all key, values after\nrunning a test?',
    );
    // a closing line ("Regards, John Doe") stays in the reply: we only fold unambiguous signatures
    expect(splitReply(read(crispDir, 'email_with_regards.txt')).reply).toMatch(
      /^Hi,\n\nI still have the same problem\.\.\.\.\n\nCan you help\?/,
    );
    const header = splitReply(read(crispDir, 'email_reply_header.txt'));
    expect(header.reply).toMatch(/^On the other hand/m);
    expect(header.quoted).toMatch(/^On Wed, Dec 9/);
    expect(header.signature).toBe('--\nMy name is Stranger');
  });

  it('tricky cases: no false quote headers or signatures', () => {
    const one = splitReply(read(crispDir, 'email_tricky_1_on_false_positive.txt'));
    expect(one.quoted).toBeNull();
    const two = splitReply(read(crispDir, 'email_tricky_2_url_with_wrote.txt'));
    expect(two.reply).toMatch(/Check out this article/);
    expect(two.reply).toMatch(/https:\/\/example\.com/);
    expect(two.quoted).toBeNull();
    expect(splitReply(read(crispDir, 'email_tricky_3_code_block.txt')).reply).toMatch(/function sendEmail/);
    expect(splitReply(read(crispDir, 'email_tricky_4_from_in_body.txt')).reply).toMatch(
      /This is the actual message content/,
    );
    const six = splitReply(read(crispDir, 'email_tricky_6_regards_in_sentence.txt'));
    expect(six.reply).toMatch(/with regards to the payment/);
    expect(six.signature).toBeNull();
    const seven = splitReply(read(crispDir, 'email_tricky_7_multiple_dashes.txt'));
    expect(seven.reply).toMatch(/Key Points[\s\S]*just separators in my content/);
    expect(seven.signature).toBeNull();
    const eight = splitReply(read(crispDir, 'email_tricky_8_sent_from_in_content.txt'));
    expect(eight.reply).toMatch(/sent from my iPhone app/);
    expect(eight.signature).toBeNull();
    const thirteen = splitReply(read(crispDir, 'email_tricky_13_timestamp_variations.txt'));
    expect(thirteen.reply).toMatch(/different timestamp formats/);
    expect(thirteen.quoted).toBeNull();
    expect(splitReply(read(crispDir, 'email_tricky_20_html_entities.txt')).reply).toMatch(/&gt; 100 and &lt; 200/);
  });

  it('tricky cases: nested, forwarded, inline and double signatures', () => {
    const nine = splitReply(read(crispDir, 'email_tricky_9_nested_quotes.txt'));
    expect(nine.reply).toBe('I agree with the points below.');
    expect(nine.quoted).toMatch(/I think we should use option A/);
    const eleven = splitReply(read(crispDir, 'email_tricky_11_double_signature.txt'));
    expect(eleven.reply).toMatch(/Thanks for your help/);
    expect(eleven.signature).toMatch(/^--\nJohn Doe[\s\S]*Sent from my iPhone$/);
    expect(splitReply(read(crispDir, 'email_tricky_16_unicode_signatures.txt')).reply).toMatch(/Thanks for the update/);
    const seventeen = splitReply(read(crispDir, 'email_tricky_17_forward_header.txt'));
    expect(seventeen.reply).toMatch(/See the forwarded message[\s\S]*forwarded content/);
    const eighteen = splitReply(read(crispDir, 'email_tricky_18_inline_reply.txt'));
    expect(eighteen.quoted).toBeNull();
    expect(eighteen.reply).toMatch(/Option C is not suitable/);
    const nineteen = splitReply(read(crispDir, 'email_tricky_19_quote_without_header.txt'));
    expect(nineteen.reply).toMatch(/I wanted to respond[\s\S]*And my final thoughts/);
  });

  it('every fixture splits without losing text', () => {
    for (const name of fs.readdirSync(crispDir)) {
      const text = read(crispDir, name);
      const split = splitReply(text);
      const joined = [split.reply, split.signature, split.quoted].filter(Boolean).join('\n');
      const words = (s: string): string => s.replace(/\s+/g, ' ').trim();
      expect(words(joined).length, name).toBeGreaterThanOrEqual(words(text).length * 0.98);
    }
  });
});

describe.skipIf(!haveFixtures)('splitReply on github/email_reply_parser fixtures', () => {
  it('email_1_1: simple body with a list footer', () => {
    const split = splitReply(read(githubDir, 'email_1_1.txt'));
    expect(split.reply).toMatch(/^Hi folks/);
    expect(split.quoted).toBeNull();
  });

  it('email_1_2: bottom post stays whole; email_1_3: top post folds', () => {
    expect(splitReply(read(githubDir, 'email_1_2.txt')).quoted).toBeNull();
    const top = splitReply(read(githubDir, 'email_1_3.txt'));
    expect(top.reply).toMatch(/^Oh thanks\.\n\nHaving the function would be great\./);
    expect(top.quoted).toMatch(/^On [^:]+:/);
  });

  it('email_1_4 … email_1_7', () => {
    expect(splitReply(read(githubDir, 'email_1_4.txt')).reply).toMatch(/^Awesome/);
    expect(splitReply(read(githubDir, 'email_1_5.txt')).quoted).toBeNull();
    const six = splitReply(read(githubDir, 'email_1_6.txt'));
    expect(six.reply).toBe('I get proper rendering as well.');
    expect(six.quoted).toMatch(/Was this/);
    const seven = splitReply(read(githubDir, 'email_1_7.txt')); // Windows line endings
    expect(seven.reply).toBe(':+1:');
    expect(seven.quoted).toMatch(/^On[\s\S]*Steps 0-2/);
  });

  it('email_1_8: inline replies stay whole, the signature is split off', () => {
    const split = splitReply(read(githubDir, 'email_1_8.txt'));
    expect(split.quoted).toBeNull();
    expect(split.signature).toBe('--\nHey there, this is my signature');
  });

  it.each([
    ['email_2_1', 'Outlook with a reply'],
    ['email_2_2', 'Outlook with a reply directly above line'],
  ])('%s: Outlook', (name, reply) => {
    const split = splitReply(read(githubDir, `${name}.txt`));
    expect(split.reply).toBe(reply);
    expect(split.quoted).toMatch(/From:/);
  });

  it.each(['email_iPhone', 'email_BlackBerry', 'email_multi_word_sent_from_my_mobile_device'])(
    '%s: mobile signature',
    (name) => {
      const split = splitReply(read(githubDir, `${name}.txt`));
      expect(split.reply).toBe('Here is another email');
      expect(split.signature).toMatch(/^Sent from my /);
    },
  );

  it('email_sent_from_my_not_signature, email_bullets, sig delimiter in a line', () => {
    expect(splitReply(read(githubDir, 'email_sent_from_my_not_signature.txt'))).toEqual({
      reply: 'Here is another email\n\nSent from my desk, is much easier then my mobile phone.',
      quoted: null,
      signature: null,
    });
    expect(splitReply(read(githubDir, 'email_bullets.txt')).reply).toBe(
      'test 2 this should list second\n\nand have spaces\n\nand retain this formatting\n\n\n   - how about bullets\n   - and another',
    );
    expect(splitReply(read(githubDir, 'email_sig_delimiter_in_middle_of_line.txt')).signature).toBeNull();
  });

  it('greedy_on, email_one_is_not_on and pathological', () => {
    const greedy = splitReply(read(githubDir, 'greedy_on.txt'));
    expect(greedy.reply).toMatch(/^On your remote host/);
    expect(greedy.quoted).toMatch(/^On 9 Jan 2014/);
    expect(splitReply(read(githubDir, 'email_one_is_not_on.txt')).quoted).toMatch(/^On Oct 1, 2012/);
    const started = performance.now();
    const pathological = splitReply(read(githubDir, 'pathological.txt'));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(pathological.reply).toBe(
      "I think you're onto something. I will try to fix the problem as soon as I\nget back to a computer.",
    );
  });
});

describe.skipIf(!haveFixtures)('talon standard replies through parseMail', () => {
  const normalise = (s: string): string => s.replace(/[ \t]+$/gm, '').trim();

  it.each(fs.existsSync(talonDir) ? fs.readdirSync(talonDir).filter((f) => f.startsWith('standard_replies__')) : [])(
    '%s',
    async (name) => {
      if (!name.endsWith('.eml')) return;
      const mail = await parseMail(fs.readFileSync(path.join(talonDir, name)));
      const split = splitReply(mail.text);
      const expectedFile = path.join(talonDir, name.replace('.eml', '_reply_text.expected.txt'));
      const expected = fs.existsSync(expectedFile) ? fs.readFileSync(expectedFile, 'utf8') : 'Hello';
      const visible = [split.reply, split.signature].filter(Boolean).join('\n\n');
      expect(normalise(visible)).toBe(normalise(expected));
      expect(split.reply.trim()).toBe('Hello');
    },
  );

  it('reply-quotations-share-block: the Yahoo header and its quote are folded', async () => {
    const mail = await parseMail(fs.readFileSync(path.join(talonDir, 'reply-quotations-share-block.eml')));
    const split = splitReply(mail.text);
    expect(split.reply).toMatch(/^Hi Katharine/);
    expect(split.reply).not.toMatch(/From/);
    expect(split.quoted).toMatch(/^--- On Wed, 4\/4\/12/);
    const html = splitHtmlReply(mail.html!);
    expect(html.reply).toMatch(/Hi Katharine/);
    expect(html.reply).not.toMatch(/booking inquiry/);
    expect(html.quoted).toMatch(/booking inquiry/);
  });

  it.each([
    ['standard_replies__gmail.eml', /gmail_quote/],
    ['standard_replies__android.eml', /Hi/],
    ['standard_replies__comcast.eml', /From: /],
    ['standard_replies__hotmail.eml', /&gt; Subject: Test/],
    ['standard_replies__outlook.eml', /From:/],
  ])('%s: splitHtmlReply folds the quote', async (name, quoted) => {
    const mail = await parseMail(fs.readFileSync(path.join(talonDir, name)));
    const split = splitHtmlReply(mail.html!);
    expect(split.quoted).toMatch(quoted);
    expect(split.reply).not.toMatch(/From:|Subject:/);
  });
});

describe('splitHtmlReply (inline examples)', () => {
  it('cuts at gmail_quote, blockquote type=cite and Outlook divRplyFwdMsg', () => {
    expect(
      splitHtmlReply(
        '<div>Thanks</div><div class="gmail_quote"><div>On x wrote:</div><blockquote>q</blockquote></div>',
      ),
    ).toEqual({
      reply: '<div>Thanks</div>',
      quoted: '<div class="gmail_quote"><div>On x wrote:</div><blockquote>q</blockquote></div>',
    });
    expect(splitHtmlReply('<p>Ok</p><blockquote type="cite">old</blockquote>').reply).toBe('<p>Ok</p>');
    expect(
      splitHtmlReply('<div><p>Ok</p><hr /><div id="divRplyFwdMsg"><b>From:</b> x</div><div>old</div></div>'),
    ).toEqual({
      reply: '<div><p>Ok</p><hr /></div>',
      quoted: '<div id="divRplyFwdMsg"><b>From:</b> x</div><div>old</div>',
    });
  });

  it('does not fold forwarded messages or plain HTML', () => {
    const forward = '<div>FYI</div><div class="gmail_quote">---------- Forwarded message ---------<br />From: a</div>';
    expect(splitHtmlReply(forward)).toEqual({ reply: forward, quoted: null });
    expect(splitHtmlReply('<p>Just a mail</p>')).toEqual({ reply: '<p>Just a mail</p>', quoted: null });
  });

  it('finds text headers when there is no marker element', () => {
    const split = splitHtmlReply(
      '<div>Sure.</div><div>-----Original Message-----</div><div>From: a</div><div>old</div>',
    );
    expect(split.reply).toBe('<div>Sure.</div>');
    expect(split.quoted).toMatch(/^<div>-----Original Message-----/);
  });
});
