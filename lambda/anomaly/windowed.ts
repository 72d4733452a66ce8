/**
 * The windowed rules, on event time. Pure. Each rule is "more than `limit` distinct keys of one
 * subject within `windowMs`" (windows closed at both ends):
 * - velocity: one card, more than N transactions;
 * - card-testing: one card, more than N small payments; or one merchant, more than N distinct
 *   cards making small payments;
 * - duplicate: one charge (card, merchant, amount, currency) seen more than once.
 * A crowded window is named by the transaction that ends it; its episode is the fixed slot of
 * `windowMs` that end falls in, so an episode is a function of the transactions alone, never of
 * which file, batch, shard or retry brought them (the property test checks exactly that).
 */
import type { AnomalyThresholds } from './thresholds';
import type { Member } from './state/entries';

export type WindowScope = 'card' | 'merchant' | 'charge';

export interface WindowSpec {
  readonly rule: 'velocity' | 'card-testing' | 'duplicate';
  readonly scope: WindowScope;
  readonly windowMs: number;
  readonly limit: number;
  readonly applies: (member: Member) => boolean;
  readonly subjectOf: (member: Member) => string;
  readonly distinctOf: (member: Member) => string;
}

/** One crowded slot of a subject: the episode an alert is about. */
export interface WindowEpisode {
  readonly spec: WindowSpec;
  readonly subject: string;
  /** floor(end / windowMs) of the crowded windows' ends in this episode. */
  readonly slot: number;
  /** The largest number of distinct keys seen in one window of the slot. */
  readonly count: number;
  /** The transactions of its crowded windows, in time order (the first MAX_EPISODE_MEMBERS). */
  readonly members: readonly Member[];
  /** How many transactions its crowded windows hold in all. */
  readonly transactionCount: number;
  /** Ids of the selves in its crowded windows: never empty. */
  readonly selves: readonly string[];
}

export const MAX_EPISODE_MEMBERS = 50;

function byId(member: Member): string {
  return member.id;
}

function byCard(member: Member): string {
  return member.cardHash;
}

/** Amounts equal as numbers ("10" and "10.00") are the same charge. */
function chargeOf(member: Member): string {
  return `charge:${member.cardHash}:${member.merchantId}:${member.amountValue}:${member.currency}`;
}

/** A card-testing probe: the only payments the merchant buckets record. */
export function isSmallPayment(member: Member, limits: AnomalyThresholds): boolean {
  return member.amountValue <= limits.cardTestingSmallAmount;
}

export function windowSpecs(limits: AnomalyThresholds): WindowSpec[] {
  const small = (member: Member) => isSmallPayment(member, limits);
  const any = () => true;
  const card = (member: Member) => `card:${member.cardHash}`;
  const cardTestingMs = limits.cardTestingWindowSeconds * 1000;
  return [
    {
      rule: 'velocity',
      scope: 'card',
      windowMs: limits.velocityWindowSeconds * 1000,
      limit: limits.velocityMaxCount,
      applies: any,
      subjectOf: card,
      distinctOf: byId,
    },
    {
      rule: 'card-testing',
      scope: 'card',
      windowMs: cardTestingMs,
      limit: limits.cardTestingMaxSmallPerCard,
      applies: small,
      subjectOf: card,
      distinctOf: byId,
    },
    {
      rule: 'card-testing',
      scope: 'merchant',
      windowMs: cardTestingMs,
      limit: limits.cardTestingMaxCardsPerMerchant,
      applies: small,
      subjectOf: (member) => `merchant:${member.merchantId}`,
      distinctOf: byCard,
    },
    {
      rule: 'duplicate',
      scope: 'charge',
      windowMs: limits.duplicateWindowSeconds * 1000,
      limit: 1,
      applies: any,
      subjectOf: chargeOf,
      distinctOf: byId,
    },
  ];
}

/** Members once each (the same transaction can come from the batch and from state), in time order. */
export function timeOrdered(members: Iterable<Member>): Member[] {
  const unique = new Map<string, Member>();
  for (const member of members) unique.set(member.id, member);
  return [...unique.values()].sort(
    (a, b) => a.epochMs - b.epochMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/**
 * The episodes of one subject's members (time-ordered, all the spec applies to) whose crowded
 * windows contain at least one of `selves`. With selves = every member, this is the rule over the
 * whole set; with selves = a batch's transactions and members = all that state shows, it is what
 * that batch must alert. Two pointers: O(n) per subject.
 */
export function crowdedEpisodes(
  spec: WindowSpec,
  subject: string,
  members: readonly Member[],
  selves: ReadonlySet<string>,
): WindowEpisode[] {
  interface Open {
    count: number;
    members: Map<string, Member>;
    all: Set<string>;
    selves: Set<string>;
  }
  const episodes = new Map<number, Open>();
  const keyCounts = new Map<string, number>();
  // Indices of the selves, ascending: a crowded window names every self it holds (they are the
  // records retried if its alert cannot be sent), however many members it holds.
  const selfIndices: number[] = [];
  members.forEach((member, i) => {
    if (selves.has(member.id)) selfIndices.push(i);
  });
  let start = 0;
  let firstSelf = 0; // the first entry of selfIndices at or after `start`
  for (let end = 0; end < members.length; end += 1) {
    const entering = spec.distinctOf(members[end]);
    keyCounts.set(entering, (keyCounts.get(entering) ?? 0) + 1);
    while (members[end].epochMs - members[start].epochMs > spec.windowMs) {
      const leaving = spec.distinctOf(members[start]);
      const left = (keyCounts.get(leaving) ?? 1) - 1;
      if (left === 0) keyCounts.delete(leaving);
      else keyCounts.set(leaving, left);
      start += 1;
    }
    while (firstSelf < selfIndices.length && selfIndices[firstSelf] < start) firstSelf += 1;
    const distinct = keyCounts.size;
    const holdsSelf = firstSelf < selfIndices.length && selfIndices[firstSelf] <= end;
    if (distinct <= spec.limit || !holdsSelf) continue;
    const slot = Math.floor(members[end].epochMs / spec.windowMs);
    const episode = episodes.get(slot) ?? { count: 0, members: new Map(), all: new Set(), selves: new Set() };
    episode.count = Math.max(episode.count, distinct);
    for (let i = start; i <= end; i += 1) {
      episode.all.add(members[i].id);
      if (episode.members.size < MAX_EPISODE_MEMBERS) episode.members.set(members[i].id, members[i]);
    }
    for (let k = firstSelf; k < selfIndices.length && selfIndices[k] <= end; k += 1) {
      episode.selves.add(members[selfIndices[k]].id);
    }
    episodes.set(slot, episode);
  }
  return [...episodes].map(([slot, episode]) => ({
    spec,
    subject,
    slot,
    count: episode.count,
    members: timeOrdered(episode.members.values()),
    transactionCount: episode.all.size,
    selves: [...episode.selves],
  }));
}

/** Groups items by a key, keeping insertion order. */
export function groupBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/**
 * Every episode of `spec` among `visible` members whose windows hold one of `selves`: the members
 * are grouped by subject and only subjects of a self are evaluated.
 */
export function episodesFor(
  spec: WindowSpec,
  visible: Iterable<Member>,
  selves: readonly Member[],
): WindowEpisode[] {
  const mine = selves.filter(spec.applies);
  if (mine.length === 0) return [];
  const subjects = new Set(mine.map(spec.subjectOf));
  const selfIds = new Set(mine.map((member) => member.id));
  const relevant = [...visible, ...mine].filter(
    (member) => spec.applies(member) && subjects.has(spec.subjectOf(member)),
  );
  const episodes: WindowEpisode[] = [];
  for (const [subject, members] of groupBy(relevant, spec.subjectOf)) {
    episodes.push(...crowdedEpisodes(spec, subject, timeOrdered(members), selfIds));
  }
  return episodes;
}
