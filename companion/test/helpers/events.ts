// Valid CloudEvents of every type, for tests. `n` makes ids unique.
export function visit(n: number, overrides: Record<string, unknown> = {}, data: Record<string, unknown> = {}) {
  return {
    specversion: '1.0',
    id: `evt-visit-${n}`,
    source: 'docsend',
    type: 'relay.visit',
    time: '2026-11-20T10:00:00Z',
    data: {
      visitId: `visit-${n}`,
      visitor: { email: `person${n}@example.com`, name: `Person ${n}` },
      document: { name: 'Pitch deck', url: 'https://docsend.example/d/1' },
      accountName: 'Acme',
      durationSeconds: 120,
      percentViewed: 80,
      active: false,
      statsUrl: 'https://docsend.example/stats/1',
      ...data,
    },
    ...overrides,
  };
}

export function message(n: number, data: Record<string, unknown> = {}) {
  return {
    specversion: '1.0',
    id: `evt-msg-${n}`,
    source: 'andsend',
    type: 'relay.message.sent',
    time: '2026-11-20T10:05:00.123+01:00',
    data: {
      messageId: `msg-${n}`,
      channel: 'email',
      from: { email: 'rep@vendor.example' },
      to: { email: `buyer${n}@example.com` },
      subject: 'Hello',
      ...data,
    },
  };
}

export function linkCreated(n: number) {
  return {
    specversion: '1.0',
    id: `evt-link-${n}`,
    source: 'docsend',
    type: 'relay.link.created',
    time: '2026-11-20T10:00:00Z',
    data: {
      linkId: `link-${n}`,
      document: { name: 'Pitch deck' },
      accountName: 'Acme',
      createdBy: { email: 'rep@vendor.example' },
      visitors: ['a@example.com', { email: 'b@example.com', name: 'B' }],
    },
  };
}

export function spaceCreated(n: number) {
  return {
    specversion: '1.0',
    id: `evt-space-${n}`,
    source: 'docsend',
    type: 'relay.space.created',
    time: '2026-11-20T10:00:00Z',
    data: { spaceId: `space-${n}`, name: 'Deal room', accountName: 'Acme', createdBy: { email: 'rep@vendor.example' } },
  };
}

export function prospect(n: number) {
  return {
    specversion: '1.0',
    id: `evt-prospect-${n}`,
    source: 'andsend',
    type: 'relay.prospect.upserted',
    time: '2026-11-20T10:00:00Z',
    data: {
      prospectId: `p-${n}`,
      fields: { email: `p${n}@example.com`, company: 'Acme', score: 3, vip: true },
      ownerEmail: 'rep@vendor.example',
    },
  };
}

export function listMember(n: number) {
  return {
    specversion: '1.0',
    id: `evt-list-${n}`,
    source: 'andsend',
    type: 'relay.list.member.added',
    time: '2026-11-20T10:00:00Z',
    data: { listId: 'list-1', contact: { email: `l${n}@example.com`, firstName: 'Lee' } },
  };
}
