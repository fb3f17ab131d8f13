import { audiencesContract } from './support/audiences-contract.ts';
import { InMemoryAudiences } from './support/in-memory-audiences.ts';
import { InMemoryProspects } from './support/in-memory-prospects.ts';
import { InMemorySuppression } from './support/in-memory-suppression.ts';

// The same contract runs against DynamoDB Local in test/local/audiences-contract.test.ts.
audiencesContract('in memory', () => {
  const prospects = new InMemoryProspects();
  const suppression = new InMemorySuppression();
  return {
    store: new InMemoryAudiences(prospects.prospects, suppression.counted),
    storeProspects: (p) => prospects.store(p),
    sendCounter: suppression,
  };
});
