// The SOAP API `login()` call (`/services/Soap/u/NN.N`), which jsforce's `conn.login(username,
// password)` uses when no OAuth client is configured. Same users and password as the token endpoint.
import type { FastifyInstance } from 'fastify';
import type { OAuthConfig } from './clients.js';
import type { OAuthContext } from './routes.js';
import { escapeHtml as esc } from './pages.js';
import { checkVersion } from '../versions.js';

function tag(xml: string, name: string): string | undefined {
  const m = new RegExp(`<(?:\\w+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:\\w+:)?${name}>`).exec(xml);
  return m
    ? m[1]!
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&')
    : undefined;
}

function envelope(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
}

export function registerSoapLogin(app: FastifyInstance, ctx: OAuthContext, config: OAuthConfig): void {
  app.post('/services/Soap/u/:version', async (request, reply) => {
    const { version } = request.params as { version: string };
    const xml = typeof request.body === 'string' ? request.body : '';
    const username = tag(xml, 'username');
    const password = tag(xml, 'password');
    reply.type('text/xml;charset=UTF-8');
    // Retired (and unknown) versions: "SOAP API returns 500: UNSUPPORTED_API_VERSION" (Salesforce
    // knowledge article 000354473). Message wording ours.
    if (!checkVersion(`v${version}`).ok) {
      return reply
        .code(500)
        .send(
          envelope(
            `<soapenv:Fault><faultcode xmlns:sf="urn:fault.partner.soap.sforce.com">sf:UNSUPPORTED_API_VERSION</faultcode><faultstring>UNSUPPORTED_API_VERSION: Invalid Api version specified on URL</faultstring></soapenv:Fault>`,
          ),
        );
    }
    if (!tag(xml, 'login')?.length && !xml.includes('login')) {
      return reply
        .code(500)
        .send(
          envelope(
            `<soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>No operation available for request</faultstring></soapenv:Fault>`,
          ),
        );
    }
    const user = username ? ctx.org.find('User', 'Username', username)[0] : undefined;
    if (!user || !password || !password.startsWith(config.password)) {
      return reply
        .code(500)
        .send(
          envelope(
            `<soapenv:Fault><faultcode xmlns:sf="urn:fault.partner.soap.sforce.com">sf:INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: Invalid username, password, security token; or user locked out.</faultstring><detail><sf:LoginFault xmlns:sf="urn:fault.partner.soap.sforce.com" xsi:type="sf:LoginFault"><sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode><sf:exceptionMessage>Invalid username, password, security token; or user locked out.</sf:exceptionMessage></sf:LoginFault></detail></soapenv:Fault>`,
          ),
        );
    }
    const session = ctx.auth.issue(ctx.org.orgId, user.Id as string, config.clientId, 'api');
    const org15 = ctx.org.orgId.slice(0, 15);
    const base = ctx.baseUrl();
    return reply.send(
      envelope(
        `<loginResponse><result><metadataServerUrl>${base}/services/Soap/m/${esc(version)}/${org15}</metadataServerUrl><passwordExpired>false</passwordExpired><sandbox>false</sandbox><serverUrl>${base}/services/Soap/u/${esc(version)}/${org15}</serverUrl><sessionId>${esc(session.accessToken)}</sessionId><userId>${user.Id}</userId><userInfo><accessibilityMode>false</accessibilityMode><currencySymbol>$</currencySymbol><orgAttachmentFileSizeLimit>5242880</orgAttachmentFileSizeLimit><orgDefaultCurrencyIsoCode>USD</orgDefaultCurrencyIsoCode><orgDisallowHtmlAttachments>false</orgDisallowHtmlAttachments><orgHasPersonAccounts>false</orgHasPersonAccounts><organizationId>${ctx.org.orgId}</organizationId><organizationMultiCurrency>false</organizationMultiCurrency><organizationName>Relay Emulated Org</organizationName><profileId>00e5g000000000AAAA</profileId><roleId xsi:nil="true"/><sessionSecondsValid>${ctx.auth.ttlSeconds}</sessionSecondsValid><userDefaultCurrencyIsoCode xsi:nil="true"/><userEmail>${esc(String(user.Email))}</userEmail><userFullName>${esc(String(user.Name))}</userFullName><userId>${user.Id}</userId><userLanguage>en_US</userLanguage><userLocale>en_US</userLocale><userName>${esc(String(user.Username))}</userName><userTimeZone>America/Los_Angeles</userTimeZone><userType>Standard</userType><userUiSkin>Theme3</userUiSkin></userInfo></result></loginResponse>`,
      ),
    );
  });
}
