// A real local OpenID Connect provider for the sign-in tests (npm `oidc-provider`, dev interactions: any
// login name signs in as that subject). Usage: node oidc_provider.mjs PORT CLIENT_SECRET REDIRECT_URI
import Provider from "oidc-provider";

const [port, secret, redirect] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [{
    client_id: "atlas", client_secret: secret, redirect_uris: [redirect], post_logout_redirect_uris: [redirect],
    grant_types: ["authorization_code"], response_types: ["code"],
  }],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  findAccount: async (ctx, sub) => ({
    accountId: sub,
    claims: async () => ({ sub, email: `${sub}@example.org`, email_verified: true, name: sub }),
  }),
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => false },
  loadExistingGrant: async (ctx) => {  // first-party app: consent is implied
    const grant = new provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
});
provider.proxy = false;
provider.listen(Number(port), "127.0.0.1", () => console.log(`oidc-provider listening on ${issuer}`));
