export type FrozenAudience = { audienceId: string; name: string; count: number; frozenAt: string };
export interface FrozenAudiences {
  /** The audience if it is frozen; undefined when unknown or not frozen yet. */
  frozen(audienceId: string): Promise<FrozenAudience | undefined>;
  /** Members of a frozen audience in a stable order (by prospect id), a page at a time. */
  members(
    audienceId: string,
    page: { limit: number; after?: string },
  ): Promise<{ prospectIds: string[]; after?: string }>;
}
