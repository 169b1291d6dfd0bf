import { describe, expect, it } from 'vitest';
import { DefaultServerChooser, redact } from '../../runtime/ha/server-chooser.js';
import { DefaultAuthenticator } from '../../runtime/client/authenticator.js';

describe('DefaultServerChooser', () => {
  it('stays on a working URI and rotates on each failure, wrapping around', () => {
    const c = new DefaultServerChooser().add('tcp://a:1/amps/json').add('tcp://b:2/amps/json').add('tcp://c:3/amps/json');
    const seen: string[] = [];
    for (let i = 0; i < 7; i++) {
      seen.push(c.getCurrentURI());
      if (i === 2) c.reportSuccess({ uri: c.getCurrentURI(), attempt: 1 });
      else c.reportFailure(new Error('refused'), { uri: c.getCurrentURI(), attempt: i + 1 });
    }
    // success on c (i = 2) keeps c current; failures move on and wrap
    expect(seen.map((u) => u[6])).toEqual(['a', 'b', 'c', 'c', 'a', 'b', 'c']);
    c.reportSuccess({ uri: c.getCurrentURI(), attempt: 1 });
    expect(c.getCurrentURI()).toBe('tcp://a:1/amps/json');
    expect(c.getCurrentURI()).toBe('tcp://a:1/amps/json');
  });

  it('keeps an authenticator per URI', () => {
    const authA = new DefaultAuthenticator();
    const c = new DefaultServerChooser().add('tcp://a:1/amps/json', authA).add('tcp://b:2/amps/json');
    expect(c.getCurrentAuthenticator()).toBe(authA);
    c.reportFailure(new Error('x'), { uri: 'tcp://a:1/amps/json', attempt: 1 });
    expect(c.getCurrentAuthenticator()).toBeUndefined();
    c.reportFailure(new Error('x'), { uri: 'tcp://b:2/amps/json', attempt: 2 });
    expect(c.getCurrentAuthenticator()).toBe(authA);
  });

  it('gives up after maxConsecutiveFailures with a descriptive error (password redacted)', () => {
    const c = new DefaultServerChooser({ maxConsecutiveFailures: 3 })
      .add('tcp://u:secret@a:1/amps/json')
      .add('tcp://b:2/amps/json');
    for (let i = 0; i < 3; i++) c.reportFailure(new Error(`refused ${i}`), { uri: c.getCurrentURI(), attempt: i + 1 });
    expect(c.getCurrentURI()).toBe('');
    expect(c.getError()).toMatch(/gave up after 3 consecutive failed attempts over 2 URI/);
    expect(c.getError()).toMatch(/refused 2/);
    expect(c.getError()).toContain('tcp://u:***@a:1');
    expect(c.getError()).not.toContain('secret');
  });

  it('an empty chooser has no URI and says so', () => {
    const c = new DefaultServerChooser();
    expect(c.getCurrentURI()).toBe('');
    expect(c.getError()).toMatch(/no URIs/);
  });

  it('remove keeps the current URI when possible', () => {
    const c = new DefaultServerChooser().addAll('tcp://a:1/j', 'tcp://b:2/j', { uri: 'tcp://c:3/j' });
    c.reportFailure(new Error('x'), { uri: 'tcp://a:1/j', attempt: 1 });
    c.remove('tcp://a:1/j');
    expect(c.getCurrentURI()).toBe('tcp://b:2/j');
    expect(c.size).toBe(2);
    expect(redact('tcp://host:1/x')).toBe('tcp://host:1/x');
  });
});
