// A real OpenID Connect provider for the end-to-end sign-in tests: panva's oidc-provider (OpenID-certified),
// on 127.0.0.1 only, with its own username-and-password form and the test council's people.
//
// Usage: node server.mjs <port> <client_id> <client_secret> <redirect_uri>[,<redirect_uri>...]
// Prints "ready <issuer>" once it listens. Claims go into the ID token (conformIdTokenClaims: false), as
// Microsoft Entra ID does, because Streamlit reads only the ID token. prompt=select_account (which Streamlit
// always sends) is accepted: it shows the same sign-in form.
import http from 'node:http';
import { URLSearchParams } from 'node:url';

import Provider, { interactionPolicy } from 'oidc-provider';

import { PEOPLE } from './people.mjs';

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const redirectUris = (redirectUri || '').split(',').filter(Boolean);
if (!port || !clientId || !clientSecret || !redirectUri) {
  console.error('usage: node server.mjs <port> <client_id> <client_secret> <redirect_uri>');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;

const policy = interactionPolicy.base();
policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 0);

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: redirectUris,
    post_logout_redirect_uris: redirectUris,
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  claims: {
    openid: ['sub', 'oid', 'tid', 'roles'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
  },
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test council sign-out</title></head>
<body><main><h1>Sign out of the test council?</h1>${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button></main></body></html>`;
      },
    },
  },
  interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['g2g-test-provider-cookie-key-0001'] },
  pkce: { required: () => false },
  async findAccount(ctx, id) {
    const person = PEOPLE[id];
    if (!person) return undefined;
    return {
      accountId: id,
      async claims() {
        const claims = {
          sub: id, oid: person.oid, tid: person.tid, name: person.name, email: person.email,
          email_verified: true, preferred_username: person.email,
        };
        if (person.roles.length) claims.roles = person.roles;
        return claims;
      },
    };
  },
  async loadExistingGrant(ctx) {
    // A first-party client: no consent screen; the grant covers the scopes and claims the app asks for.
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      const existing = await ctx.oidc.provider.Grant.find(grantId);
      if (existing) return existing;
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function form(uid, message = '', login = '') {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test council sign-in</title></head>
<body><main><h1>Test council sign-in</h1>
${message ? `<p role="alert">${escape(message)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}">
<label for="login">Username</label> <input id="login" name="login" autocomplete="off" value="${escape(login)}" required>
<label for="password">Password</label> <input id="password" name="password" type="password" required>
<button type="submit">Sign in</button></form></main></body></html>`;
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(form(uid));
    return;
  }
  const body = await readBody(req);
  const login = body.get('login') || '';
  const person = PEOPLE[login];
  if (!person || body.get('password') !== person.password) {
    console.log(`refused a sign-in as ${JSON.stringify(login)}`);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(form(uid, 'Wrong username or password.', login));
    return;
  }
  console.log(`signed in ${login} (${details.prompt.name})`);
  await provider.interactionFinished(req, res, { select_account: {}, login: { accountId: login } }, {
    mergeWithLastSubmission: false,
  });
}

const callback = provider.callback();
const server = http.createServer((req, res) => {
  const match = /^\/interaction\/([^/?]+)/.exec(req.url || '');
  if (!match) {
    callback(req, res);
    return;
  }
  interaction(req, res, match[1]).catch((err) => {
    console.error(err);
    if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
    res.end(`interaction failed: ${err.message}`);
  });
});
server.listen(Number(port), '127.0.0.1', () => console.log(`ready ${issuer}`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
