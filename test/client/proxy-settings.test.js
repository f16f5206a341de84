'use strict';
// Which proxy a connection takes: the environment's variables (lower case first), NO_PROXY, and the account's own.
const assert = require('node:assert/strict');
const { proxyFor, bypassed } = require('../../dist/transport/proxy');

describe('proxy settings', () => {
  it('takes HTTPS_PROXY for https and wss, HTTP_PROXY for http and ws', () => {
    const env = { HTTPS_PROXY: 'http://secure:3128', HTTP_PROXY: 'http://plain:8080' };
    assert.equal(proxyFor('https://api.semilimes.net', {}, env).label, 'http://secure:3128');
    assert.equal(proxyFor('wss://api.semilimes.net/service/ws', {}, env).label, 'http://secure:3128');
    assert.equal(proxyFor('http://127.0.0.1:8127', {}, env).label, 'http://plain:8080');
    assert.equal(proxyFor('ws://127.0.0.1:8127/service/ws', {}, env).label, 'http://plain:8080');
    assert.equal(proxyFor('https://api.semilimes.net', {}, {}), undefined);
    assert.equal(
      proxyFor('https://x', {}, { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' }).label,
      'http://lower:1',
    );
  });

  it('keeps credentials out of the address and puts them in a basic auth header', () => {
    const proxy = proxyFor('https://x', {}, { HTTPS_PROXY: 'http://us%40er:p%3Ass@proxy:3128' });
    assert.equal(proxy.label, 'http://proxy:3128');
    assert.equal(proxy.url.href, 'http://proxy:3128/');
    assert.equal(proxy.authorization, `Basic ${Buffer.from('us@er:p:ss').toString('base64')}`);
    const own = proxyFor(
      'https://x',
      { url: 'proxy.example.com:8080', username: 'a', password: 'b' },
      { HTTPS_PROXY: 'http://other:1' },
    );
    assert.equal(own.label, 'http://proxy.example.com:8080');
    assert.equal(own.authorization, `Basic ${Buffer.from('a:b').toString('base64')}`);
  });

  it('reads NO_PROXY: *, names with their subdomains, addresses, ports', () => {
    const at = (u) => new URL(u);
    assert.equal(bypassed(at('https://api.semilimes.net'), '*'), true);
    assert.equal(bypassed(at('https://api.semilimes.net'), 'semilimes.net'), true);
    assert.equal(bypassed(at('https://api.semilimes.net'), '.semilimes.net'), true);
    assert.equal(bypassed(at('https://api.semilimes.net'), '*.semilimes.net'), true);
    assert.equal(bypassed(at('https://notsemilimes.net'), 'semilimes.net'), false);
    assert.equal(bypassed(at('http://127.0.0.1:8127'), 'localhost, 127.0.0.1'), true);
    assert.equal(bypassed(at('http://127.0.0.1:8127'), '127.0.0.1:9999'), false);
    assert.equal(bypassed(at('http://127.0.0.1:8127'), '127.0.0.1:8127'), true);
    assert.equal(bypassed(at('https://api.semilimes.net'), ''), false);
    assert.equal(
      proxyFor('https://api.semilimes.net', {}, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'semilimes.net' }),
      undefined,
    );
  });

  it('refuses a proxy that is not http or https', () => {
    assert.throws(() => proxyFor('https://x', { url: 'socks5://p:1080' }), /socks5/);
  });
});
